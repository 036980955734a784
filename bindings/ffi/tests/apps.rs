//! The bindings' reads beyond the JPKI, card-info and card-face tasks, over the exported
//! virtual card used as the foreign transport: the common and resident-registry
//! applications, the master file's objects, the token info and the certificate list, and the
//! errors of a card without a signature certificate and of the Android credential.

use std::sync::Arc;

use mynumbercard_ffi::{
    CalendarDate, CardError, CardKind, CertificateKind, CertificatePresence, DataObject, KeyKind,
    LastTry, MyNumberCard, Secret, SecretKind, SecretStatus, SignInput, VirtualCard,
    VirtualCardConfig,
};

fn secret(s: &str) -> Secret {
    Secret::new(s.as_bytes().to_vec())
}

fn open(config: VirtualCardConfig) -> (Arc<VirtualCard>, Arc<MyNumberCard>) {
    let card = VirtualCard::with_config(config);
    let session = MyNumberCard::new(card.clone());
    (card, session)
}

#[test]
fn the_master_file_then_the_common_and_resident_registry_applications() {
    let (card, session) = open(VirtualCardConfig::default());
    let mf = session.read_master_file_data().unwrap();
    assert_eq!(mf.municipality.as_deref(), Some("13999"));
    assert_eq!(
        mf.expiry_date,
        Some(CalendarDate {
            year: 2035,
            month: 1,
            day: 1
        })
    );
    assert_eq!(
        mf.card_identification_number_text.as_deref(),
        Some("VIRTUALCARD00001")
    );
    assert_eq!(
        mf.expiry,
        DataObject::Read {
            value: b"20350101".to_vec()
        }
    );
    let record = session.read_common_record().unwrap();
    assert_eq!(record.serial_number.as_deref(), Some("900000000000001"));
    assert_eq!(record.prefecture_code, Some(13));
    assert_eq!(record.raw.len(), 30);
    assert_eq!(
        session.common_pin_status().unwrap(),
        SecretStatus::Remaining { tries: 3 }
    );
    assert_eq!(
        session.juki_pin_status().unwrap(),
        SecretStatus::Remaining { tries: 3 }
    );
    // 3 GET DATA; SELECT AP + READ RECORD; the empty VERIFY (the application selected); SELECT
    // AP + the empty VERIFY.
    assert_eq!(session.apdus_sent().unwrap(), 3 + 2 + 1 + 2);
    assert_eq!(card.apdu_count(), 8);
    // With an application selected the master file's objects are not available.
    let mf = session.read_master_file_data().unwrap();
    assert_eq!(
        mf.municipality_code,
        DataObject::NotAvailable { status: 0x6A88 }
    );
    assert_eq!(mf.municipality, None);
}

#[test]
fn token_info_and_the_certificate_list() {
    let (_, session) = open(VirtualCardConfig {
        token_record: true,
        ..VirtualCardConfig::default()
    });
    let info = session.token_info().unwrap();
    assert_eq!(info.kind, CardKind::MyNumberCard);
    assert_eq!(info.label, "JPKIAPICCTOKEN2");
    assert_eq!(info.raw.len(), 160);
    assert_eq!(info.manufacturer_id.as_deref(), Some("VIRTUAL CARD"));
    let availability = session.certificate_availability().unwrap();
    assert_eq!(availability.sign, CertificatePresence::Present);
    assert_eq!(availability.raw, [0x8F, 0x8F, 0x00]);

    let (_, android) = open(VirtualCardConfig {
        android_credential: true,
        ..VirtualCardConfig::default()
    });
    let info = android.token_info().unwrap();
    assert_eq!(info.kind, CardKind::AndroidCredential);
    assert_eq!(info.manufacturer_id, None);
}

#[test]
fn a_card_without_a_signature_certificate_says_so() {
    let (card, session) = open(VirtualCardConfig {
        without_signature_certificate: true,
        ..VirtualCardConfig::default()
    });
    let availability = session.certificate_availability().unwrap();
    assert_eq!(availability.sign, CertificatePresence::Absent);
    assert_eq!(availability.auth, CertificatePresence::Present);
    assert_eq!(
        session.verify_and_sign(
            KeyKind::Sign,
            secret("ABC123"),
            SignInput::Message { message: vec![1] },
            LastTry::Refuse,
        ),
        Err(CardError::NoSignatureCertificate)
    );
    assert_eq!(
        session.read_certificate(
            CertificateKind::Sign,
            Some(secret("ABC123")),
            LastTry::Refuse
        ),
        Err(CardError::NoSignatureCertificate)
    );
    assert_eq!(card.tries_left(SecretKind::SignPin), 5);
    assert!(session
        .read_certificate(CertificateKind::Auth, None, LastTry::Refuse)
        .is_ok());
}

#[test]
fn the_android_credential_needs_the_pin_for_its_certificate() {
    let (card, session) = open(VirtualCardConfig {
        android_credential: true,
        ..VirtualCardConfig::default()
    });
    assert_eq!(
        session.read_certificate(CertificateKind::Auth, None, LastTry::Refuse),
        Err(CardError::AuthCertificateNeedsPin)
    );
    assert_eq!(
        session.eligibility_check_visual(None),
        Err(CardError::AuthCertificateNeedsPin)
    );
    let evidence = session
        .eligibility_check_pin(secret("1234"), b"nonce".to_vec(), LastTry::Refuse)
        .unwrap();
    assert_eq!(
        evidence.certificate.der,
        card.certificate_der(CertificateKind::Auth)
    );
    assert!(evidence.signature.is_some());
}

#[test]
fn a_short_only_reader_reports_the_objects_need_an_extended_le() {
    let (_, session) = open(VirtualCardConfig {
        master_file_needs_extended_le: true,
        ..VirtualCardConfig::default()
    });
    // The virtual card's default reader carries extended APDUs: the retry reads them.
    let mf = session.read_master_file_data().unwrap();
    assert_eq!(mf.municipality.as_deref(), Some("13999"));
    assert_eq!(session.apdus_sent().unwrap(), 4);
    let (_, short_only) = open(VirtualCardConfig {
        master_file_needs_extended_le: true,
        short_only_reader: true,
        ..VirtualCardConfig::default()
    });
    let mf = short_only.read_master_file_data().unwrap();
    assert_eq!(mf.municipality_code, DataObject::NeedsExtendedLength);
    assert_eq!(mf.municipality, None);
    assert_eq!(short_only.apdus_sent().unwrap(), 3);
}
