//! The genuineness check on the virtual card, asserted on the verdicts and the recorded APDU
//! log: a genuine card proven only with test keys accepted, an unknown CA key, a test
//! hierarchy without opt-in, a photo changed after signing, a clone, each with its own verdict.
#![cfg(feature = "virtual-card")]

mod common;
mod flow_support;

use std::sync::{Arc, Mutex};

use flow_support::{log, reads, secrets_sent, select_ef, shared_log, SELECT_CARD_FACE};
use mynumbercard::access_code::{AccessCodeB, BirthDateKey};
use mynumbercard::calendar::CalendarDate;
use mynumbercard::card_verifiable::{
    challenge_digest_info, CvRole, CvTrust, Hierarchy, NotProven, SignedRecord,
};
use mynumbercard::genuine::{GenuineCheck, Opener};
use mynumbercard::transport::{self, Transport};
use mynumbercard::virtual_card::{Profile, Reader};
use mynumbercard::{Card, Error, LastTry, Secret, VirtualCard};

const CHALLENGE: &[u8] = b"a fresh challenge from the verifier";

fn birth_date_key() -> BirthDateKey {
    BirthDateKey::new("020101").unwrap()
}

fn code_b() -> AccessCodeB {
    AccessCodeB::new("02010120351234").unwrap()
}

/// The J-LIS keys, test keys accepted, and the virtual card's test-only CA.
fn test_trust() -> CvTrust {
    VirtualCard::cv_ca_keys()
        .into_iter()
        .fold(CvTrust::jlis_with_test_keys(), CvTrust::with_key)
}

/// The virtual card's CA without the opt-in: known as a test key, not counted.
fn production_trust_knowing_the_virtual_ca() -> CvTrust {
    VirtualCard::cv_ca_keys()
        .into_iter()
        .fold(CvTrust::jlis(), CvTrust::with_key)
}

/// The length of a card-face file as stored, read with raw APDUs after opening it with
/// `open` (a key EF and its value).
fn card_face_file_len(fid: u16, open: Option<(u16, &[u8])>) -> usize {
    let mut card = VirtualCard::new();
    assert_eq!(
        common::select_aid(&mut card, &common::CARD_FACE),
        common::OK
    );
    if let Some((key, value)) = open {
        assert_eq!(common::verify_on(&mut card, key, value), common::OK);
    }
    let file = common::read_file(&mut card, fid);
    mynumbercard::tlv::total_len(&file, usize::MAX).unwrap()
}

fn challenge_apdu() -> String {
    let info = challenge_digest_info(CHALLENGE);
    format!("802A0000{:02X}{}00", info.len(), hex::encode_upper(info))
}

