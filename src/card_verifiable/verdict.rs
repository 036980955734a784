//! Why something about the card could not be proven: a verdict a caller can match on, not a
//! failure of the library.

use std::fmt;

use super::{CvRole, KeyId};
use crate::apdu::StatusWord;

/// A signed record of the card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignedRecord {
    /// The card-face application's age-verification record (EF 0001, `DF13`).
    AgeRecord,
    /// The card face (EF 0002, `DF28`): birth date, sex, card key, name and address images,
    /// face photo. Not the expiry date nor the security-code image, which it does not cover.
    CardFace,
    /// The my-number image (card-face EF 0005, `DF43`).
    MyNumberImage,
    /// The card-info application's integrity record (EF 0003, `DF33`), which holds the digests
    /// of the my number and the basic four attributes.
    CardInfoIntegrity,
}

impl fmt::Display for SignedRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SignedRecord::AgeRecord => "age-verification record (card-face EF 0001)",
            SignedRecord::CardFace => "card face (card-face EF 0002)",
            SignedRecord::MyNumberImage => "my-number image (card-face EF 0005)",
            SignedRecord::CardInfoIntegrity => "integrity record (card-info EF 0003)",
        })
    }
}

/// What could not be proven, and why. [`NotProven::UnknownCaKey`] and
/// [`NotProven::TestHierarchyNotAccepted`] say the card *cannot be verified* here; the
/// signature and challenge verdicts say that what the card presented is not what J-LIS signed
/// or not the card the records name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotProven {
    /// The certificate names a CA key this verifier does not hold: it cannot be verified. Not
    /// a sign of forgery (a key J-LIS introduced after this version, say).
    #[error("the certificate names CA key {key_id}, which this verifier does not hold: it cannot be verified")]
    UnknownCaKey {
        /// The certificate's 証明者鍵ID.
        key_id: KeyId,
    },
    /// The certificate was signed by a test hierarchy's CA key (a J-LIS test card, or the
    /// virtual card), and this verifier does not accept test keys.
    #[error("certified by the test hierarchy's CA key {key_id}: a test card, and test keys are not accepted")]
    TestHierarchyNotAccepted {
        /// The certificate's 証明者鍵ID.
        key_id: KeyId,
    },
    /// The CA key signs another kind of certificate (a card-info key offered as the
    /// card-face application's, say).
    #[error("CA key {key_id} signs {found} certificates, not {expected} ones")]
    WrongCaRole {
        /// The certificate's 証明者鍵ID.
        key_id: KeyId,
        /// What the certificate was read as.
        expected: CvRole,
        /// What the key signs.
        found: CvRole,
    },
    /// The certificate's signature does not verify with the CA key it names: forged or
    /// damaged.
    #[error("the certificate's signature does not verify with CA key {key_id}: forged or damaged")]
    BadCertificateSignature {
        /// The certificate's 証明者鍵ID.
        key_id: KeyId,
    },
    /// A certificate of a chain names an issuer that the certificate above it does not
    /// certify.
    #[error(
        "the certificate chain is broken: {key_id} is not the key the certificate above certifies"
    )]
    BrokenChain {
        /// The issuer the lower certificate names.
        key_id: KeyId,
    },
    /// The record's signature does not verify with the key the application's certificate
    /// certifies: changed since J-LIS signed it, or forged.
    #[error(
        "the signature of the {record} does not verify: changed since it was signed, or forged"
    )]
    BadRecordSignature {
        /// Which record.
        record: SignedRecord,
    },
    /// The card's answer to the challenge does not verify with the card key the record
    /// carries: the records were copied onto another card (a clone), or the card is faulty.
    #[error("the card's answer to the challenge does not verify with the card key its records carry: not the card they were issued on")]
    WrongChallengeAnswer,
    /// The card refused the challenge.
    #[error("the card did not answer the challenge ({status})")]
    ChallengeRefused {
        /// Its status word.
        status: StatusWord,
    },
    /// A step could not be taken (the transport cannot carry what it needs, the card does
    /// not answer it here).
    #[error("not checked: {0}")]
    NotChecked(&'static str),
    /// What the card returned for the step does not have the expected form.
    #[error("malformed: {0}")]
    Malformed(&'static str),
}
