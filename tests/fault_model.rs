//! The randomized fault model: thousands of random sequences of operations against a virtual
//! card behind a hostile transport that injects faults at random APDUs (removal, reset,
//! transport errors before or after the card processed the command, garbage answers; one
//! sequence in four draws from every fault kind). The transport is shared: between two of the
//! library's transactions, another program selects any application and any PIN or key file
//! now and then, without the library being told.
//!
//! Invariants, checked after every operation against the virtual card itself:
//! - a PIN's tries go down only by a wrong PIN the test submitted in that operation, by at
//!   most one, and exactly one when the library reported [`Error::WrongPin`]; a right PIN
//!   never costs a try; an operation without a PIN changes no counter;
//! - a PIN is sent at most once per operation, and never past the last-try guard: no VERIFY
//!   follows an empty VERIFY that (as the library saw it) left one try under
//!   [`LastTry::Refuse`], or reported the PIN blocked; and each VERIFY follows, in its own
//!   transaction, the library's SELECT of the secret's application and EF and the empty
//!   VERIFY;
//! - a refusal ([`Error::LastTryRefused`], [`Error::PinTriesUnknown`]) sent no PIN;
//! - the APDUs the hostile transport let through (the library's and the other program's) are
//!   exactly the card's log.
//!
//! The card takes short file identifiers in one sequence of three, refuses them in another
//! (the SELECT path: the guard selects the secret's EF itself), and in the third sits behind
//! a transport declaring extended length whose card answers extended READ BINARY (the card's
//! log then holds the short reads that served it, so the log check skips those sequences).
//!
//! Seeded and reproducible: `FAULT_MODEL_SEED` and `FAULT_MODEL_SEQUENCES` override the
//! defaults; a failure names the seed and the sequence.

mod hostile;

use hostile::app_ops::{card_info_pin, code_a, code_b};
use hostile::{
    all_tries, auth_pin, check_guard_on, pin_verifies, sign_pin, Secret, WRONG_AUTH, WRONG_SIGN,
};
use mynumbercard::testing::{FaultMix, Hostile, SplitMix64};
use mynumbercard::virtual_card::Reader;
use mynumbercard::{AuthPin, Card, CertificateKind, Error, LastTry, PinKind, SignPin, VirtualCard};

const DEFAULT_SEED: u64 = 0x6_F4A5;
const DEFAULT_SEQUENCES: u64 = 10_000;
/// Hard cap on APDUs per sequence: a loop fails the test instead of hanging it.
const CAP: usize = 5_000;

/// One operation of a sequence.
#[derive(Clone, Copy, Debug)]
enum Step {
    Status(PinKind),
    Verify(PinKind, bool, LastTry),
    /// PIN change to the same value (so the right PIN stays known whatever the outcome).
    Change(PinKind, bool, LastTry),
    /// Status, then VERIFY, in one transaction.
    StatusThenVerify(PinKind, bool, LastTry),
    Read(CertificateKind),
    Identify,
    /// Verify the auth PIN and sign, in one transaction (slow: RSA on the virtual card).
    SignWithPin(bool, LastTry),
    /// A card-info secret (PIN, access code A or B).
    InfoVerify(Secret, bool, LastTry),
    /// Card-info PIN change to the same value.
    InfoChange(bool, LastTry),
    /// Card-info read of everything (needs the PIN verified in the session).
    InfoRead,
    /// A card-face access code (A or B).
    FaceVerify(Secret, bool, LastTry),
    /// Card-face record (needs a code verified in the session).
    FaceRead,
}

impl Step {
    fn random(rng: &mut SplitMix64) -> Self {
        let kind = if rng.one_in(2) {
            PinKind::Auth
        } else {
            PinKind::Sign
        };
        let right = rng.one_in(2);
        let last_try = if rng.one_in(4) {
            LastTry::Allow
        } else {
            LastTry::Refuse
        };
        let info = *rng
            .pick(&[Secret::CardInfoPin, Secret::CardInfoA, Secret::CardInfoB])
            .unwrap_or(&Secret::CardInfoPin);
        let face = if rng.one_in(2) {
            Secret::CardFaceA
        } else {
            Secret::CardFaceB
        };
        match rng.below(60) {
            40..=45 => Step::InfoVerify(info, right, last_try),
            46..=47 => Step::InfoChange(right, last_try),
            48..=50 => Step::InfoRead,
            51..=55 => Step::FaceVerify(face, right, last_try),
            56..=59 => Step::FaceRead,
            0..=5 => Step::Status(kind),
            6..=17 => Step::Verify(kind, right, last_try),
            18..=21 => Step::Change(kind, right, last_try),
            22..=27 => Step::StatusThenVerify(kind, right, last_try),
            28..=33 => Step::Read(
                *rng.pick(&CertificateKind::ALL)
                    .unwrap_or(&CertificateKind::Auth),
            ),
            34..=38 => Step::Identify,
            _ => Step::SignWithPin(right, last_try),
        }
    }