#[test]
fn a_genuine_card_is_proven_with_its_test_keys_accepted() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let key = birth_date_key();
    let trust = test_trust();
    let check = GenuineCheck::new(Opener::BirthDate(&key), &trust).with_challenge(CHALLENGE);
    let verdict = card.check_genuine(&check).unwrap();
    assert!(verdict.is_genuine(), "{verdict}");
    assert_eq!(verdict.hierarchy(), Some(Hierarchy::Test));
    let certified = verdict.certificate.as_ref().unwrap();
    assert_eq!(certified.ca_key_id().to_string(), "9000023/001");
    assert_eq!(certified.role(), CvRole::CardFace);
    assert_eq!(verdict.record, Ok(SignedRecord::AgeRecord));
    assert_eq!(verdict.challenge, Ok(()));
    assert_eq!(verdict.master_file, None);
    let age = verdict.age_record.as_ref().unwrap();
    assert_eq!(age.birth_date, CalendarDate::new(1990, 1, 1).unwrap());
    assert!(
        !format!("{age:?}").contains("1990"),
        "the birth date is not in Debug"
    );
    let on = |y, m, d| CalendarDate::new(y, m, d).unwrap();
    assert!(age.is_at_least(18, on(2008, 1, 1)));
    assert!(!age.is_at_least(18, on(2007, 12, 31)));
    assert_eq!(verdict.challenge_bytes, CHALLENGE);
    assert_eq!(verdict.challenge_signature.len(), 256);
    assert!(verdict
        .to_string()
        .ends_with("the card is proven genuine (a test card: test keys were accepted)"));

    // The virtual card takes extended lengths and short file identifiers behind a reader
    // carrying extended APDUs: SELECT AP, the certificate in one READ BINARY by its short file
    // identifier (Le = the cap, 2,048 bytes), the birth-date key's status and VERIFY by short
    // file identifier (`80 | 11`), the age record in one READ BINARY, the challenge: 6, the
    // fewest those forms allow.
    let whole = |fid: u16| format!("00B0{:02X}00000800", 0x80 | fid);
    assert_eq!(
        log(&card),
        [
            SELECT_CARD_FACE.to_owned(),
            whole(0x0004),
            flow_support::status_sfi(0x0011),
            flow_support::verify_sfi(0x0011, b"020101"),
            whole(0x0001),
            challenge_apdu(),
        ]
    );

    // Behind a reader of short APDUs: each file after its SELECT, 256 bytes at a time:
    // 6 + ceil(C / 256) + ceil(R / 256).
    let mut vc = VirtualCard::builder().reader(Reader::ShortOnly).build();
    let mut card = Card::new(&mut vc);
    assert!(card.check_genuine(&check).unwrap().is_genuine());
    let certificate_len = card_face_file_len(0x0004, None);
    let age_len = card_face_file_len(0x0001, Some((0x0011, b"020101")));
    let mut expected = vec![SELECT_CARD_FACE.to_owned(), select_ef(0x0004)];
    expected.extend(reads(certificate_len));
    // The birth-date key by its short file identifier (`80 | 11`), status then VERIFY.
    expected.extend([
        flow_support::status_sfi(0x0011),
        flow_support::verify_sfi(0x0011, b"020101"),
        select_ef(0x0001),
    ]);
    expected.extend(reads(age_len));
    expected.push(challenge_apdu());
    assert_eq!(log(&card), expected);
    assert_eq!(
        card.stats().commands,
        (6 + certificate_len.div_ceil(256) + age_len.div_ceil(256)) as u64
    );
}

#[test]
fn an_unknown_ca_key_cannot_be_verified() {
    let mut card = Card::new(VirtualCard::new());
    let key = birth_date_key();
    let trust = CvTrust::jlis();
    let verdict = card
        .check_genuine(&GenuineCheck::new(Opener::BirthDate(&key), &trust))
        .unwrap();
    assert!(!verdict.is_genuine());
    let unknown = NotProven::UnknownCaKey {
        key_id: verdict.cv_certificate.issuer_key_id(),
    };
    assert_eq!(verdict.certificate.as_ref().err(), Some(&unknown));
    assert_eq!(verdict.first_failure(), Some(&unknown));
    // Consistent, not proven: the record verifies with the uncertified key, and the card
    // answers with the record's key.
    assert_eq!(verdict.record, Ok(SignedRecord::AgeRecord));
    assert_eq!(verdict.challenge, Ok(()));
    assert_eq!(verdict.challenge_bytes.len(), 32, "a fresh challenge");
    let text = verdict.to_string();
    assert!(text.contains("cannot be verified"), "{text}");
    assert!(text.contains("consistent only"), "{text}");
    assert!(text.ends_with("the card is NOT proven genuine: the certificate names CA key 9000023/001, which this verifier does not hold: it cannot be verified"), "{text}");
}

#[test]
fn a_test_hierarchy_card_is_not_proven_without_the_opt_in() {
    let mut card = Card::new(VirtualCard::new());
    let key = birth_date_key();
    let trust = production_trust_knowing_the_virtual_ca();
    let verdict = card
        .check_genuine(&GenuineCheck::new(Opener::BirthDate(&key), &trust))
        .unwrap();
    assert!(!verdict.is_genuine());
    assert!(
        matches!(
            verdict.first_failure(),
            Some(NotProven::TestHierarchyNotAccepted { key_id }) if key_id.to_string() == "9000023/001"
        ),
        "{verdict}"
    );
}

