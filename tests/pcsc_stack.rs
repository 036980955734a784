//! Tests through the real PC/SC stack: pcscd, vsmartcard's vpcd, and the `virtual_reader`
//! example serving the virtual card. Run them through the script that brings the stack up:
//!
//! ```text
//! scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored
//! ```
//!
//! They are `#[ignore]`d unless asked for (`--ignored`), and fail without the stack.

#![cfg(feature = "pcsc")]

mod stack;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mynumbercard::{
    AuthPin, CertificateKind, Error, KeyKind, LastTry, PinKind, PinStatus, SignPin, VirtualCard,
};
use sha2::{Digest, Sha256};

fn auth_pin() -> AuthPin {
    AuthPin::new(VirtualCard::DEFAULT_AUTH_PIN).expect("valid PIN")
}

fn digest(message: &[u8]) -> [u8; 32] {
    Sha256::digest(message).into()
}

#[test]
#[ignore = "needs pcscd with the virtual reader: scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored"]
fn certificates_read_through_pcscd_equal_the_virtual_cards() {
    let _serial = stack::serial();
    let reader = stack::reader();
    let mut card = stack::connect(&reader);
    for kind in [
        CertificateKind::Auth,
        CertificateKind::AuthCa,
        CertificateKind::SignCa,
    ] {
        let der = card.jpki().read_certificate_der(kind).expect("read");
        assert_eq!(der, stack::expected_certificate(kind), "{kind:?}");
    }
    // The signature certificate needs the signature PIN.
    assert!(matches!(
        card.jpki().read_certificate_der(CertificateKind::Sign),
        Err(Error::SecurityStatusNotSatisfied)
    ));
    let pin = SignPin::new(VirtualCard::DEFAULT_SIGN_PIN).expect("valid PIN");
    card.jpki().verify_pin(&pin).expect("verify");
    let der = card
        .jpki()
        .read_certificate_der(CertificateKind::Sign)
        .expect("read");
    assert_eq!(der, stack::expected_certificate(CertificateKind::Sign));
    assert!(card.pin_verified());
    card.close().expect("close");
}

#[test]
#[ignore = "needs pcscd with the virtual reader: scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored"]
fn eligibility_check_both_modes_and_card_info_through_pcscd() {
    use mynumbercard::access_code::{AccessCodeB, CardInfoPin};
    use mynumbercard::eligibility::Confirmation;
    let _serial = stack::serial();
    let reader = stack::reader();
    let cert = stack::expected_certificate(CertificateKind::Auth);

    let mut card = stack::connect(&reader);
    let pin = auth_pin();
    let evidence = card
        .eligibility_check(Confirmation::Pin {
            pin: &pin,
            challenge: b"challenge through pcscd",
            last_try: LastTry::Refuse,
        })
        .expect("PIN mode");
    assert_eq!(evidence.certificate_der(), cert);
    let signature = evidence.signature().expect("signature");
    assert!(stack::verifies(
        &cert,
        &digest(b"challenge through pcscd"),
        signature
    ));
    let pin_apdus = card.stats().commands;
    let reads = cert.len().div_ceil(256) as u64;
    // vpcd carries extended APDUs (and says so, to this crate's transport): SELECT AP, one
    // READ BINARY of the whole certificate by its short file identifier, then the PIN and the
    // key named the same way: status, VERIFY, COMPUTE DIGITAL SIGNATURE. Behind a short-APDU
    // reader: SELECT AP, SELECT EF, the 256-byte reads, then the same three.
    let extended = mynumbercard::Transport::capabilities(card.transport()).extended_length;
    let expected = if extended { 5 } else { reads + 5 };
    assert_eq!(pin_apdus, expected, "extended length declared: {extended}");
    println!("FIGURE APDUs for eligibility_check PIN mode through pcscd: {pin_apdus}");
    card.close().expect("close");

    let mut card = stack::connect(&reader);
    let code = AccessCodeB::new("02010120351234").expect("code");
    let evidence = card
        .eligibility_check(Confirmation::Visual {
            access_code_b: Some(&code),
        })
        .expect("visual mode");
    assert_eq!(evidence.certificate_der(), cert);
    let photo = evidence.face_photo().expect("photo");
    assert!(photo.starts_with(&[0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A]));
    println!(
        "FIGURE APDUs for eligibility_check visual mode (access code B) through pcscd: {}",
        card.stats().commands
    );
    card.close().expect("close");

    let mut card = stack::connect(&reader);
    let data = card
        .transaction(|card| {
            let mut info = card.card_info();
            info.verify_pin(&CardInfoPin::new("1234")?)?;
            info.read_all()
        })
        .expect("card info");
    assert_eq!(data.my_number.reveal(), "123456789018");
    assert_eq!(data.attributes.birth_date.to_string(), "1990-01-01");
    card.close().expect("close");
}

