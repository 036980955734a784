//! The records and enums the API passes: plain data, converted from the core's types (whose
//! enums are `#[non_exhaustive]`: a kind the bindings do not know yet maps to an `Other`).

use std::time::SystemTime;

use mynumbercard::calendar::CalendarDate as CoreDate;
use mynumbercard::certificate::{JpkiCertificate, PublicKey, Sex as CoreSex};
use mynumbercard::{CardKind as CoreCardKind, PinStatus};

/// What kind of token answered [`crate::MyNumberCard::identify`].
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CardKind {
    /// The plastic My Number Card.
    MyNumberCard,
    /// The old Basic Resident Register card (住基カード).
    JukiCard,
    /// The JPKI credential in an Android phone.
    AndroidCredential,
    /// The JPKI credential in an iPhone.
    IphoneCredential,
    /// A JPKI application with another token label.
    Other {
        /// The label, printable ASCII.
        label: String,
    },
    /// No JPKI application: not a My Number Card.
    NotMyNumberCard,
}

impl From<CoreCardKind> for CardKind {
    fn from(kind: CoreCardKind) -> Self {
        match kind {
            CoreCardKind::MyNumberCard => CardKind::MyNumberCard,
            CoreCardKind::JukiCard => CardKind::JukiCard,
            CoreCardKind::AndroidToken => CardKind::AndroidCredential,
            CoreCardKind::IphoneToken => CardKind::IphoneCredential,
            CoreCardKind::Other(label) => CardKind::Other { label },
            CoreCardKind::NotJpki => CardKind::NotMyNumberCard,
            other => CardKind::Other {
                label: format!("{other:?}"),
            },
        }
    }
}

/// The four certificates of the JPKI application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
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
    pub(crate) fn to_core(self) -> mynumbercard::CertificateKind {
        match self {
            CertificateKind::Auth => mynumbercard::CertificateKind::Auth,
            CertificateKind::Sign => mynumbercard::CertificateKind::Sign,
            CertificateKind::AuthCa => mynumbercard::CertificateKind::AuthCa,
            CertificateKind::SignCa => mynumbercard::CertificateKind::SignCa,
        }
    }
}

/// The two JPKI keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum KeyKind {
    /// User-authentication key, unlocked by the 4-digit PIN.
    Auth,
    /// Signature key, unlocked by the 6–16 character signature PIN.
    Sign,
}

/// Whether a VERIFY may spend the last try.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, uniffi::Enum)]
pub enum LastTry {
    /// Refuse with `LastTryRefused` when one try is left (the default).
    #[default]
    Refuse,
    /// Send it even though a wrong one would block the PIN: only after asking the holder.
    Allow,
}

impl LastTry {
    pub(crate) fn to_core(self) -> mynumbercard::LastTry {
        match self {
            LastTry::Refuse => mynumbercard::LastTry::Refuse,
            LastTry::Allow => mynumbercard::LastTry::Allow,
        }
    }
}

/// A hash algorithm for [`SignInput::Digest`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum DigestAlgorithm {
    /// SHA-1 (legacy verifiers only).
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    pub(crate) fn from_core(hash: mynumbercard::HashAlgorithm) -> Option<Self> {
        use mynumbercard::HashAlgorithm as H;
        Some(match hash {
            H::Sha1 => DigestAlgorithm::Sha1,
            H::Sha224 => DigestAlgorithm::Sha224,
            H::Sha256 => DigestAlgorithm::Sha256,
            H::Sha384 => DigestAlgorithm::Sha384,
            H::Sha512 => DigestAlgorithm::Sha512,
            #[allow(unreachable_patterns)]
            _ => return None,
        })
    }

    pub(crate) fn to_core(self) -> mynumbercard::HashAlgorithm {
        use mynumbercard::HashAlgorithm as H;
        match self {
            DigestAlgorithm::Sha1 => H::Sha1,
            DigestAlgorithm::Sha224 => H::Sha224,
            DigestAlgorithm::Sha256 => H::Sha256,
            DigestAlgorithm::Sha384 => H::Sha384,
            DigestAlgorithm::Sha512 => H::Sha512,
        }
    }
}

