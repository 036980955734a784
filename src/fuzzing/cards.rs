//! Fuzz bodies that drive the virtual card: raw APDU sequences into its command handler, and
//! the library's operations against it through the hostile transport, faults from the input.

use crate::access_code::{AccessCodeB, CardInfoPin, MyNumber};
use crate::card::Card;
use crate::eligibility::Confirmation;
use crate::error::Result;
use crate::jpki::{CertificateKind, MAX_CERTIFICATE_LEN};
use crate::pin::{AuthPin, LastTry, SignPin};
use crate::testing::{check_guard, pin_verifies, Fault, Hostile};
use crate::virtual_card::VirtualCard;

/// A sequence of APDUs into [`VirtualCard::handle`]. Layout: `LEN APDU…` repeated; `LEN`
/// `FF` warm-resets the card, `FE` powers it off and on, `FD` powers it off (no APDU follows
/// these). Never panics; every answer is 2 to 258 bytes; the log holds every APDU handled.
/// COMPUTE DIGITAL SIGNATURE is handled at most once, and only in inputs whose length is a
/// multiple of 16; it is skipped elsewhere (RSA is slow: the fuzzer keeps its pace).
pub fn virtual_card(data: &[u8]) {
    let mut card = VirtualCard::new();
    let mut rest = data;
    let mut handled = 0;
    let mut signed = data.len() % 16 != 0;
    while let Some((&len, after)) = rest.split_first() {
        rest = after;
        match len {
            0xFF => card.reset(),
            0xFE => {
                card.power_off();
                card.power_on();
            }
            0xFD => card.power_off(),
            _ => {
                let (apdu, after) = rest.split_at(usize::from(len).min(rest.len()));
                rest = after;
                if apdu.get(1) == Some(&0x2A) {
                    if signed {
                        continue;
                    }
                    signed = true;
                }
                let answer = card.handle(apdu);
                handled += 1;
                // Short answers up to 256 data bytes; extended ones (the default card takes
                // an extended Le) up to 65,536.
                assert!(
                    (2..=65_538).contains(&answer.len()),
                    "{} bytes",
                    answer.len()
                );
            }
        }
    }
    assert_eq!(card.log().len(), handled);
}

/// The library's operations (all but signing) against a virtual card behind a [`Hostile`]
/// transport. Layout: `OP AT FAULT` repeated: OP picks the operation (OP mod 16 = 15: the
/// high nibble picks the my-number image, the common record, the common and
/// resident-registry PINs' tries, the master file's objects, the token info or EF 0008);
/// unless AT has bit 7
/// set, the fault `Fault::catalogue(0)[FAULT]` is injected (AT & 0x0F) APDUs into it. Checks
/// per operation: it ends (the transport's cap), sends a secret at most once and only past
/// the last-try guard, spends no try with a right secret and at most one with a wrong one,
/// touches no other counter, and returns certificates whole.
pub fn operations(data: &[u8]) {
    let faults = Fault::catalogue(0);
    let mut card = Card::new(Hostile::new(VirtualCard::new()).with_cap(20_000));
    for chunk in data.chunks(3) {
        let (&op, at, fault) = match chunk {
            [op, at, fault] => (op, *at, *fault),
            [op, ..] => (op, 0x80, 0),
            [] => return,
        };
        let start = card.transport().calls();
        if at & 0x80 == 0 {
            if let Some(fault) = faults.get(usize::from(fault) % faults.len()) {
                card.transport_mut()
                    .add_fault(start + usize::from(at & 0x0F), fault.clone());
            }
        }
        let records_before = card.transport().records().len();
        let before = card.transport().card().all_tries_left();
        let (secret, certificate) = run_operation(&mut card, op);
        let hostile = card.transport();
        let records = hostile.records().get(records_before..).unwrap_or_default();
        let after = hostile.card().all_tries_left();
        assert!(
            hostile.calls() - start <= 80,
            "{} APDUs",
            hostile.calls() - start
        );
        if let Some(der) = certificate {
            let len = crate::der_header::sequence_len(&der, MAX_CERTIFICATE_LEN);
            assert_eq!(len, Ok(der.len()), "partial certificate");
        }
        for (i, (b, a)) in before.iter().zip(after).enumerate() {
            let may_spend = match secret {
                Some((index, right, _)) if index == i => u8::from(!right),
                _ => 0,
            };
            assert!(b.saturating_sub(a) <= may_spend, "secret {i}: {b} → {a}");
        }
        match secret {
            Some((_, _, last_try)) => {
                assert!(pin_verifies(records) <= 1, "a secret sent twice");
                if let Err(e) = check_guard(records, last_try) {
                    panic!("{e}");
                }
            }
            None => assert_eq!(pin_verifies(records), 0, "a secret sent"),
        }
        card.transport_mut().calm();
    }
}

