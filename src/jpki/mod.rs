//! The JPKI application (公的個人認証AP): card identification, certificates, PIN tries, PIN
//! verification with the lockout guard, and signing. The application's AID, files, PINs and
//! commands are those OpenSC's JPKI driver (`card-jpki.c`, `pkcs15-jpki.c`), jpki/myna and
//! myna-card use.

mod availability;
mod certificate;
mod pin;
mod sign;
mod token_info;

use crate::apdu::StatusWord;
use crate::card::{refuses_form, status_error, Application, Card, OnReset, Support};
use crate::certificate::ParseKindError;
use crate::commands;
use crate::digest_info::HashAlgorithm;
use crate::error::{Error, Result};
use crate::transport::Transport;

pub use crate::certificate::CertificateKind;
pub use crate::pin::{LastTry, PinStatus};
pub use availability::{CertificateAvailability, Presence};
pub use certificate::MAX_CERTIFICATE_LEN;
pub use pin::{JpkiPin, PinKind};
pub use token_info::{TokenInfo, TokenRecord};

/// DF name of the JPKI application (the same in OpenSC, jpki/myna, myna-card and jsapdu).
pub const AID: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];

/// The JPKI application, as the session selects it.
pub const APPLICATION: Application = Application::new("JPKI", &AID);

/// Elementary files of the JPKI application, the same in OpenSC, jpki/myna and myna-card.
pub mod ef {
    /// Signature certificate (署名用電子証明書); readable after the signature PIN (OpenSC and
    /// jpki/myna verify that PIN before reading it).
    pub const SIGN_CERT: u16 = 0x0001;
    /// Signature CA certificate.
    pub const SIGN_CA_CERT: u16 = 0x0002;
    /// Token information: the card kind's label, padded with spaces to 32 bytes (the first
    /// 32 bytes of a 160-byte PKCS #11 record on the card myna-card read).
    pub const TOKEN: u16 = 0x0006;
    /// Which certificates the card holds: 3 bytes (described only by myna-card).
    pub const CERTIFICATE_AVAILABILITY: u16 = 0x0008;
    /// User-authentication certificate (利用者証明用電子証明書).
    pub const AUTH_CERT: u16 = 0x000A;
    /// User-authentication CA certificate.
    pub const AUTH_CA_CERT: u16 = 0x000B;
    /// User-authentication private key (RSA-2048).
    pub const AUTH_KEY: u16 = 0x0017;
    /// User-authentication PIN: 4 digits, 3 tries.
    pub const AUTH_PIN: u16 = 0x0018;
    /// Signature private key (RSA-2048).
    pub const SIGN_KEY: u16 = 0x001A;
    /// Signature PIN: 6–16 characters A–Z 0–9, 5 tries.
    pub const SIGN_PIN: u16 = 0x001B;

    use crate::certificate::CertificateKind;

    /// The file of a certificate.
    pub const fn certificate(kind: CertificateKind) -> u16 {
        match kind {
            CertificateKind::Auth => AUTH_CERT,
            CertificateKind::Sign => SIGN_CERT,
            CertificateKind::AuthCa => AUTH_CA_CERT,
            CertificateKind::SignCa => SIGN_CA_CERT,
        }
    }
}

/// Token labels of EF 0006, as OpenSC and jpki/myna know them.
pub mod token {
    /// The plastic My Number Card.
    pub const MY_NUMBER_CARD: &[u8] = b"JPKIAPICCTOKEN2";
    /// The old Basic Resident Register card (住基カード).
    pub const JUKI_CARD: &[u8] = b"JPKIAPICCTOKEN";
    /// The smartphone credential on Android (GP-SE).
    pub const ANDROID: &[u8] = b"JPKIAPGPSETOKEN";
    /// The smartphone credential on iPhone.
    pub const IPHONE: &[u8] = b"JPKIAPIOSTOKEN";
    /// Size of the token file's label field.
    pub const LEN: usize = 32;
}