#[test]
#[ignore = "needs pcscd with the virtual reader: scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored"]
fn pin_status_through_pcscd() {
    let _serial = stack::serial();
    let reader = stack::reader();
    let mut card = stack::connect(&reader);
    for kind in [PinKind::Auth, PinKind::Sign] {
        let status = card.jpki().pin_status(kind).expect("status");
        assert_eq!(status, PinStatus::Remaining(kind.max_tries()), "{kind:?}");
    }
    assert!(!card.pin_verified());
    card.close().expect("close");
}

#[test]
#[ignore = "needs pcscd with the virtual reader: scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored"]
fn verify_and_sign_through_pcscd() {
    let _serial = stack::serial();
    let reader = stack::reader();
    let mut card = stack::connect(&reader);
    let digest = digest(b"signed through pcscd");
    let signature = card
        .jpki()
        .sign_sha256_with_pin(&auth_pin(), &digest, LastTry::Refuse)
        .expect("verify + sign");
    let der = card
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .expect("read");
    assert!(stack::verifies(&der, &digest, &signature));
    card.close().expect("close");
}

#[test]
#[ignore = "needs pcscd with the virtual reader: scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored"]
fn after_a_verified_session_a_new_connection_cannot_sign() {
    let _serial = stack::serial();
    let reader = stack::reader();
    let mut card = stack::connect(&reader);
    card.jpki().verify_pin(&auth_pin()).expect("verify");
    assert_eq!(
        card.jpki().pin_status(PinKind::Auth).expect("status"),
        PinStatus::Verified
    );
    card.close().expect("close unpowers the card");

    let mut next = stack::connect(&reader);
    let result = next
        .jpki()
        .sign_sha256(KeyKind::Auth, &digest(b"inherited?"));
    assert!(
        matches!(result, Err(Error::SecurityStatusNotSatisfied)),
        "{result:?}"
    );
    assert_eq!(
        next.jpki().pin_status(PinKind::Auth).expect("status"),
        PinStatus::Remaining(3)
    );
    next.close().expect("close");
}

#[test]
#[ignore = "needs pcscd with the virtual reader: scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored"]
fn dropping_a_verified_session_also_unpowers() {
    let _serial = stack::serial();
    let reader = stack::reader();
    {
        let mut card = stack::connect(&reader);
        card.jpki().verify_pin(&auth_pin()).expect("verify");
    }
    let mut next = stack::connect(&reader);
    let result = next
        .jpki()
        .sign_sha256(KeyKind::Auth, &digest(b"inherited?"));
    assert!(
        matches!(result, Err(Error::SecurityStatusNotSatisfied)),
        "{result:?}"
    );
}

#[test]
#[ignore = "needs pcscd with the virtual reader: scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored"]
fn a_reset_by_another_application_is_absorbed_by_reads() {
    let _serial = stack::serial();
    let reader = stack::reader();
    let mut card = stack::connect(&reader);
    let first = card
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .expect("read");

    // Another application verifies a PIN and ends its session: the card loses power, and
    // with it our selection.
    let mut other = stack::connect(&reader);
    other.jpki().verify_pin(&auth_pin()).expect("verify");
    other.close().expect("close");

    let trace = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&trace);
    card.set_tracer(move |line| sink.lock().expect("trace").push(line.to_string()));
    let again = card
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .expect("read again");
    assert_eq!(again, first);
    let trace = trace.lock().expect("trace");
    assert!(
        trace
            .first()
            .is_some_and(|l| l.starts_with("> 00A4040C0AD392F000260100000001")),
        "the read starts by selecting the JPKI application again: {trace:?}"
    );
    card.close().expect("close");
}