    /// The secret submitted: which, right, last try.
    fn submits(self) -> Option<(Secret, bool, LastTry)> {
        let jpki = |kind| match kind {
            PinKind::Auth => Secret::Auth,
            PinKind::Sign => Secret::Sign,
            _ => unreachable!("the model draws only these PIN kinds"),
        };
        match self {
            Step::Verify(k, r, l) | Step::Change(k, r, l) | Step::StatusThenVerify(k, r, l) => {
                Some((jpki(k), r, l))
            }
            Step::SignWithPin(r, l) => Some((Secret::Auth, r, l)),
            Step::InfoVerify(s, r, l) | Step::FaceVerify(s, r, l) => Some((s, r, l)),
            Step::InfoChange(r, l) => Some((Secret::CardInfoPin, r, l)),
            _ => None,
        }
    }

    fn run(self, card: &mut Card<Hostile>) -> mynumbercard::Result<()> {
        let mut jpki = card.jpki();
        match self {
            Step::Status(kind) => jpki.pin_status(kind).map(drop),
            Step::Verify(PinKind::Auth, right, l) => jpki.verify_pin_with(&auth(right), l),
            Step::Verify(PinKind::Sign, right, l) => jpki.verify_pin_with(&sign(right), l),
            Step::Change(PinKind::Auth, right, l) => jpki.change_pin(&auth(right), &auth_pin(), l),
            Step::Change(PinKind::Sign, right, l) => jpki.change_pin(&sign(right), &sign_pin(), l),
            Step::Verify(..) | Step::Change(..) => {
                unreachable!("the model draws only these PIN kinds")
            }
            Step::StatusThenVerify(kind, right, l) => card.transaction(|card| {
                let mut jpki = card.jpki();
                jpki.pin_status(kind)?;
                match kind {
                    PinKind::Auth => jpki.verify_pin_with(&auth(right), l),
                    PinKind::Sign => jpki.verify_pin_with(&sign(right), l),
                    _ => unreachable!("the model draws only these PIN kinds"),
                }
            }),
            Step::Read(kind) => jpki.read_certificate_der(kind).map(drop),
            Step::Identify => jpki.identify().map(drop),
            Step::SignWithPin(right, l) => jpki
                .sign_sha256_with_pin(&auth(right), &hostile::DIGEST, l)
                .map(drop),
            Step::InfoVerify(secret, right, l) => {
                let mut info = card.card_info();
                match secret {
                    Secret::CardInfoA => info.verify_access_code_a_with(&code_a(right), l),
                    Secret::CardInfoB => info.verify_access_code_b_with(&code_b(right), l),
                    _ => info.verify_pin_with(&card_info_pin(right), l),
                }
            }
            Step::InfoChange(right, l) => {
                let new = card_info_pin(true);
                card.card_info().change_pin(&card_info_pin(right), &new, l)
            }
            Step::InfoRead => card.card_info().read_all().map(drop),
            Step::FaceVerify(secret, right, l) => {
                let mut face = card.card_face();
                match secret {
                    Secret::CardFaceA => face.verify_access_code_a_with(&code_a(right), l),
                    _ => face.verify_access_code_b_with(&code_b(right), l),
                }
            }
            Step::FaceRead => card.card_face().read_record().map(drop),
        }
    }
}

fn auth(right: bool) -> AuthPin {
    if right {
        auth_pin()
    } else {
        AuthPin::new(WRONG_AUTH).expect("valid")
    }
}

fn sign(right: bool) -> SignPin {
    if right {
        sign_pin()
    } else {
        SignPin::new(WRONG_SIGN).expect("valid")
    }
}

/// Checks one step's effect; `Err` says what broke.
fn check_step(
    step: Step,
    result: &mynumbercard::Result<()>,
    card: &Card<Hostile>,
    records_before: usize,
    before: [u8; 8],
) -> Result<(), String> {
    let records = card
        .transport()
        .records()
        .get(records_before..)
        .unwrap_or_default();
    let after = all_tries(card);
    let verifies = pin_verifies(records);
    let Some((kind, right, last_try)) = step.submits() else {
        if verifies > 0 || after != before {
            return Err(format!(
                "no PIN submitted, {verifies} sent, tries {before:?} → {after:?}"
            ));
        }
        return Ok(());
    };
    if verifies > 1 {
        return Err(format!("{verifies} PIN VERIFYs"));
    }
    check_guard_on(records, kind.file(), last_try)?;
    if matches!(
        result,
        Err(Error::LastTryRefused { .. } | Error::TriesUnknown { .. })
    ) && verifies > 0
    {
        return Err(format!("{result:?} but a PIN was sent"));
    }
    let i = kind.index();
    let (b, a) = (before[i], after[i]);
    let ok = match (right, result) {
        // A right PIN that reached the card restores the count; one that did not changes
        // nothing. It never costs a try.
        (true, Ok(())) => a == kind.max_tries() || b == 0,
        (true, _) => a == b || a == kind.max_tries(),
        // A wrong PIN the library saw refused reached the card: exactly one try.
        (false, Err(Error::WrongPin { .. })) => a == b.saturating_sub(1),
        // Otherwise it may or may not have reached the card (its answer lost).
        (false, _) => a == b || a == b.saturating_sub(1),
    };
    let other = (0..after.len()).all(|j| j == i || after[j] == before[j]);
    if !ok || !other {
        return Err(format!("tries {before:?} → {after:?} (PIN right: {right})"));
    }
    Ok(())
}

