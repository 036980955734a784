//! EF 0008 of the JPKI application: which of the two certificates the card holds. Holders
//! under 15 get no signature certificate (署名用電子証明書), and others may decline or revoke
//! it, so a card may hold the user-authentication certificate alone.
//!
//! Only myna-card describes the file: three bytes, `8F 8F 00` on the card it read (both
//! certificates), the first for the signature certificate, the second for the
//! user-authentication one, the third unknown; readable with no PIN. Its example of a card
//! without the signature certificate writes `00` for it, a value no public trace shows. So
//! the library reads the file only when a signature-side file is not found, to tell "no
//! signature certificate" ([`Error::NoSignatureCertificate`]) from a plain missing file, and
//! never refuses an operation on its bytes alone.

use super::{ef, Jpki, APPLICATION};
use crate::card::OnReset;
use crate::commands;
use crate::error::{Error, Result};
use crate::transport::Transport;

/// Bytes of EF 0008.
const LEN: usize = 3;

/// The byte myna-card read for a certificate the card holds.
const PRESENT: u8 = 0x8F;
/// The byte myna-card's example gives a certificate the card lacks.
const ABSENT: u8 = 0x00;

/// What EF 0008 says of one certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Presence {
    /// `8F`: the value myna-card read on a card holding the certificate.
    Present,
    /// `00`: the value myna-card's example gives a card without it (no public trace shows
    /// a real card's).
    Absent,
    /// Another value, as read.
    Other(u8),
}

impl Presence {
    const fn of(byte: u8) -> Self {
        match byte {
            PRESENT => Presence::Present,
            ABSENT => Presence::Absent,
            other => Presence::Other(other),
        }
    }
}

/// EF 0008: which certificates the card holds.
///
/// ```
/// use mynumbercard::jpki::{CertificateAvailability, Presence};
/// let under_15 = CertificateAvailability::parse(&[0x00, 0x8F, 0x00]).unwrap();
/// assert_eq!(under_15.sign(), Presence::Absent);
/// assert!(!under_15.holds_sign_certificate());
/// assert!(under_15.holds_auth_certificate());
/// assert!(CertificateAvailability::parse(&[0x8F, 0x8F]).is_none());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CertificateAvailability {
    raw: [u8; LEN],
}

impl CertificateAvailability {
    /// The file's three bytes; `None` for any other length.
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        Some(Self {
            raw: bytes.try_into().ok()?,
        })
    }

    /// The three bytes as read.
    pub const fn raw(&self) -> [u8; LEN] {
        self.raw
    }

    /// What the first byte says of the signature certificate.
    pub const fn sign(&self) -> Presence {
        Presence::of(self.raw[0])
    }

    /// What the second byte says of the user-authentication certificate.
    pub const fn auth(&self) -> Presence {
        Presence::of(self.raw[1])
    }

    /// Whether the signature certificate shows as held (`8F`).
    pub fn holds_sign_certificate(&self) -> bool {
        self.sign() == Presence::Present
    }

    /// Whether the user-authentication certificate shows as held (`8F`).
    pub fn holds_auth_certificate(&self) -> bool {
        self.auth() == Presence::Present
    }
}

impl<T: Transport> Jpki<'_, T> {
    /// Reads EF 0008 (no PIN needed): SELECT AP and SELECT EF (unless selected), then one
    /// READ BINARY of 3 bytes: 3 APDUs.
    pub fn certificate_availability(&mut self) -> Result<CertificateAvailability> {
        self.card().operation(OnReset::Repeat, |card| {
            Jpki::new(card).availability_in_transaction()
        })
    }

    fn availability_in_transaction(&mut self) -> Result<CertificateAvailability> {
        self.select()?;
        self.card()
            .select_file(APPLICATION, ef::CERTIFICATE_AVAILABILITY)?;
        let response = self.card().transmit_ok(&commands::read_binary(0, LEN)?)?;
        CertificateAvailability::parse(response.data())
            .ok_or(Error::MalformedResponse("EF 0008 is not 3 bytes"))
    }

    /// `error` from an operation on a signature-side file (certificate, PIN, key): a file not
    /// found becomes [`Error::NoSignatureCertificate`] when EF 0008 does not show the
    /// signature certificate as held (SELECT EF 0008 and one READ BINARY, sent only then);
    /// any other error, or an EF 0008 that cannot be read, is kept. Call inside one
    /// operation.
    pub(crate) fn signature_side(&mut self, error: Error) -> Error {
        if !matches!(error, Error::FileNotFound { .. }) {
            return error;
        }
        match self.availability_in_transaction() {
            Ok(availability) if !availability.holds_sign_certificate() => {
                log::debug!(
                    "no signature certificate: EF 0008 reads {:02X?}",
                    availability.raw()
                );
                Error::NoSignatureCertificate
            }
            _ => error,
        }
    }
}
