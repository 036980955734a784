//! The genuineness check, the age-verification record and visual mode's verdict, for the
//! foreign languages: the core's `Card::check_genuine` and `Confirmation::VisualGenuine`, with
//! each step's verdict as a value a Kotlin `when` or a Swift `switch` can branch on.

use mynumbercard::access_code::{AccessCodeB, BirthDateKey};
use mynumbercard::card_verifiable::{CvTrust, Hierarchy as CoreHierarchy, NotProven};
use mynumbercard::eligibility::Confirmation;
use mynumbercard::genuine::{GenuineCheck, Genuineness, Opener};

use crate::card::{text, MyNumberCard};
use crate::error::CardError;
use crate::secret::Secret;
use crate::types::{CalendarDate, CardFace, Eligibility, LastTry};

/// What opens the signed record the genuineness check verifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum GenuineOpener {
    /// The birth-date key: the birth date as Japanese-era `YYMMDD`, 6 digits (see
    /// [`birth_date_key`]); opens the age-verification record and nothing else.
    BirthDate,
    /// Access code B, 14 digits: opens the card face, photo included.
    AccessCodeB,
}

/// The hierarchy of the CA key that certified the card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum Hierarchy {
    /// J-LIS production keys.
    Production,
    /// A test hierarchy (J-LIS test cards, the virtual card): counted only when test keys are
    /// accepted.
    Test,
}

/// Why a step of the genuineness check is not proven.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum NotProvenReason {
    /// The certificate names a CA key the library does not hold: it cannot be verified (not a
    /// sign of forgery).
    UnknownCaKey,
    /// Certified by a test hierarchy, and test keys were not accepted.
    TestHierarchyNotAccepted,
    /// The CA key signs another kind of certificate.
    WrongCaRole,
    /// The certificate's signature does not verify with the CA key it names: forged or
    /// damaged.
    BadCertificateSignature,
    /// A certificate chain does not link.
    BrokenChain,
    /// The record's signature does not verify: changed since it was signed (a replaced
    /// photo), or forged.
    BadRecordSignature,
    /// The challenge was answered by another key than the record's: a clone.
    WrongChallengeAnswer,
    /// The card refused the challenge.
    ChallengeRefused,
    /// The step could not be taken here (the master file's chain over a short-APDU reader).
    NotChecked,
    /// What the card returned does not have the expected form.
    Malformed,
    /// A reason this version of the bindings does not name.
    Other,
}

/// One step's verdict: proven, or the reason it is not, with the core's message (which names
/// key ids and records, never personal data).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct StepVerdict {
    /// Whether the step is proven.
    pub proven: bool,
    /// Why not, when it is not.
    pub reason: Option<NotProvenReason>,
    /// What the step found, in words.
    pub message: String,
}

/// The age-verification record (card-face EF 0001): the birth date, signed by J-LIS's
/// certified key when the verdict says so. A terminal checking an age learns nothing else.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct AgeRecord {
    /// The birth date.
    pub birth_date: CalendarDate,
}

impl std::fmt::Debug for AgeRecord {
    /// The birth date is personal data: not shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgeRecord").finish_non_exhaustive()
    }
}

/// What the genuineness check proved: the card-face certificate against the CA keys, the
/// record against the key it certifies, the challenge against the card key inside that
/// record. A self-check with the CA keys the library carries, not a verification by J-LIS.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct GenuineVerdict {
    /// Whether every step is proven: the card is genuine.
    pub genuine: bool,
    /// The first reason it is not, in the order of the steps.
    pub first_failure: Option<NotProvenReason>,
    /// The certificate's CA key's hierarchy, when it is proven.
    pub hierarchy: Option<Hierarchy>,
    /// The card-face certificate (EF 0004) against the CA keys.
    pub certificate: StepVerdict,
    /// The CA key id the certificate names (`5000023/001`).
    pub ca_key_id: String,
    /// The record's signature.
    pub record: StepVerdict,
    /// The card's answer to the challenge.
    pub challenge: StepVerdict,
    /// The master file's chain, when asked for.
    pub master_file: Option<StepVerdict>,
    /// The age-verification record (birth-date key).
    pub age_record: Option<AgeRecord>,
    /// The card face (access code B).
    pub card_face: Option<CardFace>,
    /// The challenge the card signed.
    pub challenge_bytes: Vec<u8>,
    /// One line per step and the conclusion.
    pub summary: String,
}

