//! The clinics' eligibility check (資格確認限定型): the holder is confirmed either by the
//! 4-digit PIN (the card signs the eligibility service's challenge with the
//! user-authentication key) or by staff comparing the card's face photo with the person; in
//! both, the user-authentication certificate goes to the eligibility service. One entry
//! point, [`Card::eligibility_check`], runs either mode in one transaction.
//!
//! ```
//! # #[cfg(feature = "virtual-card")] {
//! use mynumbercard::eligibility::{Confirmation, Confirmed};
//! use mynumbercard::{AuthPin, Card, LastTry, VirtualCard};
//!
//! let mut card = Card::new(VirtualCard::default());
//! let pin = AuthPin::new("1234")?;
//! let evidence = card.eligibility_check(Confirmation::Pin {
//!     pin: &pin,
//!     challenge: b"nonce from the eligibility service",
//!     last_try: LastTry::Refuse,
//! })?;
//! assert!(matches!(evidence.confirmed, Confirmed::Pin { .. }));
//! assert_eq!(evidence.signature().map(<[u8]>::len), Some(256));
//! card.close()?; // a verified session ends by unpowering the card
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::access_code::AccessCodeB;
use crate::algorithm::KeyAlgorithm;
use crate::card::{Card, OnReset};
use crate::card_face::{self, CardFaceRecord};
use crate::certificate::JpkiCertificate;
use crate::error::Result;
use crate::genuine::{self, GenuineCheck, Genuineness};
use crate::jpki::{CertificateKind, KeyKind};
use crate::pin::{AuthPin, LastTry};
use crate::transport::Transport;

/// How the holder is confirmed.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Confirmation<'a> {
    /// PIN mode: the 4-digit user-authentication PIN unlocks the authentication key, which
    /// signs `challenge`.
    ///
    /// "Signing the challenge" means a signature over the challenge bytes with the hash of
    /// the certificate's key ([`KeyAlgorithm::hash`]): on today's cards an RSA PKCS#1 v1.5
    /// signature with SHA-256 (the library hashes `challenge` on the host and the card signs
    /// that digest's DigestInfo), so any RSA-SHA256 verifier checks the signature against
    /// `challenge` itself and the certificate's key; with an ECDSA P-384 key, ECDSA with
    /// SHA-384 over the bare hash, returned as DER ([`Evidence::key_algorithm`] says which).
    Pin {
        /// The user-authentication PIN (利用者証明用電子証明書の暗証番号).
        pin: &'a AuthPin,
        /// The bytes to sign, as the eligibility service sent them.
        challenge: &'a [u8],
        /// Whether the last PIN try may be spent.
        last_try: LastTry,
    },
    /// Visual mode: no PIN; staff compare the face photo with the person. With access code B
    /// (from the card face) the photo and the card-face attributes are read for them; without
    /// it only the certificate is read. Access code B's last try is never spent.
    Visual {
        /// Access code B, to open the card face.
        access_code_b: Option<&'a AccessCodeB>,
    },
    /// Visual mode with the genuineness check ([`Card::check_genuine`]): the card proves its
    /// records are as J-LIS signed them and that it holds the key they name, so the
    /// certificate and the photo come from the card itself, not from a copy. Opened by access
    /// code B, the card face (photo included) is read and its signature checked; by the
    /// birth-date key, the age-verification record (no photo). The evidence carries the
    /// verdict ([`Evidence::genuineness`]).
    VisualGenuine {
        /// How the genuineness check runs (its opener, CA keys, challenge).
        check: GenuineCheck<'a>,
    },
}

/// How the holder was confirmed, with what the confirmation produced.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Confirmed {
    /// PIN mode.
    Pin {
        /// The card's signature over the challenge, already verified against the
        /// certificate's key: RSA PKCS#1 v1.5 with SHA-256, or ECDSA (DER) with SHA-384 for a
        /// P-384 key ([`Evidence::key_algorithm`]).
        signature: Vec<u8>,
    },
    /// Visual mode (with or without the genuineness check).
    Visual {
        /// The card face (photo, birth date, sex, expiry, images), when access code B was
        /// given.
        card_face: Option<Box<CardFaceRecord>>,
    },
}