#[test]
fn a_photo_changed_after_signing_is_caught() {
    let mut vc = VirtualCard::builder()
        .photo_replaced_after_signing()
        .build();
    let mut card = Card::new(&mut vc);
    let code = code_b();
    let trust = test_trust();
    let verdict = card
        .check_genuine(&GenuineCheck::new(Opener::AccessCodeB(&code), &trust))
        .unwrap();
    assert!(!verdict.is_genuine());
    assert!(verdict.certificate.is_ok());
    assert_eq!(
        verdict.record,
        Err(NotProven::BadRecordSignature {
            record: SignedRecord::CardFace
        })
    );
    assert_eq!(verdict.first_failure(), verdict.record.as_ref().err());
    // The photo is still a JP2 file: only the signature tells.
    let face = verdict.card_face.as_ref().unwrap();
    assert!(flow_support::is_jp2(&face.face_photo));
    assert!(verdict
        .to_string()
        .contains("card face (card-face EF 0002)"));

    // The same card opened by the birth-date key proves genuine: the age record does not
    // cover the photo.
    let mut card = Card::new(
        VirtualCard::builder()
            .photo_replaced_after_signing()
            .build(),
    );
    let key = birth_date_key();
    let verdict = card
        .check_genuine(&GenuineCheck::new(Opener::BirthDate(&key), &trust))
        .unwrap();
    assert!(verdict.is_genuine(), "{verdict}");
}

#[test]
fn a_clone_is_caught_by_the_challenge() {
    let mut card = Card::new(VirtualCard::builder().cloned().build());
    let key = birth_date_key();
    let trust = test_trust();
    let verdict = card
        .check_genuine(&GenuineCheck::new(Opener::BirthDate(&key), &trust))
        .unwrap();
    assert!(!verdict.is_genuine());
    assert!(verdict.certificate.is_ok() && verdict.record.is_ok());
    assert_eq!(verdict.challenge, Err(NotProven::WrongChallengeAnswer));
    assert_eq!(
        verdict.first_failure(),
        Some(&NotProven::WrongChallengeAnswer)
    );
    assert_eq!(verdict.challenge_signature.len(), 256);
}

#[test]
fn the_birth_date_key_goes_through_the_guard() {
    let wrong = BirthDateKey::new("020102").unwrap();
    let trust = test_trust();
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let err = card
        .check_genuine(&GenuineCheck::new(Opener::BirthDate(&wrong), &trust))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::WrongAccessCode {
                secret: Secret::BirthDateKey,
                tries_left: 2
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "wrong birth-date key: 2 tries left");
    assert_eq!(secrets_sent(&log(&card)), 1);
    assert_eq!(vc.all_tries_left()[5], 2);

    // The last try is refused unless allowed: nothing sent.
    let mut vc = VirtualCard::builder().birth_date_key_tries_left(1).build();
    let mut card = Card::new(&mut vc);
    let key = birth_date_key();
    let err = card
        .check_genuine(&GenuineCheck::new(Opener::BirthDate(&key), &trust))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::LastTryRefused {
                secret: Secret::BirthDateKey
            }
        ),
        "{err:?}"
    );
    assert_eq!(secrets_sent(&log(&card)), 0);
    let allowed = GenuineCheck::new(Opener::BirthDate(&key), &trust).with_last_try(LastTry::Allow);
    assert!(card.check_genuine(&allowed).unwrap().is_genuine());

    // Blocked: never sent.
    let mut vc = VirtualCard::builder().birth_date_key_tries_left(0).build();
    let mut card = Card::new(&mut vc);
    let err = card
        .card_face()
        .verify_birth_date_with(&key, LastTry::Allow);
    assert!(matches!(
        err,
        Err(Error::Blocked {
            secret: Secret::BirthDateKey
        })
    ));
    assert_eq!(secrets_sent(&log(&card)), 0);
}

#[test]
fn the_birth_date_key_opens_the_age_record_only() {
    let mut card = Card::new(VirtualCard::new());
    let mut face = card.card_face();
    face.verify_birth_date(&birth_date_key()).unwrap();
    let age = face.read_age_record().unwrap();
    assert_eq!(age.signature().len(), 256);
    assert!(matches!(
        face.read_record(),
        Err(Error::SecurityStatusNotSatisfied)
    ));
    // The card key of the age record is the one of the card face.
    let mut face = card.card_face();
    face.verify_access_code_b(&code_b()).unwrap();
    assert_eq!(face.read_record().unwrap().card_key(), age.card_key());
}

