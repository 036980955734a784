//! The APDU budget: every operation, from a fresh session on each kind of virtual card behind
//! each kind of reader, sends exactly the APDUs its budget says, stated against the fewest the
//! forms that card and reader take allow. Prints the tables of the `performance` page (APDUs,
//! bytes on the wire, modeled wall time) with `-- --nocapture`.

#![cfg(feature = "virtual-card")]

#[path = "../benches/budget/mod.rs"]
mod budget;

use budget::{all_ops, measure, measure_on, row, Op, Setup, HEADER, JPKI};
use mynumbercard::VirtualCard;

#[test]
fn budget_tables() {
    for setup in Setup::ALL {
        println!("\n### {}\n\n{HEADER}", setup.name());
        for op in all_ops() {
            println!("{}", row(op, setup, &measure_on(op, setup)));
        }
    }
}

#[test]
fn the_modeled_time_is_at_least_one_turnaround_per_apdu() {
    for op in all_ops() {
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
    for op in all_ops() {
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
fn lower_bounds_count_what_each_setup_allows() {
    let card = VirtualCard::new();
    let bound = |op, setup| Op::lower_bound(op, setup, &card).0;
    let auth = Op::ReadCertificate(mynumbercard::CertificateKind::Auth);
    let select_only = Setup::ALL[5];
    assert_eq!(bound(auth, Setup::BEST), 2);
    let reads = card
        .certificate_der(mynumbercard::CertificateKind::Auth)
        .len()
        .div_ceil(256) as u64;
    assert_eq!(bound(auth, select_only), 2 + reads);
    for op in JPKI {
        assert!(bound(op, Setup::BEST) <= bound(op, select_only), "{}", op.name());
    }
}