/// What kind of JPKI token answered.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CardKind {
    /// The plastic My Number Card (`JPKIAPICCTOKEN2`).
    MyNumberCard,
    /// The old Basic Resident Register card (`JPKIAPICCTOKEN`).
    JukiCard,
    /// The JPKI credential in an Android phone (`JPKIAPGPSETOKEN`).
    AndroidToken,
    /// The JPKI credential in an iPhone (`JPKIAPIOSTOKEN`).
    IphoneToken,
    /// A JPKI application with another label (printable ASCII, at most 32 characters).
    Other(String),
    /// No JPKI application: SELECT of its AID failed.
    NotJpki,
}

/// The two JPKI keys. `FromStr` reads `auth` and `sign`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyKind {
    /// User-authentication key (利用者証明用), unlocked by the 4-digit PIN.
    Auth,
    /// Signature key (署名用), unlocked by the signature PIN.
    Sign,
}

impl KeyKind {
    /// The key's file.
    pub const fn key_file(self) -> u16 {
        match self {
            KeyKind::Auth => ef::AUTH_KEY,
            KeyKind::Sign => ef::SIGN_KEY,
        }
    }

    /// The PIN that unlocks it.
    pub const fn pin(self) -> PinKind {
        match self {
            KeyKind::Auth => PinKind::Auth,
            KeyKind::Sign => PinKind::Sign,
        }
    }

    /// The key's certificate, whose public key (and so algorithm) is the key's.
    pub const fn certificate(self) -> CertificateKind {
        match self {
            KeyKind::Auth => CertificateKind::Auth,
            KeyKind::Sign => CertificateKind::Sign,
        }
    }

    /// The CA certificate that issued the key's certificate.
    pub const fn ca_certificate(self) -> CertificateKind {
        match self {
            KeyKind::Auth => CertificateKind::AuthCa,
            KeyKind::Sign => CertificateKind::SignCa,
        }
    }

    /// Both keys of today's cards.
    pub const ALL: [KeyKind; 2] = [KeyKind::Auth, KeyKind::Sign];
}

impl std::str::FromStr for KeyKind {
    type Err = ParseKindError;
    /// `auth` or `sign`.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "auth" => Ok(Self::Auth),
            "sign" => Ok(Self::Sign),
            _ => Err(ParseKindError::new("key", "auth or sign")),
        }
    }
}

/// The JPKI application of a [`Card`]; borrow it with [`Card::jpki`].
#[derive(Debug)]
pub struct Jpki<'a, T> {
    card: &'a mut Card<T>,
}

impl<'a, T: Transport> Jpki<'a, T> {
    pub(crate) fn new(card: &'a mut Card<T>) -> Self {
        Self { card }
    }

    /// Selects the JPKI application (once per session). A card without it gives
    /// [`Error::NotJpkiCard`].
    pub fn select(&mut self) -> Result<()> {
        self.card.operation(OnReset::Repeat, |card| {
            Jpki::new(card).select_in_transaction()
        })
    }

    fn select_in_transaction(&mut self) -> Result<()> {
        match self.card.select_application(APPLICATION) {
            Err(Error::FileNotFound { .. }) => Err(Error::NotJpkiCard),
            other => other,
        }
    }

    /// Tells what kind of token this is from its token file (EF 0006): SELECT, SELECT, one
    /// READ BINARY of 32 bytes.
    pub fn identify(&mut self) -> Result<CardKind> {
        self.card.operation(OnReset::Repeat, |card| {
            Jpki::new(card).identify_in_transaction()
        })
    }

    fn identify_in_transaction(&mut self) -> Result<CardKind> {
        match self.select() {
            Err(Error::NotJpkiCard) => return Ok(CardKind::NotJpki),
            other => other?,
        }
        self.card.select_file(APPLICATION, ef::TOKEN)?;
        let response = self
            .card
            .transmit_ok(&commands::read_binary(0, token::LEN)?)?;
        let kind = token_info::kind_of(token_info::label_of(response.data()));
        token_info::note_kind(self.card, &kind);
        Ok(kind)
    }

    /// Signs a SHA-256 digest with `key`: the library builds the DigestInfo, the card pads
    /// and signs (RSA PKCS#1 v1.5). The key's PIN must have been verified in this session
    /// ([`Error::SecurityStatusNotSatisfied`] otherwise). Sends SELECT of the key file
    /// (unless selected) and COMPUTE DIGITAL SIGNATURE, once each.
    pub fn sign_sha256(&mut self, key: KeyKind, digest: &[u8; 32]) -> Result<Vec<u8>> {
        self.sign_digest(key, HashAlgorithm::Sha256, digest)
    }