/// Runs operation `op`: the secret it submits (index in [`VirtualCard::all_tries_left`],
/// right, last try) and a certificate it returned.
#[allow(clippy::type_complexity)]
fn run_operation(
    card: &mut Card<Hostile>,
    op: u8,
) -> (Option<(usize, bool, LastTry)>, Option<Vec<u8>>) {
    let auth = |right| AuthPin::new(if right { "1234" } else { "9999" });
    let info_pin = |right| CardInfoPin::new(if right { "1234" } else { "9999" });
    let code_b = |right| {
        AccessCodeB::new(if right {
            "02010120351234"
        } else {
            "02010120359999"
        })
    };
    let ignore = |r: Result<_>| drop(r);
    let kinds = CertificateKind::ALL;
    let kind = kinds.get(usize::from(op >> 4) % kinds.len()).copied();
    match op % 16 {
        0 => ignore(card.jpki().identify().map(drop)),
        1 => {
            let der = kind.map(|k| card.jpki().read_certificate_der(k));
            return (None, der.and_then(|r| r.ok()));
        }
        2 => ignore(card.jpki().pin_status(crate::PinKind::Auth).map(drop)),
        3 | 4 => {
            let right = op % 16 == 3;
            if let Ok(pin) = auth(right) {
                ignore(card.jpki().verify_pin(&pin));
            }
            return (Some((0, right, LastTry::Refuse)), None);
        }
        5 => {
            if let Ok(pin) = SignPin::new("WRONG9") {
                ignore(card.jpki().verify_pin_with(&pin, LastTry::Allow));
            }
            return (Some((1, false, LastTry::Allow)), None);
        }
        6 => {
            if let Ok(pin) = auth(true) {
                ignore(card.jpki().change_pin(&pin, &pin, LastTry::Refuse));
            }
            return (Some((0, true, LastTry::Refuse)), None);
        }
        7 | 8 => {
            let right = op % 16 == 7;
            if let Ok(pin) = info_pin(right) {
                ignore(card.card_info().verify_pin(&pin));
            }
            return (Some((2, right, LastTry::Refuse)), None);
        }
        9 => ignore(card.card_info().read_all().map(drop)),
        10 => {
            if let Ok(code) = code_b(true) {
                ignore(card.card_face().verify_access_code_b(&code));
            }
            return (Some((7, true, LastTry::Refuse)), None);
        }
        11 => ignore(card.card_face().read_record().map(drop)),
        12 => {
            let right = op & 0x10 == 0;
            if let Ok(code) = code_b(right) {
                let confirmation = Confirmation::Visual {
                    access_code_b: Some(&code),
                };
                let der = card
                    .eligibility_check(confirmation)
                    .map(|e| e.certificate_der().to_vec());
                return (Some((7, right, LastTry::Refuse)), der.ok());
            }
        }
        13 => {
            // A valid my number that is not the card's.
            let digit = crate::access_code::check_digit(b"98765432109").unwrap_or(b'0');
            let wrong = format!("98765432109{}", char::from(digit));
            if let Ok(code) = MyNumber::new(&wrong) {
                ignore(card.card_info().verify_access_code_a(&code));
            }
            return (Some((3, false, LastTry::Refuse)), None);
        }
        14 => ignore(card.card_info().read_my_number().map(drop)),
        // The high bits pick among the reads that send no secret.
        _ => match op >> 4 {
            1 => ignore(card.common().read_card_record().map(drop)),
            2 => ignore(card.common().pin_status().map(drop)),
            3 => ignore(card.juki().pin_status().map(drop)),
            4 => ignore(card.master_file().read_card_data().map(drop)),
            5 => ignore(card.jpki().token_info().map(drop)),
            6 => ignore(card.jpki().certificate_availability().map(drop)),
            _ => ignore(card.card_face().read_my_number_image().map(drop)),
        },
    }
    (None, None)
}