/// What to sign.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum SignInput {
    /// A message, hashed with SHA-256 on the host (RSA PKCS#1 v1.5 with SHA-256 over it).
    Message {
        /// The bytes to sign.
        message: Vec<u8>,
    },
    /// A digest computed by the app.
    Digest {
        /// Its algorithm.
        algorithm: DigestAlgorithm,
        /// The digest (20, 28, 32, 48 or 64 bytes, as the algorithm says).
        digest: Vec<u8>,
    },
}

/// What the card says of a PIN or access code, asked without spending a try.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum SecretStatus {
    /// This many tries left (at least 1).
    Remaining {
        /// Tries left.
        tries: u8,
    },
    /// No try left.
    Blocked,
    /// Verified in this card session.
    Verified,
    /// The card gave no count; the library will not send this secret unless the last try
    /// is allowed.
    NotReported,
}

impl From<PinStatus> for SecretStatus {
    fn from(status: PinStatus) -> Self {
        match status {
            PinStatus::Remaining(tries) => SecretStatus::Remaining { tries },
            PinStatus::Blocked => SecretStatus::Blocked,
            PinStatus::Verified => SecretStatus::Verified,
            #[allow(unreachable_patterns)]
            _ => SecretStatus::NotReported,
        }
    }
}

/// The card's PINs and access codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum SecretKind {
    /// JPKI user-authentication PIN: 4 digits, 3 tries.
    AuthPin,
    /// JPKI signature PIN: 6–16 of A–Z and 0–9, 5 tries.
    SignPin,
    /// Card-info application PIN (券面事項入力補助用暗証番号): 4 digits, 3 tries.
    CardInfoPin,
    /// Card-info application, access code A (the my number).
    CardInfoAccessCodeA,
    /// Card-info application, access code B.
    CardInfoAccessCodeB,
    /// Card-face application, access code A (the my number).
    CardFaceAccessCodeA,
    /// Card-face application, access code B.
    CardFaceAccessCodeB,
}

impl SecretKind {
    /// All of them, in the order of [`SecretStatuses`].
    pub const ALL: [SecretKind; 7] = [
        SecretKind::AuthPin,
        SecretKind::SignPin,
        SecretKind::CardInfoPin,
        SecretKind::CardInfoAccessCodeA,
        SecretKind::CardInfoAccessCodeB,
        SecretKind::CardFaceAccessCodeA,
        SecretKind::CardFaceAccessCodeB,
    ];
}

/// The status of every PIN and access code, read in one transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SecretStatuses {
    /// JPKI user-authentication PIN.
    pub auth_pin: SecretStatus,
    /// JPKI signature PIN.
    pub sign_pin: SecretStatus,
    /// Card-info PIN.
    pub card_info_pin: SecretStatus,
    /// Card-info access code A.
    pub card_info_access_code_a: SecretStatus,
    /// Card-info access code B.
    pub card_info_access_code_b: SecretStatus,
    /// Card-face access code A.
    pub card_face_access_code_a: SecretStatus,
    /// Card-face access code B.
    pub card_face_access_code_b: SecretStatus,
}

/// The PINs [`crate::MyNumberCard::change_pin`] changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum ChangeablePin {
    /// JPKI user-authentication PIN.
    Auth,
    /// JPKI signature PIN.
    Sign,
    /// Card-info PIN.
    CardInfo,
}

/// Which secret opens the card-info application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CardInfoSecret {
    /// The card-info PIN: opens the my number and the attributes.
    Pin,
    /// Access code A (the my number): opens the my number only.
    AccessCodeA,
    /// Access code B: opens the attributes only.
    AccessCodeB,
}

/// Which access code opens the card-face application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CardFaceSecret {
    /// Access code A (the my number): opens the card face and the my-number image.
    AccessCodeA,
    /// Access code B: opens the card face only.
    AccessCodeB,
}

/// A Gregorian date (not `Date`: Swift has one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Record)]
pub struct CalendarDate {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

impl From<CoreDate> for CalendarDate {
    fn from(date: CoreDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
            day: date.day(),
        }
    }
}

