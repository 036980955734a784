//! The genuineness check's verdict: each step's result, and what they add up to.

use std::fmt;

use crate::card_face::{AgeRecord, CardFaceRecord};
use crate::card_verifiable::{CertifiedKey, CvCertificate, Hierarchy, NotProven, SignedRecord};

/// What the genuineness check proved, step by step. The card is proven genuine only when
/// every step is ([`Genuineness::is_genuine`]).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Genuineness {
    /// The card-face application's certificate (EF 0004) checked against the CA keys: the
    /// certified key, or why it is not proven.
    pub certificate: Result<CertifiedKey, NotProven>,
    /// The certificate as read.
    pub cv_certificate: CvCertificate,
    /// The record's signature: which record verified. Checked with the key the certificate
    /// carries even when the certificate is not proven, so a verdict can tell a consistent
    /// card from an altered one; it proves the record only together with `certificate`.
    pub record: Result<SignedRecord, NotProven>,
    /// The card's answer to the challenge, checked with the card key the record carries.
    pub challenge: Result<(), NotProven>,
    /// The master file's chain, when it was asked for: the key its last certificate
    /// certifies, or why it is not proven.
    pub master_file: Option<Result<CertifiedKey, NotProven>>,
    /// The age-verification record, when the birth-date key opened it.
    pub age_record: Option<AgeRecord>,
    /// The card face, when access code B opened it.
    pub card_face: Option<Box<CardFaceRecord>>,
    /// The challenge the card signed.
    pub challenge_bytes: Vec<u8>,
    /// The card's signature over it (empty when it refused).
    pub challenge_signature: Vec<u8>,
}

impl Genuineness {
    /// Whether the card is proven genuine: the certificate verified with a CA key counted, the
    /// record with the key it certifies, the challenge with the card key of that record; and
    /// the master file's chain, when it was read, verified too (a chain that could not be read
    /// here does not count against the card).
    pub fn is_genuine(&self) -> bool {
        self.first_failure().is_none()
    }

    /// The first reason the card is not proven genuine, in the order of the steps
    /// (certificate, record, challenge, master file); `None` when it is.
    pub fn first_failure(&self) -> Option<&NotProven> {
        let master_file = match &self.master_file {
            Some(Err(NotProven::NotChecked(_))) | None => None,
            Some(result) => result.as_ref().err(),
        };
        self.certificate
            .as_ref()
            .err()
            .or(self.record.as_ref().err())
            .or(self.challenge.as_ref().err())
            .or(master_file)
    }

    /// Every reason something was not proven (the master file's "not checked" included).
    pub fn not_proven(&self) -> Vec<&NotProven> {
        [
            self.certificate.as_ref().err(),
            self.record.as_ref().err(),
            self.challenge.as_ref().err(),
            self.master_file.as_ref().and_then(|r| r.as_ref().err()),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// The hierarchy of the CA key that certified the card-face application's key, when it
    /// did: [`Hierarchy::Test`] for a test card.
    pub fn hierarchy(&self) -> Option<Hierarchy> {
        self.certificate.as_ref().ok().map(CertifiedKey::hierarchy)
    }
}

impl fmt::Display for Genuineness {
    /// One line per step, then the conclusion.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cert = &self.cv_certificate;
        match &self.certificate {
            Ok(key) => writeln!(
                f,
                "certificate (card-face EF 0004): proven: key {} certified by CA key {} ({})",
                key.key_id(),
                key.ca_key_id(),
                key.hierarchy()
            )?,
            Err(why) => writeln!(
                f,
                "certificate (card-face EF 0004): not proven: {why} (key {}, CA key {})",
                cert.subject_key_id(),
                cert.issuer_key_id()
            )?,
        }
        match (&self.record, &self.certificate) {
            (Ok(record), Ok(_)) => writeln!(f, "record: proven: the {record} is as signed")?,
            (Ok(record), Err(_)) => writeln!(
                f,
                "record: consistent only: the {record} verifies with the certificate's key, \
                 which is not proven"
            )?,
            (Err(why), _) => writeln!(f, "record: not proven: {why}")?,
        }
        match (&self.challenge, &self.record) {
            (Ok(()), Ok(_)) => writeln!(
                f,
                "challenge: proven: the card signed it with the key its record carries"
            )?,
            (Ok(()), Err(_)) => writeln!(
                f,
                "challenge: consistent only: answered with the record's key, but the record is \
                 not proven"
            )?,
            (Err(why), _) => writeln!(f, "challenge: not proven: {why}")?,
        }
        match &self.master_file {
            None => {}
            Some(Ok(key)) => writeln!(
                f,
                "master-file chain: proven: CA key {} ({})",
                key.ca_key_id(),
                key.hierarchy()
            )?,
            Some(Err(why)) => writeln!(f, "master-file chain: {why}")?,
        }
        match self.first_failure() {
            None => write!(
                f,
                "the card is proven genuine{}",
                match self.hierarchy() {
                    Some(Hierarchy::Test) => " (a test card: test keys were accepted)",
                    _ => "",
                }
            ),
            Some(why) => write!(f, "the card is NOT proven genuine: {why}"),
        }
    }
}