    /// Signs a DER DigestInfo with `key` (the card adds PKCS#1 v1.5 type-1 padding).
    pub fn sign_digest_info(&mut self, key: KeyKind, digest_info: &[u8]) -> Result<Vec<u8>> {
        self.card.operation(OnReset::Fail, |card| {
            let mut jpki = Jpki::new(card);
            match jpki.sign_in_transaction(key, digest_info) {
                Err(error) if key == KeyKind::Sign => Err(jpki.signature_side(error)),
                other => other,
            }
        })
    }

    /// Verifies `pin` and signs a SHA-256 digest with its key in ONE transaction, so no
    /// other application can use the verified PIN before the signature (nor slip a command
    /// in between). `last_try` says whether the last PIN try may be spent. Sends what
    /// [`Jpki::verify_pin_with`] and [`Jpki::sign_sha256`] send; the PIN at most once.
    pub fn sign_sha256_with_pin<P: JpkiPin>(
        &mut self,
        pin: &P,
        digest: &[u8; 32],
        last_try: LastTry,
    ) -> Result<Vec<u8>> {
        self.card.operation(OnReset::Fail, |card| {
            let mut jpki = Jpki::new(card);
            jpki.verify_pin_with(pin, last_try)?;
            jpki.sign_sha256(P::KIND.key(), digest)
        })
    }

    /// COMPUTE DIGITAL SIGNATURE with `key`: by the key file's short file identifier
    /// (`80 2A 00 97` / `9A`, as only myna-card sends it) once the card answered a short file
    /// identifier in VERIFY and unless it refused this form; else after SELECT of the key
    /// file (`80 2A 00 80`, as OpenSC and jpki/myna send it).
    fn sign_in_transaction(&mut self, key: KeyKind, digest_info: &[u8]) -> Result<Vec<u8>> {
        self.select()?;
        let addressing = self.card.addressing();
        let sfi = commands::short_file_id(key.key_file()).filter(|_| {
            addressing.verify_short_file_ids == Support::Works
                && addressing.signing_short_file_id != Support::Refused
        });
        let mut answer = None;
        if let Some(sfi) = sfi {
            let command = commands::compute_digital_signature_sfi(sfi, digest_info);
            let response = self.card.transmit(&command)?;
            self.card.forget_file();
            if refuses_form(response.status()) {
                log::debug!(
                    "the card refused a short file identifier in COMPUTE DIGITAL SIGNATURE"
                );
                self.card.addressing_mut().signing_short_file_id = Support::Refused;
            } else {
                answer = Some((response, command));
            }
        }
        let by_sfi = answer.is_some();
        let (response, command) = match answer {
            Some(answer) => answer,
            None => {
                self.card.select_file(APPLICATION, key.key_file())?;
                let command = commands::compute_digital_signature(digest_info);
                (self.card.transmit(&command)?, command)
            }
        };
        if response.status() != StatusWord::SUCCESS {
            return Err(status_error(response.status(), &command));
        }
        if by_sfi {
            self.card.addressing_mut().signing_short_file_id = Support::Works;
        }
        let signature = response.into_data();
        // A bound only (RSA-2048 gives 256 bytes, ECDSA P-384 96 or a DER of at most 104):
        // callers that know the key's algorithm check the exact form
        // (`KeyAlgorithm::signature_from_card`).
        if signature.is_empty() || signature.len() > 512 {
            return Err(Error::MalformedResponse(
                "signature of an unexpected length",
            ));
        }
        Ok(signature)
    }

    pub(crate) fn card(&mut self) -> &mut Card<T> {
        self.card
    }

    pub(crate) fn into_card(self) -> &'a mut Card<T> {
        self.card
    }
}

impl<T: Transport> Card<T> {
    /// The JPKI application (公的個人認証AP).
    pub fn jpki(&mut self) -> Jpki<'_, T> {
        Jpki::new(self)
    }
}