/// What an eligibility service receives from the card.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Evidence {
    /// The user-authentication certificate (利用者証明用電子証明書), parsed; its DER is
    /// [`JpkiCertificate::der`].
    pub certificate: JpkiCertificate,
    /// How the holder was confirmed.
    pub confirmed: Confirmed,
    /// The genuineness check's verdict ([`Confirmation::VisualGenuine`]).
    pub genuineness: Option<Box<Genuineness>>,
}

impl Evidence {
    /// The certificate's DER, as read from the card.
    pub fn certificate_der(&self) -> &[u8] {
        self.certificate.der()
    }

    /// The algorithm of the certificate's key, which made the signature in PIN mode (its hash
    /// is [`KeyAlgorithm::hash`]); `None` for a key the library does not sign with.
    pub fn key_algorithm(&self) -> Option<KeyAlgorithm> {
        KeyAlgorithm::of_key(self.certificate.key()).ok()
    }

    /// The signature over the challenge (PIN mode).
    pub fn signature(&self) -> Option<&[u8]> {
        match &self.confirmed {
            Confirmed::Pin { signature } => Some(signature),
            Confirmed::Visual { .. } => None,
        }
    }

    /// The card face (visual mode with access code B).
    pub fn card_face(&self) -> Option<&CardFaceRecord> {
        match &self.confirmed {
            Confirmed::Visual { card_face } => card_face.as_deref(),
            Confirmed::Pin { .. } => None,
        }
    }

    /// The face photo, JPEG 2000 in a JP2 container (visual mode with access code B).
    pub fn face_photo(&self) -> Option<&[u8]> {
        self.card_face().map(|face| face.face_photo.as_slice())
    }

    /// Whether the genuineness check ran and proved the card genuine.
    pub fn is_proven_genuine(&self) -> bool {
        self.genuineness.as_ref().is_some_and(|g| g.is_genuine())
    }
}

impl<T: Transport> Card<T> {
    /// Runs the eligibility check in one transaction.
    ///
    /// PIN mode: reads the user-authentication certificate, asks the PIN's tries (empty
    /// VERIFY), verifies the PIN behind the lockout guard (sent once; refused when blocked, or
    /// on the last try unless `last_try` allows it), signs SHA-256 of the challenge with the
    /// authentication key and verifies the signature against the certificate just read. The
    /// JPKI application stays selected throughout. On a short-APDU transport and a card taking
    /// short file identifiers: SELECT AP, SELECT EF, ceil(L / 256) READ BINARY, empty VERIFY
    /// and VERIFY naming the PIN's EF, COMPUTE DIGITAL SIGNATURE naming the key's EF:
    /// ceil(L / 256) + 5 APDUs for a certificate of L bytes (9 on the virtual card). On a card
    /// refusing short file identifiers, one refused probe, then SELECT PIN EF, empty VERIFY,
    /// VERIFY, SELECT key EF, COMPUTE DIGITAL SIGNATURE: ceil(L / 256) + 8.
    ///
    /// Visual mode: reads the certificate without any PIN; with access code B, then selects the
    /// card-face application, verifies the code behind the guard and reads the card face:
    /// 2 + ceil(L / 256) APDUs, plus 4 + ceil(F / 256) for a card face of F bytes (6 + ceil(F /
    /// 256) on a card refusing short file identifiers: the refused probe and the SELECT EF of
    /// the code).
    ///
    /// Visual mode with the genuineness check: the master file's chain first when asked for
    /// (before any application is selected), the certificate as above, then the check's steps
    /// ([`Card::check_genuine`]): 8 APDUs where card and transport take extended lengths and
    /// short file identifiers; on a short-APDU transport 8 + ceil(L / 256) + ceil(C / 256) +
    /// ceil(R / 256) for a card-face certificate of C bytes and a record of R bytes (30 on the
    /// virtual card with access code B).
    ///
    /// The Android smartphone credential gives its certificate only after the auth PIN (only
    /// jpki/myna reports it): PIN mode then verifies the PIN first and reads the certificate
    /// after it (the first check of a session spends 2 APDUs on the refused read, later ones
    /// none); visual mode fails with
    /// [`Error::AuthCertificateNeedsPin`](crate::Error::AuthCertificateNeedsPin), having sent
    /// no access code (the first time in a session after the refused read and the token label,
    /// later without sending anything).
    ///
    /// The session remembers a verified PIN and ends by unpowering the card
    /// ([`Card::close`], or on drop). A reset by another application during the check fails
    /// it ([`Error::CardReset`](crate::Error::CardReset)); nothing is sent twice.
    pub fn eligibility_check(&mut self, confirmation: Confirmation<'_>) -> Result<Evidence> {
        let challenge = match &confirmation {
            Confirmation::VisualGenuine { check } => check.challenge_bytes()?,
            _ => Vec::new(),
        };
        self.operation(OnReset::Fail, |card| match confirmation {
            Confirmation::Pin {
                pin,
                challenge,
                last_try,
            } => pin_mode(card, pin, challenge, last_try),
            Confirmation::Visual { access_code_b } => visual_mode(card, access_code_b),
            Confirmation::VisualGenuine { check } => visual_genuine_mode(card, &check, &challenge),
        })
    }
}