impl CalendarDate {
    pub(crate) fn to_core(self) -> Option<CoreDate> {
        CoreDate::new(self.year, self.month, self.day)
    }
}

/// Sex as the card records it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum Sex {
    /// `1`.
    Male,
    /// `2`.
    Female,
    /// `3` (不明).
    Unknown,
    /// `9` (not applicable).
    NotApplicable,
    /// Another code, as written.
    Other {
        /// The code.
        code: String,
    },
}

impl From<CoreSex> for Sex {
    fn from(sex: CoreSex) -> Self {
        match sex {
            CoreSex::Male => Sex::Male,
            CoreSex::Female => Sex::Female,
            CoreSex::Unknown => Sex::Unknown,
            CoreSex::NotApplicable => Sex::NotApplicable,
            CoreSex::Other(code) => Sex::Other { code },
            #[allow(unreachable_patterns)] // the core's enums are becoming non-exhaustive
            other => Sex::Other {
                code: format!("{other:?}"),
            },
        }
    }
}

/// A certificate's public key.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum KeyInfo {
    /// RSA with a modulus of `bits` bits (2048 on today's cards).
    Rsa {
        /// Modulus size.
        bits: u32,
    },
    /// ECDSA P-256.
    EcP256,
    /// ECDSA P-384.
    EcP384,
    /// Anything else, described.
    Other {
        /// The algorithm or curve.
        description: String,
    },
}

impl From<&PublicKey> for KeyInfo {
    fn from(key: &PublicKey) -> Self {
        match key {
            PublicKey::Rsa { bits } => KeyInfo::Rsa {
                bits: u32::try_from(*bits).unwrap_or(u32::MAX),
            },
            PublicKey::EcP256 => KeyInfo::EcP256,
            PublicKey::EcP384 => KeyInfo::EcP384,
            other => KeyInfo::Other {
                description: format!("{other:?}"),
            },
        }
    }
}

/// The holder's attributes in the signature certificate (personal data: show it only to the
/// holder or where the law allows; never log it).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct HolderAttributes {
    /// Name (氏名).
    pub name: Option<String>,
    /// Sex (性別).
    pub sex: Option<Sex>,
    /// Birth date (生年月日).
    pub birth_date: Option<CalendarDate>,
    /// Address (住所).
    pub address: Option<String>,
    /// 1-based positions of substitute characters in the name (characters the certificate
    /// cannot hold).
    pub name_substitutes: Vec<u32>,
    /// 1-based positions of substitute characters in the address.
    pub address_substitutes: Vec<u32>,
}

/// A certificate read from the card: its DER and what the library reads from it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct CertificateInfo {
    /// Which certificate it is, by its issuer (None: not recognised as a JPKI certificate).
    pub kind: Option<CertificateKind>,
    /// The certificate as the card holds it (DER).
    pub der: Vec<u8>,
    /// Subject, RFC 4514 string.
    pub subject: String,
    /// Issuer, RFC 4514 string.
    pub issuer: String,
    /// Serial number, hex.
    pub serial_hex: String,
    /// Start of validity.
    pub not_before: SystemTime,
    /// End of validity.
    pub not_after: SystemTime,
    /// The public key.
    pub key: KeyInfo,
    /// SHA-256 of the DER.
    pub fingerprint_sha256: Vec<u8>,
    /// The holder's attributes (signature certificate only).
    pub holder: Option<HolderAttributes>,
}

