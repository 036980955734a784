//! Every public operation against a hostile transport (`mynumbercard::testing::Hostile`): each
//! fault of the catalogue (removal, reset, timeouts, truncated answers, no status word,
//! oversized data, status words out of place, random bytes, DER headers that lie, endless
//! `61xx` / `6Cxx`) at each APDU of each operation. Every run must end in a value or a clear
//! error within a bounded number of APDUs, never panic, never return a partial certificate,
//! send a PIN at most once and only past the last-try guard, and spend no try for a right PIN.
//!
//! And another program sharing the reader selecting any application and any PIN or key file
//! between two of the library's transactions (after the session selected something of its
//! own): the library must do and return exactly what it does without it.

mod hostile;

use std::panic::{catch_unwind, AssertUnwindSafe};

use hostile::{
    all_tries, certificates, check_certificate, check_guard_on, ops, pin_verifies, Op, Value,
};
use mynumbercard::card_face::CardFaceKey;
use mynumbercard::card_info::CardInfoKey;
use mynumbercard::testing::{Fault, Hostile};
use mynumbercard::{Card, CertificateKind, Error, PinKind, StatusWord, VirtualCard};

/// The seed of the catalogue's random answers.
const SEED: u64 = 0x4A50_4B49_0006;
/// Hard cap per run: far above any bounded run, so only a loop reaches it.
const CAP: usize = 2_000;

/// The kinds of card the sweep runs on: the virtual card as it is (short file identifiers,
/// short APDUs), one refusing short file identifiers (the SELECT path), and a transport
/// declaring extended length whose card answers extended READ BINARY.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Plain,
    RefusingShortFileIds,
    ExtendedReads,
}

const KINDS: [Kind; 3] = [Kind::Plain, Kind::RefusingShortFileIds, Kind::ExtendedReads];

impl Kind {
    /// Behind a short-APDU reader, but for [`Kind::ExtendedReads`]: the SELECT path and its
    /// 256-byte reads, where the faults have the most steps to land on.
    fn hostile(self) -> Hostile {
        let hostile = Hostile::new(short_reader_card());
        match self {
            Kind::Plain => hostile,
            Kind::RefusingShortFileIds => hostile.refusing_short_file_ids(),
            Kind::ExtendedReads => hostile.with_extended_reads(65_536),
        }
    }
}

/// Runs `op` once over `hostile`; returns the card and the result.
fn run(op: &Op, hostile: Hostile) -> (Card<Hostile>, mynumbercard::Result<Value>) {
    let mut card = Card::new(hostile);
    let result = (op.run)(&mut card);
    (card, result)
}

/// Checks one run of `op` on `kind` with `fault` at APDU `at` against the fault-free run;
/// `base_calls` is what a fault-free run costs at most on this kind or on the SELECT path
/// (a fault may make the library fall back to it: a refused extended read or short file
/// identifier is remembered for the session).
fn check_run(op: &Op, kind: Kind, fault: &Fault, at: usize, happy: &Value, base_calls: usize) {
    let context = format!("{} on {kind:?} with {fault:?} at APDU {at}", op.name);
    let hostile = kind.hostile().with_fault(at, fault.clone()).with_cap(CAP);
    let before = VirtualCard::new().all_tries_left();
    let (card, result) = match catch_unwind(AssertUnwindSafe(|| run(op, hostile))) {
        Ok(done) => done,
        Err(_) => panic!("{context}: panicked"),
    };
    let calls = card.transport().calls();
    // Bounded: a repeat after a reset, plus one 61xx chain at its limit (16) and a resend.
    let bound = 2 * base_calls + 18;
    assert!(calls <= bound, "{context}: {calls} APDUs (bound {bound})");
    let records = card.transport().records();

    // A PIN at most once, only past the guard; a right PIN never costs a try.
    let verifies = pin_verifies(records);
    let after = all_tries(&card);
    match op.submits {
        None => {
            assert_eq!(verifies, 0, "{context}: a PIN was sent");
            assert_eq!(after, before, "{context}: a try was spent");
        }
        Some(submitted) => {
            assert!(verifies <= 1, "{context}: {verifies} PIN VERIFYs");
            if let Err(e) = check_guard_on(records, submitted.kind.file(), submitted.last_try) {
                panic!("{context}: {e}");
            }
            let i = submitted.kind.index();
            let spent = before[i].saturating_sub(after[i]);
            let allowed = u8::from(!submitted.right);
            assert!(spent <= allowed, "{context}: {spent} tries spent");
            for (j, (b, a)) in before.iter().zip(after).enumerate() {
                assert!(
                    j == i || *b == a,
                    "{context}: secret {j} changed: {b} → {a}"
                );
            }
        }
    }

    match result {
        Err(Error::InvalidCommand(e)) => panic!("{context}: built a bad command: {e}"),
        Err(_) => {}
        Ok(value) => {
            for der in certificates(&value) {
                if let Err(e) = check_certificate(der) {
                    panic!("{context}: {e}");
                }
            }
            // A signature the library checked is deterministic (PKCS#1 v1.5): the right one.
            // A fault the library was told about (or an endless one) must not change a value.
            let told = fault.is_transport_error() || fault.is_endless();
            if told || matches!(value, Value::CheckedSignature(_)) {
                assert_eq!(&value, happy, "{context}: a wrong value");
            }
        }
    }
}