/// A shared virtual card behind a transport that carries extended APDUs (as the virtual
/// card's default reader does).
fn extended(card: Arc<Mutex<VirtualCard>>) -> impl Transport {
    let caps = VirtualCard::new().capabilities();
    transport::from_fn(move |apdu: &[u8]| Ok(card.lock().expect("card").handle(apdu)))
        .with_capabilities(caps)
}

#[test]
fn the_master_file_chain_needs_an_extended_le() {
    let trust = test_trust();
    let key = birth_date_key();
    let check = GenuineCheck::new(Opener::BirthDate(&key), &trust).with_master_file_chain();

    // Short APDUs only: one GET DATA, refused with 6700, and the chain is "not checked".
    let mut vc = VirtualCard::builder().reader(Reader::ShortOnly).build();
    let mut card = Card::new(&mut vc);
    let verdict = card.check_genuine(&check).unwrap();
    assert!(
        verdict.is_genuine(),
        "a chain not readable here does not count"
    );
    assert!(matches!(
        verdict.master_file,
        Some(Err(NotProven::NotChecked(_)))
    ));
    assert_eq!(log(&card)[..2], ["00CA00F800", SELECT_CARD_FACE]);

    // A card refusing extended READ BINARY still answers GET DATA with an extended Le (the
    // virtual card's choice, after myna-card, who saw a card need one): the short Le refused,
    // then the extended one; the second object with the extended Le first.
    let mut vc = VirtualCard::builder()
        .profile(Profile::RefusesExtendedLength)
        .build();
    let mut card = Card::new(&mut vc);
    let verdict = card.check_genuine(&check).unwrap();
    assert!(matches!(verdict.master_file, Some(Ok(_))), "{verdict}");
    assert_eq!(
        log(&card)[..4],
        [
            "00CA00F800",
            "00CA00F8001000",
            "00CA7F21001000",
            SELECT_CARD_FACE
        ]
    );

    // Extended APDUs: the first object asked with a short Le, then an extended one; the
    // session then asks the second with the extended Le first.
    let shared = Arc::new(Mutex::new(VirtualCard::new()));
    let mut card = Card::new(extended(shared.clone()));
    let verdict = card.check_genuine(&check).unwrap();
    let chain = verdict.master_file.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(chain.ca_key_id().to_string(), "9000020/001");
    assert_eq!(chain.role(), CvRole::MasterFile);
    assert!(verdict.is_genuine());
    assert_eq!(
        shared_log(&shared)[..4],
        [
            "00CA00F800",
            "00CA00F8001000",
            "00CA7F21001000",
            SELECT_CARD_FACE,
        ]
    );
    // With the card-face application selected, the master file does not answer.
    let chain = card.master_file().read_certificate_chain().unwrap();
    assert_eq!(
        chain,
        mynumbercard::master_file::MasterFileChain::NotAvailable(
            mynumbercard::StatusWord::from_u16(0x6A88)
        )
    );
}

#[test]
fn the_card_info_data_is_authentic_with_its_integrity_signature() {
    let pin = mynumbercard::access_code::CardInfoPin::new("1234").unwrap();
    let mut card = Card::new(VirtualCard::new());
    card.card_info().verify_pin(&pin).unwrap();
    let authentic = card
        .card_info()
        .read_all_authenticated(&test_trust())
        .unwrap();
    assert!(authentic.is_authentic());
    assert_eq!(authentic.data.my_number.masked(), "********9018");
    let key = authentic.authenticity.as_ref().unwrap();
    assert_eq!(key.ca_key_id().to_string(), "9000033/001");
    assert_eq!(key.role(), CvRole::CardInfo);

    let mut card = Card::new(VirtualCard::new());
    card.card_info().verify_pin(&pin).unwrap();
    let unverified = card
        .card_info()
        .read_all_authenticated(&CvTrust::jlis())
        .unwrap();
    assert!(matches!(
        unverified.authenticity,
        Err(NotProven::UnknownCaKey { .. })
    ));
    assert_eq!(unverified.data, authentic.data);

    // A signature byte changed on the way: the record is not proven.
    let shared = Arc::new(Mutex::new(VirtualCard::new()));
    let transport = flow_support::edited(shared, |command, selected, mut response| {
        if selected == Some(0x0003) && command.starts_with(&[0x00, 0xB0, 0x00, 0x00]) {
            if let Some(byte) = response
                .len()
                .checked_sub(10)
                .and_then(|i| response.get_mut(i))
            {
                *byte ^= 0x01;
            }
        }
        response
    });
    let mut card = Card::new(transport);
    card.card_info().verify_pin(&pin).unwrap();
    let tampered = card
        .card_info()
        .read_all_authenticated(&test_trust())
        .unwrap();
    assert_eq!(
        tampered.authenticity,
        Err(NotProven::BadRecordSignature {
            record: SignedRecord::CardInfoIntegrity
        })
    );
}

