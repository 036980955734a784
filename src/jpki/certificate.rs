//! Reading the JPKI certificates: the length comes from the DER header in the first
//! READ BINARY, then at most 256 bytes per READ BINARY, never more than the cap (the shared
//! loop of `crate::files`).

use der::Decode;
use x509_cert::Certificate;

use super::APPLICATION;
use super::{ef, Jpki};
use crate::card::OnReset;
use crate::certificate::CertificateKind;
use crate::error::{Error, Result};
use crate::files::{self, Content};
use crate::transport::Transport;

/// The most bytes a certificate file may claim. JPKI certificates are about 1.5–2 KB
/// (RSA-2048); anything over this is refused before it is read.
pub const MAX_CERTIFICATE_LEN: usize = 16 * 1024;

impl<T: Transport> Jpki<'_, T> {
    /// Reads a certificate as DER: SELECT AP and SELECT EF (unless selected), then
    /// ceil(L / 256) READ BINARY for a certificate of L bytes; where the transport carries
    /// extended length, one READ BINARY of the whole file naming it by its short file
    /// identifier (falling back to the former on a refusal or a short answer, remembered for
    /// the session). The bytes are returned whole or not at all.
    ///
    /// The signature certificate needs the signature PIN verified first
    /// ([`Error::SecurityStatusNotSatisfied`] otherwise); on a card without one (holders
    /// under 15) the read gives [`Error::NoSignatureCertificate`], after reading EF 0008 to
    /// tell it from a plain missing file. The user-authentication certificate is free on the
    /// plastic card; the Android smartphone credential gives it only after the auth PIN:
    /// [`Error::AuthCertificateNeedsPin`], found from the token label once per session (2
    /// more APDUs) and then given without sending anything while no PIN is verified.
    ///
    /// If another application resets the card during the read, the read starts over once.
    pub fn read_certificate_der(&mut self, kind: CertificateKind) -> Result<Vec<u8>> {
        self.card().operation(OnReset::Repeat, |card| {
            Jpki::new(card).read_certificate_in_transaction(kind)
        })
    }

    fn read_certificate_in_transaction(&mut self, kind: CertificateKind) -> Result<Vec<u8>> {
        self.select()?;
        if kind == CertificateKind::Auth
            && self.notes().gates_auth_certificate()
            && !self.card().pin_verified()
        {
            // Known to want the auth PIN, and none was verified: nothing to send.
            return Err(Error::AuthCertificateNeedsPin);
        }
        match self.read_file(kind) {
            Err(Error::SecurityStatusNotSatisfied) if kind == CertificateKind::Auth => {
                Err(self.gated_auth_certificate_error()?)
            }
            Err(error) if kind == CertificateKind::Sign => Err(self.signature_side(error)),
            other => other,
        }
    }

    /// The auth certificate for the eligibility check's PIN mode: `None` when the token
    /// answers `6982` (it wants the auth PIN first, as the Android credential does), noted for
    /// the session, without reading the token's label. Call inside one operation.
    pub(crate) fn read_auth_certificate_before_pin(&mut self) -> Result<Option<Vec<u8>>> {
        self.select()?;
        match self.read_file(CertificateKind::Auth) {
            Ok(der) => Ok(Some(der)),
            Err(Error::SecurityStatusNotSatisfied) => {
                super::token_info::note_auth_certificate_needs_pin(self.card());
                Ok(None)
            }
            Err(error) => Err(error),
        }
    }

    /// The certificate file's DER, errors as the card gave them.
    fn read_file(&mut self, kind: CertificateKind) -> Result<Vec<u8>> {
        let mut file = self.card().read_sized(
            APPLICATION,
            ef::certificate(kind),
            // The signature certificate holds the holder's name, address and birth date.
            if kind == CertificateKind::Sign {
                Content::Personal
            } else {
                Content::Public
            },
            files::der_length,
            MAX_CERTIFICATE_LEN,
        )?;
        Ok(std::mem::take(&mut *file.content))
    }

    /// Reads and parses a certificate; see [`Jpki::read_certificate_der`].
    pub fn read_certificate(&mut self, kind: CertificateKind) -> Result<Certificate> {
        let der = self.read_certificate_der(kind)?;
        Certificate::from_der(&der)
            .map_err(|_| Error::MalformedResponse("certificate is not valid DER"))
    }
}