#[test]
fn every_operation_with_any_fault_at_any_apdu_ends_cleanly() {
    let faults = Fault::catalogue(SEED);
    let mut runs = 0;
    for (op, kind) in ops().flat_map(|op| KINDS.map(|kind| (op, kind))) {
        let (card, happy) = run(op, kind.hostile());
        let happy_calls = card.transport().calls();
        let (slow, _) = run(op, Kind::RefusingShortFileIds.hostile());
        let base_calls = happy_calls.max(slow.transport().calls());
        let happy = match (happy, op.submits) {
            (Ok(value), _) => value,
            // The fault-free failures: a wrong PIN, the signature certificate without PIN.
            (Err(Error::WrongPin { .. } | Error::WrongAccessCode { .. }), Some(s)) if !s.right => {
                Value::Unit
            }
            (Err(Error::SecurityStatusNotSatisfied), None) => Value::Unit,
            (Err(e), _) => panic!("{} on {kind:?}: fails without a fault: {e}", op.name),
        };
        for fault in &faults {
            // Signing is slow on the virtual card: the random answers suffice once.
            if op.signs && matches!(fault, Fault::Garbage { len: 2, .. }) {
                continue;
            }
            for at in 0..=happy_calls {
                check_run(op, kind, fault, at, &happy, base_calls);
                runs += 1;
            }
        }
    }
    eprintln!("{runs} runs");
    assert!(runs > 3 * 5_000, "{runs} runs");
}

type Prelude = fn(&mut Card<Hostile>) -> mynumbercard::Result<()>;

/// What the session did before the operation (each in its own transaction), so that it has
/// something selected: a PIN or key file of each application, or a certificate.
const PRELUDES: &[(&str, Prelude)] = &[
    ("nothing", |_| Ok(())),
    ("auth PIN status", |c| {
        c.jpki().pin_status(PinKind::Auth).map(drop)
    }),
    ("sign PIN status", |c| {
        c.jpki().pin_status(PinKind::Sign).map(drop)
    }),
    ("card-info PIN status", |c| {
        c.card_info().pin_status(CardInfoKey::Pin).map(drop)
    }),
    ("card-face access code A status", |c| {
        c.card_face()
            .code_status(CardFaceKey::AccessCodeA)
            .map(drop)
    }),
    ("auth certificate read", |c| {
        c.jpki()
            .read_certificate_der(CertificateKind::Auth)
            .map(drop)
    }),
];

/// What one run did: its result (errors by their `Debug` text), the library's commands, the
/// tries left after it, the calls (counted from the operation's start) at which each of its
/// transactions sent its first command, and how many commands another program sent.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    result: Result<Value, String>,
    commands: Vec<Vec<u8>>,
    tries: [u8; 8],
    starts: Vec<usize>,
    other_program: usize,
}

/// Runs the prelude, then `op` with `fault` planned `at` calls into it.
fn run_after(
    kind: Kind,
    prelude: Prelude,
    op: &Op,
    fault: Option<(&Fault, usize)>,
) -> (Card<Hostile>, Outcome) {
    let mut card = Card::new(kind.hostile().with_cap(CAP));
    prelude(&mut card).expect("the prelude succeeds");
    let calls = card.transport().calls();
    let from = card.transport().records().len();
    if let Some((fault, at)) = fault {
        card.transport_mut().add_fault(calls + at, fault.clone());
    }
    let result = (op.run)(&mut card).map_err(|e| format!("{e:?}"));
    let records = card.transport().records().get(from..).unwrap_or_default();
    let ours = records.iter().filter(|r| !r.other_program);
    let mut starts = Vec::new();
    let mut last = None;
    for (call, record) in ours.clone().enumerate() {
        if record.transaction != last {
            starts.push(call);
            last = record.transaction;
        }
    }
    let outcome = Outcome {
        result,
        commands: ours.map(|r| r.command.clone()).collect(),
        tries: all_tries(&card),
        starts,
        other_program: records.iter().filter(|r| r.other_program).count(),
    };
    (card, outcome)
}