#[test]
fn the_my_number_image_record_verifies_with_the_certified_key() {
    let mut card = Card::new(VirtualCard::new());
    let mut face = card.card_face();
    let certificate = face.read_certificate().unwrap();
    let key = test_trust()
        .certify(&certificate, CvRole::CardFace)
        .unwrap();
    face.verify_access_code_a(&mynumbercard::access_code::MyNumber::new("123456789018").unwrap())
        .unwrap();
    let image = face.read_my_number_image_record().unwrap();
    assert_eq!(image.verify(&key), Ok(()));
    let record = face.read_record().unwrap();
    assert_eq!(record.verify(&key), Ok(()));
    assert_eq!(record.card_key(), image.card_key());
    // A card-info key is not the card face's.
    let mut card = Card::new(VirtualCard::new());
    let info_certificate = card.card_info().read_certificate().unwrap();
    assert!(matches!(
        test_trust().certify(&info_certificate, CvRole::CardFace),
        Err(NotProven::WrongCaRole {
            expected: CvRole::CardFace,
            found: CvRole::CardInfo,
            ..
        })
    ));
}

#[test]
fn on_a_shared_reader_only_the_birth_date_key_is_ever_sent() {
    use mynumbercard::testing::{check_guard_on, Fault, Hostile, SecretFile};
    // Another program selects the card face's access code B between two transactions: the
    // check selects the birth-date key itself before its status VERIFY and its VERIFY.
    let hostile = Hostile::new(VirtualCard::new())
        .with_exclusive(false)
        .with_fault(
            2,
            Fault::OtherProgram {
                aid: Some(common::CARD_FACE),
                fid: Some(0x0012),
            },
        );
    let mut card = Card::new(hostile);
    let key = birth_date_key();
    let trust = test_trust();
    assert_eq!(
        card.card_face()
            .code_status(mynumbercard::card_face::CardFaceKey::BirthDate)
            .unwrap(),
        mynumbercard::PinStatus::Remaining(3)
    );
    let verdict = card
        .check_genuine(&GenuineCheck::new(Opener::BirthDate(&key), &trust))
        .unwrap();
    assert!(verdict.is_genuine(), "{verdict}");
    let hostile = card.transport();
    check_guard_on(
        hostile.records(),
        SecretFile {
            aid: &common::CARD_FACE,
            fid: 0x0011,
        },
        LastTry::Refuse,
    )
    .unwrap();
    assert!(hostile.records().iter().any(|r| r.other_program));
    assert_eq!(hostile.card().all_tries_left(), [3, 5, 3, 3, 3, 3, 3, 3]);
}

/// A card-face certificate naming `issuer` as its CA key, signed by the virtual card's CV CA.
fn certificate_named(issuer: &[u8; 16]) -> mynumbercard::card_verifiable::CvCertificate {
    use rsa::pkcs1v15::SigningKey;
    use rsa::signature::{SignatureEncoding, Signer};
    let mut body = issuer.to_vec();
    body.extend_from_slice(b"9139990\x08\x05001\0\0\0\0");
    body.extend_from_slice(&common::card_key_object());
    let ca = mynumbercard::virtual_card::fixtures::cv_ca_key().unwrap();
    let signature = SigningKey::<sha2::Sha256>::new(ca).sign(&body).to_vec();
    let mut contents = vec![0x5F, 0x4E, 0x82, 0x01, 0x29];
    contents.extend_from_slice(&body);
    contents.extend_from_slice(&[0x5F, 0x37, 0x82, 0x01, 0x00]);
    contents.extend_from_slice(&signature);
    mynumbercard::card_verifiable::CvCertificate::parse(&contents).unwrap()
}