/// PIN mode inside the check's transaction. A token that gives its certificate only after
/// the auth PIN (the Android credential) has the PIN verified first, then the certificate
/// read: on the first check of a session its refused read costs SELECT EF and one READ
/// BINARY, after which the session knows.
fn pin_mode<T: Transport>(
    card: &mut Card<T>,
    pin: &AuthPin,
    challenge: &[u8],
    last_try: LastTry,
) -> Result<Evidence> {
    let mut jpki = card.jpki();
    let before_pin = if jpki.notes().gates_auth_certificate() {
        None
    } else {
        jpki.read_auth_certificate_before_pin()?
    };
    let (der, certificate, hash) = match before_pin {
        Some(der) => {
            let certificate = JpkiCertificate::from_der(&der)?;
            // The key's algorithm before the PIN: a key the library cannot sign with spends
            // no try.
            let hash = KeyAlgorithm::of_key(certificate.key())?.hash();
            jpki.verify_pin_with(pin, last_try)?;
            (der, certificate, hash)
        }
        None => {
            // The certificate, hence the key's algorithm, only after the PIN on this token.
            jpki.verify_pin_with(pin, last_try)?;
            let der = jpki.read_certificate_der(CertificateKind::Auth)?;
            let certificate = JpkiCertificate::from_der(&der)?;
            let hash = KeyAlgorithm::of_key(certificate.key())?.hash();
            (der, certificate, hash)
        }
    };
    let digest = hash.hash(challenge);
    let signature = jpki.sign_digest_checked(KeyKind::Auth, hash, &digest, &der)?;
    Ok(Evidence {
        certificate,
        confirmed: Confirmed::Pin { signature },
        genuineness: None,
    })
}

/// Visual mode inside the check's transaction. On a token that gives its certificate only
/// after the auth PIN the check fails with [`Error::AuthCertificateNeedsPin`](crate::Error::AuthCertificateNeedsPin): visual
/// mode has no PIN to give.
fn visual_mode<T: Transport>(
    card: &mut Card<T>,
    access_code_b: Option<&AccessCodeB>,
) -> Result<Evidence> {
    let der = card.jpki().read_certificate_der(CertificateKind::Auth)?;
    let certificate = JpkiCertificate::from_der(&der)?;
    let card_face = match access_code_b {
        Some(code) => {
            card.card_face().verify_access_code_b(code)?;
            Some(Box::new(card_face::read_record_in(card)?))
        }
        None => None,
    };
    Ok(Evidence {
        certificate,
        confirmed: Confirmed::Visual { card_face },
        genuineness: None,
    })
}

/// Visual mode with the genuineness check inside the check's transaction: the master file's
/// chain first when asked for (before any application is selected), the auth certificate,
/// then the check's steps on the card-face application.
fn visual_genuine_mode<T: Transport>(
    card: &mut Card<T>,
    check: &GenuineCheck<'_>,
    challenge: &[u8],
) -> Result<Evidence> {
    let master_file = match check.master_file_chain {
        true => Some(genuine::master_file_in(card, check.trust)?),
        false => None,
    };
    let der = card.jpki().read_certificate_der(CertificateKind::Auth)?;
    let certificate = JpkiCertificate::from_der(&der)?;
    let mut verdict = genuine::card_face_in(card, check, challenge)?;
    verdict.master_file = master_file;
    let card_face = verdict.card_face.clone();
    Ok(Evidence {
        certificate,
        confirmed: Confirmed::Visual { card_face },
        genuineness: Some(Box::new(verdict)),
    })
}