fn reason(why: &NotProven) -> NotProvenReason {
    match why {
        NotProven::UnknownCaKey { .. } => NotProvenReason::UnknownCaKey,
        NotProven::TestHierarchyNotAccepted { .. } => NotProvenReason::TestHierarchyNotAccepted,
        NotProven::WrongCaRole { .. } => NotProvenReason::WrongCaRole,
        NotProven::BadCertificateSignature { .. } => NotProvenReason::BadCertificateSignature,
        NotProven::BrokenChain { .. } => NotProvenReason::BrokenChain,
        NotProven::BadRecordSignature { .. } => NotProvenReason::BadRecordSignature,
        NotProven::WrongChallengeAnswer => NotProvenReason::WrongChallengeAnswer,
        NotProven::ChallengeRefused { .. } => NotProvenReason::ChallengeRefused,
        NotProven::NotChecked(_) => NotProvenReason::NotChecked,
        NotProven::Malformed(_) => NotProvenReason::Malformed,
        _ => NotProvenReason::Other,
    }
}

fn step<T>(result: &Result<T, NotProven>, proven: &str) -> StepVerdict {
    match result {
        Ok(_) => StepVerdict {
            proven: true,
            reason: None,
            message: proven.to_owned(),
        },
        Err(why) => StepVerdict {
            proven: false,
            reason: Some(reason(why)),
            message: why.to_string(),
        },
    }
}

impl From<&Genuineness> for GenuineVerdict {
    fn from(g: &Genuineness) -> Self {
        Self {
            genuine: g.is_genuine(),
            first_failure: g.first_failure().map(reason),
            hierarchy: g.hierarchy().map(|h| match h {
                CoreHierarchy::Production => Hierarchy::Production,
                _ => Hierarchy::Test,
            }),
            certificate: step(
                &g.certificate,
                "the certificate verifies with a CA key counted",
            ),
            ca_key_id: g.cv_certificate.issuer_key_id().to_string(),
            record: step(&g.record, "the record verifies with the certificate's key"),
            challenge: step(
                &g.challenge,
                "the card signed the challenge with its record's key",
            ),
            master_file: g
                .master_file
                .as_ref()
                .map(|r| step(r, "the master file's chain verifies")),
            age_record: g.age_record.as_ref().map(|a| AgeRecord {
                birth_date: a.birth_date.into(),
            }),
            card_face: g.card_face.as_deref().map(|f| CardFace::from_core(f, None)),
            challenge_bytes: g.challenge_bytes.clone(),
            summary: g.to_string(),
        }
    }
}

/// The CA keys counted: J-LIS's production keys, and with `accept_test_keys` the JPKI test
/// cards' too; with the `test-card` feature, the virtual card's test-only CA as well (counted
/// only with `accept_test_keys`).
fn trust(accept_test_keys: bool) -> CvTrust {
    let trust = if accept_test_keys {
        CvTrust::jlis_with_test_keys()
    } else {
        CvTrust::jlis()
    };
    #[cfg(feature = "test-card")]
    let trust = mynumbercard::VirtualCard::cv_ca_keys()
        .into_iter()
        .fold(trust, CvTrust::with_key);
    trust
}

/// The opener's secret, checked before anything is sent.
enum Key {
    BirthDate(BirthDateKey),
    CodeB(AccessCodeB),
}

impl Key {
    fn new(opener: GenuineOpener, secret: &Secret) -> Result<Self, CardError> {
        let secret = text(secret)?;
        Ok(match opener {
            GenuineOpener::BirthDate => Key::BirthDate(BirthDateKey::new(secret)?),
            GenuineOpener::AccessCodeB => Key::CodeB(AccessCodeB::new(secret)?),
        })
    }