#[test]
#[ignore = "needs pcscd with the virtual reader: scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored"]
fn removal_in_the_middle_of_a_certificate_is_an_error_not_partial_data() {
    let _serial = stack::serial();
    stack::reader();
    // A virtual reader of its own, serving a card that takes neither extended length nor short
    // file identifiers (so the certificate takes several reads), that drops the card after
    // SELECT AP, the refused whole-file read, SELECT EF and the first 256-byte READ BINARY.
    let mut child = Command::new(stack::virtual_reader_binary())
        .args([
            "--port",
            &stack::SECOND_PORT.to_string(),
            "--profile",
            "select-only",
            "--remove-after",
            "4",
        ])
        .stderr(Stdio::null())
        .spawn()
        .expect("start virtual_reader");
    let ready = stack::wait_for_reader(stack::SECOND_READER, Duration::from_secs(20));
    let result = ready.then(|| {
        let mut card = stack::connect(stack::SECOND_READER);
        card.jpki().read_certificate_der(CertificateKind::Auth)
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(ready, "the second virtual reader never showed a card");
    let result = result.expect("ran");
    assert!(matches!(result, Err(Error::CardRemoved)), "{result:?}");
}

/// The second process of the transaction test (the same test, run again by it with
/// `MYNUMBERCARD_SECOND_PROCESS` set): connects, says so, waits for "go", then tries to sign
/// with the auth key, without a PIN.
fn second_process_signer() {
    let mut card = stack::connect(&stack::reader_name());
    println!("CHILD ready");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).expect("go");
    println!("CHILD signing");
    match card.jpki().sign_sha256(KeyKind::Auth, &digest(b"intruder")) {
        Ok(signature) => println!("CHILD result: signature {}", hex::encode(signature)),
        Err(e) => println!("CHILD result: error {e}"),
    }
}

#[test]
#[ignore = "needs pcscd with the virtual reader: scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored"]
fn a_second_process_cannot_sign_between_our_verify_and_sign() {
    if std::env::var_os("MYNUMBERCARD_SECOND_PROCESS").is_some() {
        return second_process_signer();
    }
    let _serial = stack::serial();
    let reader = stack::reader();
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "a_second_process_cannot_sign_between_our_verify_and_sign",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("MYNUMBERCARD_SECOND_PROCESS", "1")
        .env("MYNUMBERCARD_TEST_READER", &reader)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the second process");
    let mut to_child = child.stdin.take().expect("stdin");
    let mut from_child = BufReader::new(child.stdout.take().expect("stdout"));
    let mut next_line = move || -> String {
        let mut line = String::new();
        while from_child.read_line(&mut line).unwrap_or(0) > 0 {
            // libtest may print "test a_second_process_cannot_sign_… ... " before it.
            if let Some((_, rest)) = line.trim_end().split_once("CHILD ") {
                return rest.to_owned();
            }
            line.clear();
        }
        String::from("(no output)")
    };
    assert_eq!(next_line(), "ready");

    let mut card = stack::connect(&reader);
    let digest = digest(b"ours");
    let signature = card
        .transaction(|card| {
            card.jpki().verify_pin(&auth_pin())?;
            writeln!(to_child, "go").expect("tell the second process");
            assert_eq!(next_line(), "signing");
            // Room for the second process's SIGN to land, were the transaction not held.
            std::thread::sleep(Duration::from_millis(300));
            card.jpki().sign_sha256(KeyKind::Auth, &digest)
        })
        .expect("our verify + sign");
    let der = card
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .expect("read");
    assert!(stack::verifies(&der, &digest, &signature));
    card.close().expect("close");

    let outcome = next_line();
    let _ = child.wait();
    assert_eq!(
        outcome,
        "result: error security status not satisfied: verify the PIN first"
    );
}

#[test]
#[ignore = "needs pcscd with the virtual reader: scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored"]
fn figures_through_pcscd() {
    let _serial = stack::serial();
    let reader = stack::reader();
    let mut card = stack::connect(&reader);
    let caps = mynumbercard::Transport::capabilities(card.transport());
    println!(
        "FIGURE transport through pcscd and vpcd: extended length {}, max command {} B, max \
         response {} B, exclusive {}",
        caps.extended_length, caps.max_command_len, caps.max_response_len, caps.exclusive
    );
    card.jpki().select().expect("select");
    // Round trips of one short command (SELECT of the selected application's EF) through
    // pcscd, vpcd and TCP: printed, not asserted.
    let select_ef = [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A];
    let mut times: Vec<Duration> = (0..200)
        .map(|_| {
            let start = Instant::now();
            let response = mynumbercard::Transport::transmit(card.transport_mut(), &select_ef);
            let elapsed = start.elapsed();
            assert_eq!(response.expect("transmit"), [0x90, 0x00]);
            elapsed
        })
        .collect();
    times.sort();
    println!(
        "FIGURE median APDU round trip through pcscd: {:?} (min {:?}, max {:?}, n = {})",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        times.len()
    );
    card.close().expect("close");

    let count = |name: &str, op: &dyn Fn(&mut mynumbercard::Card<_>)| {
        let mut card = stack::connect(&reader);
        op(&mut card);
        println!(
            "FIGURE APDUs for {name} (fresh session): {}",
            card.stats().commands
        );
        card.close().expect("close");
    };
    count("pin_status(Auth)", &|c| {
        c.jpki().pin_status(PinKind::Auth).expect("status");
    });
    count("read_certificate_der(Auth)", &|c| {
        c.jpki()
            .read_certificate_der(CertificateKind::Auth)
            .expect("read");
    });
    count("identify", &|c| {
        c.jpki().identify().expect("identify");
    });
    count("sign_sha256_with_pin(Auth)", &|c| {
        let digest = digest(b"count");
        c.jpki()
            .sign_sha256_with_pin(&auth_pin(), &digest, LastTry::Refuse)
            .expect("sign");
    });
}

/// Another PC/SC client of the same reader: its own context and a shared connection, sending
/// raw APDUs through the `pcsc` crate, as any program sharing the reader may.
struct OtherClient {
    card: ::pcsc::Card,
}

impl OtherClient {
    fn connect(reader: &str) -> Self {
        let card = Self::try_connect(reader).expect("second connection, shared");
        Self { card }
    }

    fn try_connect(reader: &str) -> Result<::pcsc::Card, ::pcsc::Error> {
        let context = ::pcsc::Context::establish(::pcsc::Scope::User)?;
        let name = std::ffi::CString::new(reader).expect("reader name");
        context.connect(&name, ::pcsc::ShareMode::Shared, ::pcsc::Protocols::ANY)
    }

    /// Sends `apdu` (hex) and requires `9000`.
    fn send(&self, apdu: &str) {
        let command = hex::decode(apdu).expect("hex");
        let mut buffer = [0; ::pcsc::MAX_BUFFER_SIZE];
        let answer = self.card.transmit(&command, &mut buffer).expect("transmit");
        assert_eq!(answer, [0x90, 0x00], "the other client's {apdu}");
    }

    /// Disconnects leaving the card as it is (dropping a `pcsc::Card` resets it, which would
    /// clear the selection and hide what this test looks for).
    fn leave(self) {
        self.card
            .disconnect(::pcsc::Disposition::LeaveCard)
            .map_err(|(_, e)| e)
            .expect("disconnect");
    }
}

const SELECT_JPKI: &str = "00A4040C0AD392F000260100000001";
const SELECT_CARD_INFO: &str = "00A4040C0AD3921000310001010408";

/// The tries left of the JPKI auth and sign PINs and of the card-info PIN, read back with
/// `pin_status` in a session of their own.
fn tries_left(reader: &str) -> [PinStatus; 3] {
    let mut card = stack::connect(reader);
    let statuses = [
        card.jpki().pin_status(PinKind::Auth).expect("status"),
        card.jpki().pin_status(PinKind::Sign).expect("status"),
        card.card_info()
            .pin_status(mynumbercard::card_info::CardInfoKey::Pin)
            .expect("status"),
    ];
    card.close().expect("close");
    statuses
}

/// Puts the tries back to their maximum (the right PINs, then an unpowering close) when the
/// test ends, passed or failed: the other tests share the card.
struct RestoreTries(String);

impl Drop for RestoreTries {
    fn drop(&mut self) {
        let Ok(transport) = mynumbercard::pcsc::PcscTransport::connect(&self.0) else {
            return;
        };
        let mut card = mynumbercard::Card::new(transport);
        let sign = SignPin::new(VirtualCard::DEFAULT_SIGN_PIN).expect("valid PIN");
        let info = mynumbercard::access_code::CardInfoPin::new(VirtualCard::DEFAULT_CARD_INFO_PIN)
            .expect("valid PIN");
        let _ = card.jpki().verify_pin(&auth_pin());
        let _ = card.jpki().verify_pin(&sign);
        let _ = card.card_info().verify_pin(&info);
        let _ = card.close();
    }
}

/// The library's session learns the auth PIN's tries; between that and its VERIFY of a wrong
/// auth PIN, the other client selects `theirs`. Only the auth PIN may lose a try.
fn wrong_auth_pin_after_another_clients_selection(theirs: &[&str]) {
    let reader = stack::reader();
    let _restore = RestoreTries(reader.clone());
    let fresh = [
        PinStatus::Remaining(3),
        PinStatus::Remaining(5),
        PinStatus::Remaining(3),
    ];
    assert_eq!(tries_left(&reader), fresh, "a fresh card to start with");

    let mut card = stack::connect(&reader);
    assert_eq!(
        card.jpki().pin_status(PinKind::Auth).expect("status"),
        PinStatus::Remaining(3)
    );
    let other = OtherClient::connect(&reader);
    for apdu in theirs {
        other.send(apdu);
    }
    let result = card
        .jpki()
        .verify_pin(&AuthPin::new("0000").expect("valid PIN"));
    other.leave();
    card.close().expect("close");

    assert!(
        matches!(result, Err(Error::WrongPin { tries_left: 2 })),
        "{result:?}"
    );
    let [auth, sign, info] = fresh;
    assert_eq!(
        tries_left(&reader),
        [PinStatus::Remaining(2), sign, info],
        "only the auth PIN lost a try (was {auth:?})"
    );
}

#[test]
#[ignore = "needs pcscd with the virtual reader: scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored"]
fn another_client_selecting_the_sign_pin_costs_it_no_try() {
    let _serial = stack::serial();
    wrong_auth_pin_after_another_clients_selection(&[SELECT_JPKI, "00A4020C02001B"]);
}

#[test]
#[ignore = "needs pcscd with the virtual reader: scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored"]
fn another_client_selecting_the_card_info_pin_costs_it_no_try() {
    let _serial = stack::serial();
    wrong_auth_pin_after_another_clients_selection(&[SELECT_CARD_INFO, "00A4020C020011"]);
}

#[test]
#[ignore = "needs pcscd with the virtual reader: scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored"]
fn an_exclusive_connection_keeps_other_clients_out_and_its_selection() {
    let _serial = stack::serial();
    let reader = stack::reader();
    let transport =
        mynumbercard::pcsc::PcscTransport::connect_exclusive(&reader).expect("exclusive");
    let mut card = mynumbercard::Card::new(transport);
    assert!(mynumbercard::Transport::capabilities(card.transport()).exclusive);
    assert_eq!(
        card.jpki().pin_status(PinKind::Auth).expect("status"),
        PinStatus::Remaining(3)
    );
    let other = OtherClient::try_connect(&reader).map(drop);
    assert_eq!(other, Err(::pcsc::Error::SharingViolation));
    // Nobody else could have selected anything: the second status sends the empty VERIFY
    // only (SELECT AP and the empty VERIFY by short file identifier the first time).
    let first = card.stats().commands;
    assert_eq!(
        card.jpki().pin_status(PinKind::Auth).expect("status"),
        PinStatus::Remaining(3)
    );
    assert_eq!((first, card.stats().commands - first), (2, 1));
    card.close().expect("close");
}

#[test]
#[ignore = "needs pcscd with the virtual reader: scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored"]
fn extended_apdus_pass_through_pcscd_and_vpcd() {
    let _serial = stack::serial();
    let reader = stack::reader();
    // The transport says so: vpcd carries extended APDUs of up to 65,535 bytes each way.
    let card = stack::connect(&reader);
    let caps = mynumbercard::Transport::capabilities(card.transport());
    assert!(caps.extended_length, "{caps:?}");
    assert_eq!(
        (caps.max_command_len, caps.max_response_len),
        (65_535, 65_535)
    );
    drop(card);

    let other = OtherClient::connect(&reader);
    let mut buffer = vec![0; ::pcsc::MAX_BUFFER_SIZE_EXTENDED];
    let mut send = |apdu: &[u8]| -> Vec<u8> {
        other
            .card
            .transmit(apdu, &mut buffer)
            .expect("transmit")
            .to_vec()
    };
    // A 2,562-byte response: the whole auth certificate EF (certificate, then filler).
    send(&hex::decode(SELECT_JPKI).unwrap());
    send(&[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A]);
    let file = send(&[0x00, 0xB0, 0x00, 0x00, 0x00, 0x0A, 0x00]);
    let cert = stack::expected_certificate(CertificateKind::Auth);
    assert_eq!(file.len(), 2560 + 2);
    assert_eq!(file[..cert.len()], cert[..]);
    assert_eq!(file[2560..], [0x90, 0x00]);
    // A 1,009-byte command: COMPUTE DIGITAL SIGNATURE of a 1,000-byte message the card hashes
    // (P1 = 03), extended Lc and Le. The signature verifies over the whole message, so the
    // whole command arrived.
    let mut verify = vec![0x00, 0x20, 0x00, 0x98, 0x04];
    verify.extend_from_slice(VirtualCard::DEFAULT_AUTH_PIN.as_bytes());
    assert_eq!(send(&verify), [0x90, 0x00]);
    let message: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
    let mut sign = vec![0x80, 0x2A, 0x03, 0x97, 0x00, 0x03, 0xE8];
    sign.extend_from_slice(&message);
    sign.extend_from_slice(&[0x01, 0x00]);
    assert_eq!(sign.len(), 1009);
    let response = send(&sign);
    assert_eq!(response.len(), 258);
    assert!(stack::verifies(&cert, &digest(&message), &response[..256]));
    // The card was verified here: leave it unpowered for the next test.
    other
        .card
        .disconnect(::pcsc::Disposition::UnpowerCard)
        .map_err(|(_, e)| e)
        .expect("disconnect");
}

#[path = "../benches/budget/mod.rs"]
mod budget;

#[test]
#[ignore = "needs pcscd with the virtual reader: scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored"]
fn the_apdu_budget_holds_through_pcscd() {
    let _serial = stack::serial();
    let reader = stack::reader();
    // The card `virtual_reader` serves by default (extended length and short file
    // identifiers), and a second one on vpcd's second slot refusing both: each operation from
    // a fresh connection sends what it sends in process behind the same capabilities (those
    // vpcd's slots declare: extended APDUs of up to 65,535 bytes, shared).
    let mut child = Command::new(stack::virtual_reader_binary())
        .args([
            "--port",
            &stack::SECOND_PORT.to_string(),
            "--profile",
            "select-only",
        ])
        .stderr(Stdio::null())
        .spawn()
        .expect("start virtual_reader");
    let ready = stack::wait_for_reader(stack::SECOND_READER, Duration::from_secs(20));
    let caps = mynumbercard::Transport::capabilities(stack::connect(&reader).transport());
    println!("FIGURE budget through pcscd ({caps:?})");
    println!("| operation | extended+sfi through pcscd | in process | select-only through pcscd | in process |");
    println!("|---|---:|---:|---:|---:|");
    let count = |name: &str, op: budget::Op| {
        let mut card = stack::connect(name);
        op.run(&mut card)
            .unwrap_or_else(|e| panic!("{} on {name}: {e}", op.name()));
        let sent = card.stats().commands;
        card.close().expect("close");
        sent
    };
    let select_only = budget::Setup::new(
        mynumbercard::virtual_card::Profile::RefusesBoth,
        mynumbercard::virtual_card::Reader::Extended,
    );
    let mut mismatches = Vec::new();
    for op in budget::all_ops() {
        let best = count(&reader, op);
        let best_in_process = budget::commands_with(op, budget::Setup::BEST, caps);
        let (refusing, refusing_in_process) = if ready {
            (
                count(stack::SECOND_READER, op),
                budget::commands_with(op, select_only, caps),
            )
        } else {
            (0, 0)
        };
        println!(
            "| {} | {best} | {best_in_process} | {refusing} | {refusing_in_process} |",
            op.name()
        );
        if (best, refusing) != (best_in_process, refusing_in_process) {
            mismatches.push(op.name());
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(ready, "the second virtual reader never showed a card");
    assert!(mismatches.is_empty(), "{mismatches:?}");
}