/// Runs sequence `index` of `seed`; returns the APDUs the library sent and those another
/// program sent, or what broke.
fn sequence(seed: u64, index: u64) -> Result<(usize, usize), String> {
    let mut rng = SplitMix64::new(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let builder = VirtualCard::builder()
        .auth_tries_left(1 + rng.below(3) as u8)
        .sign_tries_left(1 + rng.below(5) as u8)
        .card_info_pin_tries_left(1 + rng.below(3) as u8)
        .access_code_a_tries_left(1 + rng.below(3) as u8)
        .access_code_b_tries_left(1 + rng.below(3) as u8);
    let mix = if rng.one_in(4) {
        FaultMix::Everything
    } else {
        FaultMix::Session
    };
    // The virtual card as built (extended length and short file identifiers, behind a reader
    // carrying extended APDUs), refusing short file identifiers, answering extended reads
    // through the hostile transport, or behind a short-APDU reader.
    let kind = rng.below(4);
    let vc = match kind {
        3 => builder.reader(Reader::ShortOnly).build(),
        _ => builder.build(),
    };
    let hostile = match kind {
        0 | 3 => Hostile::new(vc),
        1 => Hostile::new(vc).refusing_short_file_ids(),
        _ => Hostile::new(vc).with_extended_reads(65_536),
    };
    let hostile = hostile
        .with_random_faults(rng.next_u64(), 2 + rng.below(10), mix)
        .with_cap(CAP);
    let mut card = Card::new(hostile);
    let len = 3 + rng.below(10);
    let mut history = Vec::new();
    for _ in 0..len {
        let step = Step::random(&mut rng);
        let before = all_tries(&card);
        let records_before = card.transport().records().len();
        let result = step.run(&mut card);
        history.push(format!("{step:?} → {result:?}"));
        if let Err(e) = check_step(step, &result, &card, records_before, before) {
            return Err(format!("{e}\n  after: {}", history.join("\n  then: ")));
        }
        card.transport_mut().calm();
    }
    let hostile = card.transport();
    let delivered: Vec<&Vec<u8>> = hostile
        .records()
        .iter()
        .filter(|r| r.card_answer.is_some() && !hostile.answers_itself(&r.command))
        .map(|r| &r.command)
        .collect();
    let log: Vec<&Vec<u8>> = hostile.card().log().iter().collect();
    if kind != 2 && delivered != log {
        return Err("the card's log differs from what the transport let through".into());
    }
    let other_program = hostile.records().iter().filter(|r| r.other_program).count();
    Ok((hostile.calls(), other_program))
}

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .strip_prefix("0x")
            .map_or_else(|| v.parse(), |hex| u64::from_str_radix(hex, 16))
            .unwrap_or_else(|e| panic!("{name}={v}: {e}")),
        Err(_) => default,
    }
}

#[test]
fn random_faults_never_cost_a_try_nor_bypass_the_guard() {
    let seed = env_u64("FAULT_MODEL_SEED", DEFAULT_SEED);
    let sequences = env_u64("FAULT_MODEL_SEQUENCES", DEFAULT_SEQUENCES);
    let (mut apdus, mut other_program) = (0, 0);
    for index in 0..sequences {
        match std::panic::catch_unwind(|| sequence(seed, index)) {
            Ok(Ok((sent, other))) => {
                apdus += sent;
                other_program += other;
            }
            Ok(Err(e)) => panic!("FAULT_MODEL_SEED={seed:#x}, sequence {index}: {e}"),
            Err(_) => panic!("FAULT_MODEL_SEED={seed:#x}, sequence {index}: panicked"),
        }
    }
    eprintln!(
        "{sequences} sequences, {apdus} APDUs, {other_program} by another program, seed {seed:#x}"
    );
    assert!(apdus as u64 > sequences * 3);
    assert!(
        other_program as u64 > sequences / 2,
        "{other_program} by another program"
    );
}