impl From<&JpkiCertificate> for CertificateInfo {
    fn from(certificate: &JpkiCertificate) -> Self {
        let tbs = &certificate.certificate().tbs_certificate;
        let positions = |flags: Option<&mynumbercard::certificate::SubstituteFlags>| {
            flags
                .map(|f| {
                    f.positions()
                        .into_iter()
                        .map(|p| u32::try_from(p).unwrap_or(u32::MAX))
                        .collect()
                })
                .unwrap_or_default()
        };
        Self {
            kind: certificate.kind().and_then(|kind| match kind {
                mynumbercard::CertificateKind::Auth => Some(CertificateKind::Auth),
                mynumbercard::CertificateKind::Sign => Some(CertificateKind::Sign),
                mynumbercard::CertificateKind::AuthCa => Some(CertificateKind::AuthCa),
                mynumbercard::CertificateKind::SignCa => Some(CertificateKind::SignCa),
                #[allow(unreachable_patterns)]
                _ => None,
            }),
            der: certificate.der().to_vec(),
            subject: tbs.subject.to_string(),
            issuer: tbs.issuer.to_string(),
            serial_hex: certificate.serial_hex(),
            not_before: certificate.not_before(),
            not_after: certificate.not_after(),
            key: certificate.key().into(),
            fingerprint_sha256: certificate.fingerprint().to_vec(),
            holder: certificate
                .attributes()
                .filter(|a| !a.is_empty())
                .map(|a| HolderAttributes {
                    name: a.name().map(str::to_owned),
                    sex: a.sex().cloned().map(Sex::from),
                    birth_date: a.birth_date().map(|b| b.date().into()),
                    address: a.address().map(str::to_owned),
                    name_substitutes: positions(a.name_substitutes()),
                    address_substitutes: positions(a.address_substitutes()),
                }),
        }
    }
}

/// The card-info application's data (personal data: the my number may be used only as the
/// My Number Act allows; never log it).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct CardInfo {
    /// The my number, 12 ASCII digits, as bytes the caller can wipe (with the PIN or access
    /// code A).
    pub my_number: Option<Vec<u8>>,
    /// The basic four attributes (with the PIN or access code B).
    pub attributes: Option<BasicAttributes>,
}

/// The basic four attributes (基本4情報).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct BasicAttributes {
    /// Name.
    pub name: String,
    /// Address.
    pub address: String,
    /// Birth date.
    pub birth_date: CalendarDate,
    /// Sex.
    pub sex: Sex,
}

impl From<mynumbercard::card_info::BasicAttributes> for BasicAttributes {
    fn from(a: mynumbercard::card_info::BasicAttributes) -> Self {
        Self {
            name: a.name,
            address: a.address,
            birth_date: a.birth_date.into(),
            sex: a.sex.into(),
        }
    }
}

/// The card face, as the card-face application holds it.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct CardFace {
    /// Birth date.
    pub birth_date: CalendarDate,
    /// Sex.
    pub sex: Sex,
    /// The card's expiry date.
    pub expiry: CalendarDate,
    /// The name as printed, PNG.
    pub name_image: Vec<u8>,
    /// The address as printed, PNG.
    pub address_image: Vec<u8>,
    /// The face photo, JPEG 2000 in a JP2 container.
    pub face_photo: Vec<u8>,
    /// The security code as printed, PNG.
    pub security_code_image: Vec<u8>,
    /// The my-number image, PNG (access code A and asked for only).
    pub my_number_image: Option<Vec<u8>>,
}

impl std::fmt::Debug for CardFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardFace").finish_non_exhaustive()
    }
}

impl CardFace {
    pub(crate) fn from_core(
        record: &mynumbercard::card_face::CardFaceRecord,
        my_number_image: Option<Vec<u8>>,
    ) -> Self {
        Self {
            birth_date: record.birth_date.into(),
            sex: record.sex.clone().into(),
            expiry: record.expiry.into(),
            name_image: record.name_image.clone(),
            address_image: record.address_image.clone(),
            face_photo: record.face_photo.clone(),
            security_code_image: record.security_code_image.clone(),
            my_number_image,
        }
    }
}

/// What the eligibility check gives the eligibility service.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Eligibility {
    /// The user-authentication certificate.
    pub certificate: CertificateInfo,
    /// PIN mode: the signature over the challenge, already checked against the certificate:
    /// RSA PKCS#1 v1.5 with SHA-256, or ECDSA (DER) with SHA-384 for a P-384 key.
    pub signature: Option<Vec<u8>>,
    /// The certificate key's algorithm, which made the signature (None: one the library does
    /// not sign with).
    pub key_algorithm: Option<crate::document::KeyAlgorithm>,
    /// Visual mode with access code B: the card face for staff to compare.
    pub card_face: Option<CardFace>,
    /// Visual mode with the genuineness check: its verdict.
    pub genuineness: Option<crate::GenuineVerdict>,
}
