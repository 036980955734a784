//! The APDU budget: every operation, from a fresh session on each kind of virtual card behind
//! each kind of reader, sends exactly the APDUs its budget says, stated against the fewest the
//! forms that card and reader take allow. Prints the tables of the `performance` page (APDUs,
//! bytes on the wire, modeled wall time) with `-- --nocapture`.

#![cfg(feature = "virtual-card")]

#[path = "../benches/budget/mod.rs"]
mod budget;

use budget::{all_ops, measure, measure_on, row, Mode, Op, Setup, HEADER, JPKI};
use mynumbercard::transport::{Capabilities, Transport};
use mynumbercard::virtual_card::{Profile, Reader};
use mynumbercard::{Card, CertificateKind, KeyKind, PinKind, TransportError, VirtualCard};

#[test]
fn each_operation_sends_its_budget_on_every_setup() {
    for setup in Setup::ALL {
        let card = setup.card();
        for op in all_ops() {
            let sent = measure_on(op, setup).stats.commands;
            let (bound, how) = op.lower_bound(setup, &card);
            let expected = op.expected(setup, &card);
            assert!(expected >= bound, "{} on {}", op.name(), setup.name());
            assert_eq!(
                sent,
                expected,
                "{} on {}: lower bound {bound} ({how})",
                op.name(),
                setup.name()
            );
        }
    }
}

#[test]
fn the_best_card_and_reader_meet_the_targets_at_their_lower_bounds() {
    let setup = Setup::BEST;
    let card = setup.card();
    let sent = |op: Op| measure_on(op, setup).stats.commands;
    let bound = |op: Op| op.lower_bound(setup, &card).0;
    // A certificate in 2 (SELECT AP, one READ BINARY by short file identifier), PIN status 2,
    // verify and sign 4 (the guard's status VERIFY included).
    for kind in [
        CertificateKind::Auth,
        CertificateKind::AuthCa,
        CertificateKind::SignCa,
    ] {
        assert_eq!(sent(Op::ReadCertificate(kind)), 2, "{kind:?}");
    }
    for kind in [PinKind::Auth, PinKind::Sign] {
        assert_eq!(sent(Op::PinStatus(kind)), 2, "{kind:?}");
        assert_eq!(sent(Op::VerifyPin(kind)), 3, "{kind:?}");
    }
    for key in [KeyKind::Auth, KeyKind::Sign] {
        assert_eq!(sent(Op::VerifyAndSign(key)), 4, "{key:?}");
    }
    // The eligibility check: PIN mode at most 5, visual mode with access code B at most 6; the
    // basic four with the guard and the integrity check at most 5.
    assert!(sent(Op::Eligibility(Mode::Pin)) <= 5);
    assert!(sent(Op::Eligibility(Mode::VisualWithCode)) <= 6);
    assert!(sent(Op::CardInfoAttributes) <= 5);
    // Every one at its lower bound but `identify`, whose 32-byte token file the library reads
    // after its SELECT (it reads by short file identifier only in an extended READ BINARY).
    for op in all_ops() {
        let extra = u64::from(op == Op::Identify);
        assert_eq!(sent(op), bound(op) + extra, "{}", op.name());
    }
}

/// The virtual card behind a transport that records the status word of every answer.
struct Statuses {
    card: VirtualCard,
    statuses: Vec<u16>,
}

impl Transport for Statuses {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let response = self.card.transmit(command)?;
        if let [.., sw1, sw2] = response[..] {
            self.statuses.push(u16::from_be_bytes([sw1, sw2]));
        }
        Ok(response)
    }

    fn capabilities(&self) -> Capabilities {
        self.card.capabilities()
    }
}

#[test]
fn a_card_refusing_both_forms_costs_one_probe_per_session() {
    for reader in Reader::ALL {
        let mut card = Card::new(Statuses {
            card: VirtualCard::builder()
                .profile(Profile::RefusesBoth)
                .reader(reader)
                .build(),
            statuses: Vec::new(),
        });
        for op in all_ops() {
            op.run(&mut card)
                .unwrap_or_else(|e| panic!("{} behind {reader:?}: {e}", op.name()));
        }
        let refusals = card
            .transport()
            .statuses
            .iter()
            .filter(|&&sw| sw == 0x6700 || sw == 0x6A86)
            .count();
        assert_eq!(refusals, 1, "behind {reader:?}");
        // Nothing else is sent in a form the card refuses: every later file is read after its
        // SELECT, 256 bytes at a time, as on a card no one probed.
        let log = card.transport().card.log();
        let first_refused = card
            .transport()
            .statuses
            .iter()
            .position(|&sw| sw == 0x6700 || sw == 0x6A86)
            .unwrap();
        for command in &log[first_refused + 1..] {
            let sfi_read = command[1] == 0xB0 && command[2] & 0x80 != 0;
            let sfi_p2 = matches!(command[1], 0x20 | 0x2A)
                && command[3] & 0xE0 == 0x80
                && command[3] != 0x80;
            let extended = command.len() > 5 && command[4] == 0 && command[1] == 0xB0;
            assert!(!(sfi_read || sfi_p2 || extended), "{command:02X?}");
        }
    }
}

#[test]
fn a_short_only_reader_never_carries_an_extended_apdu() {
    // The virtual card's short-only reader fails any extended command: every operation
    // succeeding on it shows the library sent none.
    for profile in Profile::ALL {
        let setup = Setup::new(profile, Reader::ShortOnly);
        for op in all_ops() {
            let mut card = Card::new(setup.card());
            op.run(&mut card)
                .unwrap_or_else(|e| panic!("{} on {}: {e}", op.name(), setup.name()));
            assert!(card.transport().log().iter().all(|c| c.len() <= 261));
        }
    }
}

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
        assert!(
            bound(op, Setup::BEST) <= bound(op, select_only),
            "{}",
            op.name()
        );
    }
}

#[test]
fn a_shared_transport_selects_again_in_every_transaction() {
    // (exclusive, shared), on the default card and reader: the guard selects the secret's
    // application in its own transaction on both (and names the PIN by its short file
    // identifier); reads after it save their SELECT AP only on an exclusive transport.
    let expected = [(5, 5), (3, 4), (4, 5), (8, 8)];
    println!("| sequence | exclusive | shared |\n|---|---:|---:|");
    for ((name, ops), want) in budget::SEQUENCES.iter().zip(expected) {
        let got = budget::sequence_apdus(ops);
        println!("| {name} | {} | {} |", got.0, got.1);
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn the_other_applications_reads_send_their_counts() {
    use budget::apps::{app_row, APP_HEADER, APP_OPS};
    println!("{APP_HEADER}");
    for op in APP_OPS {
        let apdus = op.apdus();
        println!("{}", app_row(op, apdus));
        assert_eq!(
            apdus,
            op.expected(),
            "{}: {}",
            op.name(),
            op.lower_bound().1
        );
        assert!(apdus >= op.lower_bound().0, "{}", op.name());
    }
}