#[test]
fn a_certificate_in_a_jlis_name_but_not_signed_by_jlis_is_forged() {
    // Named after the J-LIS test key 6000023: a test card's certificate, refused as such
    // without the opt-in; with it, the J-LIS test key does not verify it.
    let test_named = certificate_named(b"6000023\x08\x05001\0\0\0\0");
    assert!(matches!(
        CvTrust::jlis().certify(&test_named, CvRole::CardFace),
        Err(NotProven::TestHierarchyNotAccepted { .. })
    ));
    assert!(matches!(
        CvTrust::jlis_with_test_keys().certify(&test_named, CvRole::CardFace),
        Err(NotProven::BadCertificateSignature { key_id }) if key_id.to_string() == "6000023/001"
    ));
    // Named after the production key 5000023: forged.
    let production_named = certificate_named(b"5000023\x08\x05001\0\0\0\0");
    assert!(matches!(
        CvTrust::jlis().certify(&production_named, CvRole::CardFace),
        Err(NotProven::BadCertificateSignature { .. })
    ));
    // As a card-info certificate: the key signs card-face certificates.
    assert!(matches!(
        CvTrust::jlis().certify(&production_named, CvRole::CardInfo),
        Err(NotProven::WrongCaRole {
            found: CvRole::CardFace,
            ..
        })
    ));
    // A key id that differs in its last byte only is another key.
    let padded = certificate_named(b"5000023\x08\x05001\0\0\0\x01");
    assert!(matches!(
        CvTrust::jlis().certify(&padded, CvRole::CardFace),
        Err(NotProven::UnknownCaKey { .. })
    ));
    // The virtual CA under the J-LIS id verifies with the virtual key added under that id.
    let own = VirtualCard::cv_ca_keys()[1].public_key().clone();
    let trust =
        CvTrust::jlis_with_test_keys().with_key(mynumbercard::card_verifiable::CvCaKey::new(
            mynumbercard::card_verifiable::KeyId::new(*b"9000023\x08\x05001\0\0\0\0"),
            CvRole::CardFace,
            Hierarchy::Test,
            own,
        ));
    let virtual_named = certificate_named(b"9000023\x08\x05001\0\0\0\0");
    assert!(trust.certify(&virtual_named, CvRole::CardFace).is_ok());
}

#[test]
fn the_master_file_chain_links_top_to_bottom() {
    use mynumbercard::card_verifiable::CvCertificate;
    let mut vc = VirtualCard::new();
    let object = |vc: &mut VirtualCard, p1: u8, p2: u8| {
        let answer = vc.handle(&[0x00, 0xCA, p1, p2, 0x00, 0x10, 0x00]);
        assert_eq!(answer[answer.len() - 2..], [0x90, 0x00]);
        CvCertificate::parse(&answer[..answer.len() - 2]).unwrap()
    };
    let upper = object(&mut vc, 0x00, 0xF8);
    let lower = object(&mut vc, 0x7F, 0x21);
    let trust = test_trust();
    let key = trust
        .certify_chain(&[upper.clone(), lower.clone()], CvRole::MasterFile)
        .unwrap();
    assert_eq!(key.key_id(), lower.subject_key_id());
    assert_eq!(key.ca_key_id(), upper.issuer_key_id());
    assert!(matches!(
        trust.certify_chain(&[upper.clone(), upper.clone()], CvRole::MasterFile),
        Err(NotProven::BrokenChain { .. })
    ));
    assert!(matches!(
        trust.certify_chain(&[lower, upper], CvRole::MasterFile),
        Err(NotProven::UnknownCaKey { .. })
    ));
    assert!(matches!(
        trust.certify_chain(&[], CvRole::MasterFile),
        Err(NotProven::NotChecked(_))
    ));
}

