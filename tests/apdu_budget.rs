//! The APDU budget: every JPKI operation, from a fresh session on the virtual card, sends
//! exactly the fewest APDUs its addressing allows on a short-APDU transport (short file
//! identifiers in the guard's VERIFYs and in signing, SELECT and 256-byte reads for files). Prints the README's Performance
//! table (APDUs, bytes on the wire, modeled wall time) with `-- --nocapture`.

#![cfg(feature = "virtual-card")]

#[path = "../benches/budget/mod.rs"]
mod budget;

use budget::{measure, row, Op, FLOWS, HEADER, JPKI};
use mynumbercard::VirtualCard;

#[test]
fn each_operation_sends_its_lower_bound_of_apdus() {
    println!("{HEADER}");
    let card = VirtualCard::new();
    for op in JPKI.into_iter().chain(FLOWS) {
        let cost = measure(op);
        println!("{}", row(op, &cost));
        let (bound, how) = op.lower_bound(&card);
        assert_eq!(cost.stats.commands, bound, "{}: {how}", op.name());
    }
}

#[test]
fn the_modeled_time_is_at_least_one_turnaround_per_apdu() {
    for op in JPKI.into_iter().chain(FLOWS) {
        let cost = measure(op);
        let n = u32::try_from(cost.stats.commands).unwrap();
        let contact = mynumbercard::latency::LinkModel::contact();
        let nfc = mynumbercard::latency::LinkModel::nfc_424();
        assert!(cost.contact >= contact.turnaround * n, "{}", op.name());
        assert!(cost.nfc >= nfc.turnaround * n, "{}", op.name());
    }
}

#[test]
fn signing_is_charged_the_cards_signature_time_once() {
    let cost = measure(Op::VerifyAndSign(mynumbercard::KeyKind::Auth));
    let verify = measure(Op::VerifyPin(mynumbercard::PinKind::Auth));
    let model = mynumbercard::latency::LinkModel::contact();
    assert!(cost.contact - verify.contact >= model.signature_time);
    assert!(cost.contact - verify.contact < 2 * model.signature_time);
}

#[test]
fn only_the_signing_operations_are_charged_a_signature() {
    let model = mynumbercard::latency::LinkModel::nfc_424();
    for op in JPKI.into_iter().chain(FLOWS) {
        let cost = measure(op);
        assert_eq!(
            cost.nfc >= model.signature_time,
            op.signs(),
            "{}",
            op.name()
        );
    }
}

#[test]
fn a_shared_transport_selects_again_in_every_transaction() {
    // (exclusive, shared): the guard selects the secret's application in its own transaction
    // on both (and names the PIN by its short file identifier); reads after it save their
    // SELECT AP only on an exclusive transport.
    let expected = [(5, 5), (11, 12), (9, 10), (12, 12)];
    println!("| sequence | exclusive | shared |\n|---|---:|---:|");
    for ((name, ops), want) in budget::SEQUENCES.iter().zip(expected) {
        let got = budget::sequence_apdus(ops);
        println!("| {name} | {} | {} |", got.0, got.1);
        assert_eq!(got, want, "{name}");
    }
}
