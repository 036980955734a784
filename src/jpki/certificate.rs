//! Reading the JPKI certificates: the length comes from the DER header in the first
//! READ BINARY, then at most 256 bytes per READ BINARY, never more than the cap.

use der::Decode;
use x509_cert::Certificate;

use super::{ef, Jpki};
use crate::card::{Application, OnReset};
use crate::commands;
use crate::der_header;
use crate::error::{Error, Result};
use crate::transport::Transport;

/// The most bytes a certificate file may claim. JPKI certificates are about 1.5–2 KB
/// (RSA-2048); anything over this is refused before it is read.
pub const MAX_CERTIFICATE_LEN: usize = 16 * 1024;

/// Bytes per READ BINARY: every public implementation reads at most 256 [PROTOCOL.md];
/// extended-length READ BINARY is refused by the card [one source: myna-card].
const CHUNK: usize = 256;

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
        let card = self.card();
        card.select_file(Application::Jpki, kind.file())?;
        let first = card.transmit_ok(&commands::read_binary(0, CHUNK)?)?;
        let total = der_header::sequence_len(first.data(), MAX_CERTIFICATE_LEN)
            .map_err(|_| Error::MalformedResponse("certificate file has no valid DER header"))?;
        let mut der = first.into_data();
        der.truncate(total);
        // Each READ BINARY returns at least one byte, so this bounds the loop; a card that
        // returns short chunks is allowed up to twice the expected number of reads.
        let max_reads = 2 * total.div_ceil(CHUNK);
        let mut reads = 1;
        while der.len() < total {
            reads += 1;
            if reads > max_reads {
                return Err(Error::MalformedResponse(
                    "certificate read did not progress",
                ));
            }
            let want = (total - der.len()).min(CHUNK);
            let chunk = card.transmit_ok(&commands::read_binary(der.len(), want)?)?;
            match chunk.data() {
                [] => return Err(Error::MalformedResponse("empty READ BINARY response")),
                data => der.extend_from_slice(data.get(..want).unwrap_or(data)),
            }
        }
        Ok(der)
    }

    /// Reads and parses a certificate; see [`Jpki::read_certificate_der`].
    pub fn read_certificate(&mut self, kind: CertificateKind) -> Result<Certificate> {
        let der = self.read_certificate_der(kind)?;
        Certificate::from_der(&der)
            .map_err(|_| Error::MalformedResponse("certificate is not valid DER"))
    }
}