#[test]
fn visual_mode_carries_the_verdict() {
    use mynumbercard::eligibility::{Confirmation, Confirmed};
    let code = code_b();
    let trust = test_trust();
    let check = GenuineCheck::new(Opener::AccessCodeB(&code), &trust);
    let mut card = Card::new(VirtualCard::new());
    let evidence = card
        .eligibility_check(Confirmation::VisualGenuine { check })
        .unwrap();
    assert!(evidence.is_proven_genuine());
    assert!(matches!(
        evidence.confirmed,
        Confirmed::Visual { card_face: Some(_) }
    ));
    assert!(flow_support::is_jp2(evidence.face_photo().unwrap()));
    // SELECT AP and the auth certificate in one read, then the check: 2 + 6.
    assert_eq!(card.stats().commands, 8);

    // The photo the staff would compare was changed after signing: the evidence says so.
    let mut card = Card::new(
        VirtualCard::builder()
            .photo_replaced_after_signing()
            .build(),
    );
    let evidence = card
        .eligibility_check(Confirmation::VisualGenuine { check })
        .unwrap();
    assert!(!evidence.is_proven_genuine());
    let verdict = evidence.genuineness.as_ref().unwrap();
    assert_eq!(
        verdict.first_failure(),
        Some(&NotProven::BadRecordSignature {
            record: SignedRecord::CardFace
        })
    );
    // Without the check, visual mode carries no verdict.
    let mut card = Card::new(VirtualCard::new());
    let evidence = card
        .eligibility_check(Confirmation::Visual {
            access_code_b: Some(&code),
        })
        .unwrap();
    assert!(evidence.genuineness.is_none());
}

#[test]
fn the_check_on_other_kinds_of_card_and_transport() {
    use flow_support::{Extended, Wire};
    let key = birth_date_key();
    let trust = test_trust();
    let check = GenuineCheck::new(Opener::BirthDate(&key), &trust).with_challenge(CHALLENGE);
    let certificate_len = card_face_file_len(0x0004, None);
    let age_len = card_face_file_len(0x0001, Some((0x0011, b"020101")));

    // A card refusing short file identifiers: the refused probe, then the guard's SELECT of
    // the key's EF, its empty VERIFY and the VERIFY: 8 + ceil(C / 256) + ceil(R / 256).
    let mut card = Card::new(Wire::refusing_sfi(VirtualCard::new()));
    assert!(card.check_genuine(&check).unwrap().is_genuine());
    let mut expected = vec![SELECT_CARD_FACE.to_owned(), select_ef(0x0004)];
    expected.extend(reads(certificate_len));
    expected.extend([
        flow_support::status_sfi(0x0011),
        select_ef(0x0011),
        flow_support::EMPTY_VERIFY.to_owned(),
        flow_support::verify(b"020101"),
        select_ef(0x0001),
    ]);
    expected.extend(reads(age_len));
    expected.push(challenge_apdu());
    assert_eq!(card.transport().log(), expected);
    assert_eq!(
        expected.len(),
        8 + certificate_len.div_ceil(256) + age_len.div_ceil(256)
    );

    // A transport carrying extended length to a card answering it: each file in one READ
    // BINARY naming it by its short file identifier (Le = the cap, 2,048 bytes), and the
    // master file's chain with the first object's extended retry, the second asked with the
    // extended Le first: 3 + 6 APDUs.
    let mut card =
        Card::new(Wire::new(VirtualCard::new()).extended(Extended::Answered { limit: 65_536 }));
    let verdict = card.check_genuine(&check.with_master_file_chain()).unwrap();
    assert!(verdict.is_genuine(), "{verdict}");
    assert!(verdict.master_file.as_ref().unwrap().is_ok());
    let whole = |fid: u16| format!("00B0{:02X}00000800", 0x80 | fid);
    assert_eq!(
        card.transport().log(),
        [
            "00CA00F800".to_owned(),
            "00CA00F8001000".to_owned(),
            "00CA7F21001000".to_owned(),
            SELECT_CARD_FACE.to_owned(),
            whole(0x0004),
            flow_support::status_sfi(0x0011),
            flow_support::verify_sfi(0x0011, b"020101"),
            whole(0x0001),
            challenge_apdu(),
        ]
    );
}