#[test]
fn another_programs_selection_between_transactions_changes_nothing() {
    let selections = Fault::other_programs();
    let (mut runs, mut lost) = (0, 0);
    // The SELECT path matters most here (a card refusing short file identifiers): what
    // another program selected is what a VERIFY of the current EF would hit.
    let kinds = [Kind::RefusingShortFileIds, Kind::Plain];
    for (op, kind) in ops().flat_map(|op| kinds.map(|kind| (op, kind))) {
        // Signing is slow on the virtual card: after the preludes that matter most.
        let preludes = if op.signs { &PRELUDES[..3] } else { PRELUDES };
        for (prelude_name, prelude) in preludes {
            let (_, happy) = run_after(kind, *prelude, op, None);
            for fault in &selections {
                for &at in &happy.starts {
                    let context = format!(
                        "{} on {kind:?} after {prelude_name}, another program selecting {} \
                         before its command {at}",
                        op.name,
                        describe(fault)
                    );
                    let (card, outcome) = match catch_unwind(AssertUnwindSafe(|| {
                        run_after(kind, *prelude, op, Some((fault, at)))
                    })) {
                        Ok(done) => done,
                        Err(_) => panic!("{context}: panicked"),
                    };
                    runs += 1;
                    assert!(
                        outcome.other_program > 0,
                        "{context}: the fault never happened"
                    );
                    if let Some(submitted) = op.submits {
                        let records = card.transport().records();
                        if let Err(e) =
                            check_guard_on(records, submitted.kind.file(), submitted.last_try)
                        {
                            panic!("{context}: {e}");
                        }
                    }
                    assert_eq!(outcome.tries, happy.tries, "{context}: tries left");
                    if lost_verification(fault, &outcome, &happy) {
                        lost += 1;
                        continue;
                    }
                    if hides_master_file(op.name, fault, &outcome, &happy) {
                        continue;
                    }
                    assert_eq!(outcome.result, happy.result, "{context}: result");
                    assert_eq!(outcome.commands, happy.commands, "{context}: commands");
                }
            }
        }
    }
    eprintln!("{runs} runs, {lost} lost a verified PIN to another application's SELECT");
    assert!(runs > 2 * 3_000, "{runs} runs");
}

/// The other difference: the master file's objects answer only before any application is
/// selected (myna-card), so another program's SELECT of an application hides them. The read
/// then gives each as not available, no error, having sent the same commands.
fn hides_master_file(op: &str, fault: &Fault, outcome: &Outcome, happy: &Outcome) -> bool {
    let selects_application = matches!(fault, Fault::OtherProgram { aid: Some(_), .. });
    op == "master file objects"
        && selects_application
        && outcome.commands == happy.commands
        && matches!(&outcome.result, Ok(Value::Record(r)) if r == "None None None")
}

/// Another program's selection, readably: the AID in hex, the EF id.
fn describe(fault: &Fault) -> String {
    match fault {
        Fault::OtherProgram { aid, fid } => {
            let aid = aid.map_or("no application".to_owned(), hex::encode_upper);
            let fid = fid.map_or("no EF".to_owned(), |fid| format!("EF {fid:04X}"));
            format!("{aid}, {fid}")
        }
        other => format!("{other:?}"),
    }
}

/// The one difference another program may make: selecting another application clears the
/// card's security status (ISO 7816-4 lets a card do so; the virtual card does), so an
/// operation that verified a PIN in an earlier transaction and uses it in a later one fails
/// with [`Error::SecurityStatusNotSatisfied`], having sent what the run without it sent up to
/// there.
fn lost_verification(fault: &Fault, outcome: &Outcome, happy: &Outcome) -> bool {
    matches!(fault, Fault::OtherProgram { aid: Some(_), .. })
        && outcome.result.as_ref().err().map(String::as_str) == Some("SecurityStatusNotSatisfied")
        && happy.commands.starts_with(&outcome.commands)
}

/// The default virtual card behind a short-APDU reader.
fn short_reader_card() -> VirtualCard {
    VirtualCard::builder()
        .reader(mynumbercard::virtual_card::Reader::ShortOnly)
        .build()
}

/// A certificate read, in 256-byte reads, against a transport that faults at APDU `at`.
fn read_auth_with(fault: Fault, at: usize) -> (Card<Hostile>, mynumbercard::Result<Vec<u8>>) {
    let mut card = Card::new(Hostile::new(short_reader_card()).with_fault(at, fault));
    let result = card.jpki().read_certificate_der(CertificateKind::Auth);
    (card, result)
}

#[test]
fn a_der_header_claiming_60_kb_is_refused_after_the_first_read() {
    // APDUs: SELECT AP, SELECT EF, READ BINARY (answered `30 82 EA 60 …`).
    let (card, result) = read_auth_with(Fault::LyingDer(0xEA60), 2);
    assert!(
        matches!(result, Err(Error::MalformedResponse(_))),
        "{result:?}"
    );
    assert_eq!(card.transport().calls(), 3);
}

