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
    /// ([`Error::SecurityStatusNotSatisfied`] otherwise).
    ///
    /// If another application resets the card during the read, the read starts over once.
    pub fn read_certificate_der(&mut self, kind: CertificateKind) -> Result<Vec<u8>> {
        self.card().operation(OnReset::Repeat, |card| {
            Jpki::new(card).read_certificate_in_transaction(kind)
        })
    }

    fn read_certificate_in_transaction(&mut self, kind: CertificateKind) -> Result<Vec<u8>> {
        self.select()?;
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
