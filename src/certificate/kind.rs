//! The four JPKI certificates, by what they are for.

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