#[test]
fn a_header_claiming_16_kb_is_read_within_bounds_and_never_returned_partially() {
    // Just under the cap: the library reads what the card has and stops at its end (6B00).
    let (card, result) = read_auth_with(Fault::LyingDer(0x3FFC), 2);
    // The card's end of file (6B00) comes before the 16 KB the header claims.
    assert!(
        matches!(
            result,
            Err(Error::UnexpectedStatus { status, .. }) if status == StatusWord::from_u16(0x6B00)
        ),
        "{result:?}"
    );
    let reads = card.transport().calls() - 2;
    assert!(reads <= 2 * 0x4000 / 256, "{reads} READ BINARY");
    // Offsets stay below 32 KB: the card's 15-bit offset cannot wrap.
    for record in card.transport().records() {
        if let [0x00, 0xB0, p1, ..] = record.command.as_slice() {
            assert!(p1 & 0x80 == 0, "{:02X?}", record.command);
        }
    }
}

#[test]
fn endless_61xx_stops_at_the_get_response_limit() {
    let (card, result) = read_auth_with(Fault::Endless61(0x10), 2);
    assert!(
        matches!(result, Err(Error::MalformedResponse(_))),
        "{result:?}"
    );
    // SELECT, SELECT, READ BINARY, then 16 GET RESPONSE (the default limit).
    assert_eq!(card.transport().calls(), 3 + 16);
}

#[test]
fn endless_6cxx_resends_a_read_once_and_never_a_pin() {
    let (card, result) = read_auth_with(Fault::Endless6C(0x20), 2);
    assert!(
        matches!(
            result,
            Err(Error::UnexpectedStatus { status, .. }) if status == StatusWord::from_u16(0x6C20)
        ),
        "{result:?}"
    );
    assert_eq!(card.transport().calls(), 3 + 1);

    // SELECT AP, empty VERIFY and VERIFY by short file identifier; or, on a card refusing
    // those, SELECT AP, the refused probe, SELECT EF, empty VERIFY, VERIFY: 6C on the PIN is
    // not followed.
    for (kind, verify_at) in [(Kind::Plain, 2), (Kind::RefusingShortFileIds, 4)] {
        let hostile = kind.hostile().with_fault(verify_at, Fault::Endless6C(0x04));
        let mut card = Card::new(hostile);
        let result = card.jpki().verify_pin(&hostile::auth_pin());
        assert!(
            matches!(
                result,
                Err(Error::UnexpectedStatus { status, .. }) if status == StatusWord::from_u16(0x6C04)
            ),
            "{kind:?}: {result:?}"
        );
        assert_eq!(card.transport().calls(), verify_at + 1, "{kind:?}");
        assert_eq!(pin_verifies(card.transport().records()), 1, "{kind:?}");
    }
}

#[test]
fn a_certificate_read_in_one_extended_read_is_whole_or_an_error_at_any_fault() {
    // SELECT AP, then READ BINARY `00 B0 8A 00 00 40 00` (EF 000A by its short file
    // identifier, Le 16 KiB): every fault of the catalogue at each.
    let expected = VirtualCard::new()
        .certificate_der(CertificateKind::Auth)
        .to_vec();
    for fault in Fault::catalogue(SEED) {
        for at in 0..3 {
            let hostile = Kind::ExtendedReads.hostile().with_fault(at, fault.clone());
            let mut card = Card::new(hostile.with_cap(CAP));
            match card.jpki().read_certificate_der(CertificateKind::Auth) {
                Ok(der) => {
                    if let Err(e) = check_certificate(&der) {
                        panic!("{fault:?} at {at}: {e}");
                    }
                    // A fault the library was told about must not change the value.
                    if fault.is_transport_error() || fault.is_endless() {
                        assert_eq!(der, expected, "{fault:?} at {at}");
                    }
                }
                Err(Error::InvalidCommand(e)) => panic!("{fault:?} at {at}: {e}"),
                Err(_) => {}
            }
            let calls = card.transport().calls();
            assert!(calls <= 2 * 6 + 18, "{fault:?} at {at}: {calls} APDUs");
        }
    }
}

#[test]
fn a_certificate_is_whole_or_an_error_whatever_step_the_card_leaves_at() {
    let (card, _) = read_auth_with(Fault::Truncate(0), 99);
    let steps = card.transport().calls();
    assert!(steps > 4, "the auth certificate takes several reads");
    for at in 0..steps {
        for fault in [Fault::Removed, Fault::RemovedAfter, Fault::NoStatusWord] {
            let (_, result) = read_auth_with(fault.clone(), at);
            assert!(
                matches!(
                    result,
                    Err(Error::CardRemoved | Error::MalformedResponse(_))
                        | Err(Error::UnexpectedStatus { .. })
                ),
                "{fault:?} at {at}: {result:?}"
            );
        }
    }
}
