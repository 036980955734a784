//! The genuineness check, the age record and visual mode's verdict through the bindings' API,
//! over the exported virtual card: each faulty card caught with its own reason.

use std::sync::Arc;

use mynumbercard_ffi::{
    age_on, birth_date_key, is_at_least, CalendarDate, CardError, GenuineOpener, Hierarchy,
    LastTry, MyNumberCard, NotProvenReason, Secret, SecretName, VirtualCard, VirtualCardConfig,
};

fn secret(s: &str) -> Secret {
    Secret::new(s.as_bytes().to_vec())
}

fn session(config: VirtualCardConfig) -> (Arc<VirtualCard>, Arc<MyNumberCard>) {
    let card = VirtualCard::with_config(config);
    let session = MyNumberCard::new(card.clone());
    (card, session)
}

fn date(year: u16, month: u8, day: u8) -> CalendarDate {
    CalendarDate { year, month, day }
}

#[test]
fn the_virtual_card_is_genuine_only_with_test_keys_accepted() {
    let (_, card) = session(VirtualCardConfig::default());
    let verdict = card
        .check_genuine(
            GenuineOpener::BirthDate,
            secret("020101"),
            true,
            Some(b"challenge".to_vec()),
            false,
            LastTry::Refuse,
        )
        .unwrap();
    assert!(verdict.genuine, "{}", verdict.summary);
    assert_eq!(verdict.hierarchy, Some(Hierarchy::Test));
    assert_eq!(verdict.ca_key_id, "9000023/001");
    assert_eq!(verdict.challenge_bytes, b"challenge");
    let age = verdict.age_record.unwrap();
    assert_eq!(age.birth_date, date(1990, 1, 1));
    assert!(!format!("{age:?}").contains("1990"));

    let verdict = card
        .check_genuine(
            GenuineOpener::BirthDate,
            secret("020101"),
            false,
            None,
            false,
            LastTry::Refuse,
        )
        .unwrap();
    assert!(!verdict.genuine);
    assert_eq!(
        verdict.first_failure,
        Some(NotProvenReason::TestHierarchyNotAccepted)
    );
    assert!(!verdict.certificate.proven && verdict.record.proven && verdict.challenge.proven);
}

#[test]
fn a_replaced_photo_and_a_clone_are_caught() {
    let (_, card) = session(VirtualCardConfig {
        photo_replaced_after_signing: true,
        ..Default::default()
    });
    let verdict = card
        .check_genuine(
            GenuineOpener::AccessCodeB,
            secret("02010120351234"),
            true,
            None,
            false,
            LastTry::Refuse,
        )
        .unwrap();
    assert_eq!(
        verdict.first_failure,
        Some(NotProvenReason::BadRecordSignature)
    );
    assert!(verdict.card_face.is_some());

    let (_, card) = session(VirtualCardConfig {
        cloned: true,
        ..Default::default()
    });
    let verdict = card
        .check_genuine(
            GenuineOpener::BirthDate,
            secret("020101"),
            true,
            None,
            true,
            LastTry::Refuse,
        )
        .unwrap();
    assert_eq!(
        verdict.first_failure,
        Some(NotProvenReason::WrongChallengeAnswer)
    );
    assert_eq!(
        verdict.challenge.reason,
        Some(NotProvenReason::WrongChallengeAnswer)
    );
    assert!(verdict.master_file.unwrap().proven);
}

#[test]
fn visual_mode_carries_the_verdict() {
    let (_, card) = session(VirtualCardConfig::default());
    let evidence = card
        .eligibility_check_visual_genuine(
            GenuineOpener::AccessCodeB,
            secret("02010120351234"),
            true,
            LastTry::Refuse,
        )
        .unwrap();
    assert!(evidence.genuineness.as_ref().unwrap().genuine);
    assert!(evidence.card_face.is_some());
    assert!(card
        .eligibility_check_visual(None)
        .unwrap()
        .genuineness
        .is_none());
}

#[test]
fn the_birth_date_key_is_checked_and_guarded() {
    let (virtual_card, card) = session(VirtualCardConfig::default());
    let bad = card.check_genuine(
        GenuineOpener::BirthDate,
        secret("021301"),
        true,
        None,
        false,
        LastTry::Refuse,
    );
    assert!(
        matches!(bad, Err(CardError::InvalidFormat { .. })),
        "{bad:?}"
    );
    assert_eq!(
        virtual_card.apdu_count(),
        0,
        "refused before anything is sent"
    );
    let wrong = card.check_genuine(
        GenuineOpener::BirthDate,
        secret("020102"),
        true,
        None,
        false,
        LastTry::Refuse,
    );
    assert_eq!(
        wrong.unwrap_err(),
        CardError::WrongAccessCode {
            secret: SecretName::BirthDateKey,
            tries_left: 2
        }
    );
    assert_eq!(virtual_card.birth_date_key_tries_left(), 2);
    assert_eq!(birth_date_key(date(1990, 1, 1)).unwrap(), b"020101");
    assert!(birth_date_key(date(1990, 2, 30)).is_err());
}

#[test]
fn ages_as_japanese_law_counts_them() {
    let leap = date(2004, 2, 29);
    assert_eq!(age_on(leap, date(2022, 2, 28)), Some(17));
    assert_eq!(age_on(leap, date(2022, 3, 1)), Some(18));
    assert!(is_at_least(leap, 18, date(2022, 3, 1)));
    assert!(!is_at_least(leap, 18, date(2022, 2, 28)));
    assert_eq!(age_on(leap, date(2000, 1, 1)), None);
}