    fn opener(&self) -> Opener<'_> {
        match self {
            Key::BirthDate(key) => Opener::BirthDate(key),
            Key::CodeB(code) => Opener::AccessCodeB(code),
        }
    }
}

#[uniffi::export]
impl MyNumberCard {
    /// The genuineness check in one transaction: the card-face application's card-verifiable
    /// certificate against the J-LIS CA keys (test keys only with `accept_test_keys`), the
    /// record `opener` opens against the key it certifies, and `challenge` (or 32 fresh random
    /// bytes) signed by the card key inside that record; with `master_file_chain`, the master
    /// file's chain first. The secret goes through the lockout guard like every other. What
    /// could not be proven is in the verdict, never an error.
    pub fn check_genuine(
        &self,
        opener: GenuineOpener,
        secret: Secret,
        accept_test_keys: bool,
        challenge: Option<Vec<u8>>,
        master_file_chain: bool,
        last_try: LastTry,
    ) -> Result<GenuineVerdict, CardError> {
        let key = Key::new(opener, &secret)?;
        let trust = trust(accept_test_keys);
        let mut check = GenuineCheck::new(key.opener(), &trust).with_last_try(last_try.to_core());
        if let Some(challenge) = &challenge {
            check = check.with_challenge(challenge);
        }
        if master_file_chain {
            check = check.with_master_file_chain();
        }
        self.with(|card| Ok(GenuineVerdict::from(&card.check_genuine(&check)?)))
    }

    /// The eligibility check, visual mode with the genuineness check: the user-authentication
    /// certificate, then the check (opened by the birth-date key or access code B; with access
    /// code B the card face for staff to compare), in one transaction; the evidence carries the
    /// verdict.
    pub fn eligibility_check_visual_genuine(
        &self,
        opener: GenuineOpener,
        secret: Secret,
        accept_test_keys: bool,
        last_try: LastTry,
    ) -> Result<Eligibility, CardError> {
        let key = Key::new(opener, &secret)?;
        let trust = trust(accept_test_keys);
        let check = GenuineCheck::new(key.opener(), &trust).with_last_try(last_try.to_core());
        self.with(|card| {
            let evidence = card.eligibility_check(Confirmation::VisualGenuine { check })?;
            Ok(Eligibility {
                certificate: (&evidence.certificate).into(),
                signature: None,
                key_algorithm: evidence
                    .key_algorithm()
                    .and_then(crate::document::KeyAlgorithm::from_core),
                card_face: evidence
                    .card_face()
                    .map(|face| CardFace::from_core(face, None)),
                genuineness: evidence.genuineness.as_deref().map(GenuineVerdict::from),
            })
        })
    }
}

/// The birth-date key (6 digits, era `YYMMDD`) of a birth date, as bytes the caller wipes after
/// use: 1990-01-01 (平成2年) → `020101`.
#[uniffi::export]
pub fn birth_date_key(birth_date: CalendarDate) -> Result<Vec<u8>, CardError> {
    let date = birth_date
        .to_core()
        .ok_or_else(|| CardError::InvalidFormat {
            reason: "birth date is not a calendar date".into(),
        })?;
    BirthDateKey::from_date(date)?;
    let yymmdd = zeroize::Zeroizing::new(date.era_yymmdd().unwrap_or_default());
    Ok(yymmdd.as_bytes().to_vec())
}

/// The age someone born on `birth_date` has throughout `date`, as Japanese law counts it (年齢
/// 計算ニ関スル法律: an age is attained when the day before the birthday ends; born on 29
/// February, when 28 February ends in common years); `None` before the birth date or for a
/// date that does not exist.
#[uniffi::export]
pub fn age_on(birth_date: CalendarDate, date: CalendarDate) -> Option<u16> {
    birth_date.to_core()?.age_on(date.to_core()?)
}

/// Whether someone born on `birth_date` is at least `years` old throughout `date`.
#[uniffi::export]
pub fn is_at_least(birth_date: CalendarDate, years: u16, date: CalendarDate) -> bool {
    age_on(birth_date, date).is_some_and(|age| age >= years)
}
