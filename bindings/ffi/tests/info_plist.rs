//! The iOS Info.plist fragment lists exactly the application identifiers the library
//! selects: every task of the API is run on the virtual card and the AIDs of its SELECT
//! commands (`00 A4 04 xx`) are collected from the card's APDU log.

use std::collections::BTreeSet;
use std::sync::Arc;

use mynumbercard_ffi::{
    CardFaceSecret, CardInfoSecret, CertificateKind, ChangeablePin, KeyKind, LastTry, MyNumberCard,
    Secret, SignInput, VirtualCard,
};

fn secret(s: &str) -> Secret {
    Secret::new(s.as_bytes().to_vec())
}

fn selected_aids(card: &Arc<VirtualCard>) -> BTreeSet<String> {
    card.apdu_log()
        .iter()
        .filter(|c| c.len() > 5 && c[1] == 0xA4 && c[2] == 0x04)
        .filter_map(|c| {
            let len = usize::from(c[4]);
            c.get(5..5 + len).map(hex)
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn plist_aids() -> BTreeSet<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../swift/Info.plist.fragment");
    let text = std::fs::read_to_string(path).unwrap();
    let key = "<key>com.apple.developer.nfc.readersession.iso7816.select-identifiers</key>";
    let after = text.split(key).nth(1).expect("the select-identifiers key");
    let array = after.split("</array>").next().unwrap();
    array
        .split("<string>")
        .skip(1)
        .filter_map(|s| s.split("</string>").next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_plist_lists_every_aid_the_library_selects() {
    let card = VirtualCard::new();
    let session = MyNumberCard::over_virtual_card(card.clone());
    session.identify().unwrap();
    session.secret_statuses().unwrap();
    for kind in [
        CertificateKind::Auth,
        CertificateKind::AuthCa,
        CertificateKind::SignCa,
    ] {
        session
            .read_certificate(kind, None, LastTry::Refuse)
            .unwrap();
    }
    session
        .verify_and_sign(
            KeyKind::Sign,
            secret("ABC123"),
            SignInput::Message { message: vec![] },
            LastTry::Refuse,
        )
        .unwrap();
    session
        .eligibility_check_visual(Some(secret("02010120351234")))
        .unwrap();
    session
        .read_card_info(CardInfoSecret::Pin, secret("1234"), LastTry::Refuse)
        .unwrap();
    session
        .read_card_face(
            CardFaceSecret::AccessCodeA,
            secret("123456789018"),
            true,
            LastTry::Refuse,
        )
        .unwrap();
    session
        .change_pin(
            ChangeablePin::CardInfo,
            secret("1234"),
            secret("1234"),
            LastTry::Refuse,
        )
        .unwrap();

    session.read_common_record().unwrap();
    session.common_pin_status().unwrap();
    session.juki_pin_status().unwrap();
    session.read_master_file_data().unwrap();
    session.token_info().unwrap();
    session.certificate_availability().unwrap();

    let selected = selected_aids(&card);
    assert_eq!(selected.len(), 5, "{selected:?}");
    assert_eq!(plist_aids(), selected);
}
