//! Reading the JPKI certificates: the length comes from the DER header in the first
//! READ BINARY, then at most 256 bytes per READ BINARY, never more than the cap (the shared
//! loop of `crate::files`).

use der::Decode;
use x509_cert::Certificate;

use super::{ef, Jpki};
use crate::card::{Application, OnReset};
use crate::error::{Error, Result};
use crate::files;
use crate::transport::Transport;

/// The most bytes a certificate file may claim. JPKI certificates are about 1.5–2 KB
/// (RSA-2048); anything over this is refused before it is read.
pub const MAX_CERTIFICATE_LEN: usize = 16 * 1024;

/// The four certificates of the JPKI application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CertificateKind {
    /// User-authentication certificate (利用者証明用電子証明書): free to read.
    Auth,
    /// Signature certificate (署名用電子証明書): needs the signature PIN.
    Sign,
    /// User-authentication CA certificate: free.
    AuthCa,
    /// Signature CA certificate: free.
    SignCa,
}

impl CertificateKind {
    /// The certificate's file.
    pub const fn file(self) -> u16 {
        match self {
            CertificateKind::Auth => ef::AUTH_CERT,
            CertificateKind::Sign => ef::SIGN_CERT,
            CertificateKind::AuthCa => ef::AUTH_CA_CERT,
            CertificateKind::SignCa => ef::SIGN_CA_CERT,
        }
    }

    /// Whether the certificate carries the holder's personal data: the signature
    /// certificate's subjectAltName holds the name, address, birth date and sex. Its reads
    /// are masked in traces.
    pub const fn holds_personal_data(self) -> bool {
        matches!(self, CertificateKind::Sign)
    }

    /// All four, in file order of the examples.
    pub const ALL: [CertificateKind; 4] = [
        CertificateKind::Auth,
        CertificateKind::Sign,
        CertificateKind::AuthCa,
        CertificateKind::SignCa,
    ];
}

impl std::str::FromStr for CertificateKind {
    type Err = String;
    /// `auth`, `sign`, `auth-ca` or `sign-ca`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auth" => Ok(Self::Auth),
            "sign" => Ok(Self::Sign),
            "auth-ca" => Ok(Self::AuthCa),
            "sign-ca" => Ok(Self::SignCa),
            _ => Err(format!(
                "unknown certificate {s:?}: expected auth, sign, auth-ca or sign-ca"
            )),
        }
    }
}

impl<T: Transport> Jpki<'_, T> {
    /// Reads a certificate as DER: SELECT AP and SELECT EF (unless selected), then
    /// ceil(L / 256) READ BINARY for a certificate of L bytes. The bytes are returned whole
    /// or not at all.
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
        let content = if kind.holds_personal_data() {
            files::Content::Personal
        } else {
            files::Content::Public
        };
        let mut file = self.card().read_sized(
            Application::Jpki,
            kind.file(),
            content,
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
