//! The four JPKI certificates, by what they are for.

/// The four certificates of the JPKI application.
///
/// `FromStr` reads `auth`, `sign`, `auth-ca` and `sign-ca`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
    type Err = ParseKindError;
    /// `auth`, `sign`, `auth-ca` or `sign-ca`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auth" => Ok(Self::Auth),
            "sign" => Ok(Self::Sign),
            "auth-ca" => Ok(Self::AuthCa),
            "sign-ca" => Ok(Self::SignCa),
            _ => Err(ParseKindError::new(
                "certificate",
                "auth, sign, auth-ca or sign-ca",
            )),
        }
    }
}

/// A name that is not one of a kind's names: the error of `FromStr` for [`CertificateKind`],
/// [`KeyKind`](crate::KeyKind) and [`PinKind`](crate::PinKind). It does not repeat the name it
/// was given (which might be anything a user typed).
///
/// ```
/// use mynumbercard::{CertificateKind, KeyKind};
/// assert_eq!("auth-ca".parse(), Ok(CertificateKind::AuthCa));
/// let error = "ca".parse::<KeyKind>().unwrap_err();
/// assert_eq!(error.to_string(), "unknown key kind: expected auth or sign");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseKindError {
    kind: &'static str,
    expected: &'static str,
}

impl ParseKindError {
    /// An unknown name of `kind` (`"key"`), which accepts `expected` (`"auth or sign"`).
    pub(crate) const fn new(kind: &'static str, expected: &'static str) -> Self {
        Self { kind, expected }
    }

    /// What was being named: `"certificate"`, `"key"` or `"PIN"`.
    pub const fn kind(&self) -> &'static str {
        self.kind
    }

    /// The names accepted, as prose (`"auth or sign"`).
    pub const fn expected(&self) -> &'static str {
        self.expected
    }
}

impl std::fmt::Display for ParseKindError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} kind: expected {}", self.kind, self.expected)
    }
}

impl std::error::Error for ParseKindError {}
