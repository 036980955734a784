//! A virtual My Number Card: the JPKI application answering APDUs in process, for tests and
//! examples. Facts modelled, with their sources: ../shared/PROTOCOL.md and the comments in
//! [`handler`](self) and `files`.
//!
//! ```
//! use mynumbercard::virtual_card::VirtualCard;
//! let mut card = VirtualCard::new();
//! // SELECT the JPKI application, then its auth PIN, then ask for the tries left.
//! let aid = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
//! let mut select = vec![0x00, 0xA4, 0x04, 0x0C, 0x0A];
//! select.extend_from_slice(&aid);
//! assert_eq!(card.handle(&select), [0x90, 0x00]);
//! assert_eq!(card.handle(&[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x18]), [0x90, 0x00]);
//! assert_eq!(card.handle(&[0x00, 0x20, 0x00, 0x80]), [0x63, 0xC3]);
//! assert_eq!(card.log().len(), 3);
//! ```

mod files;
pub mod fixtures;
mod handler;
mod holder;
#[doc(hidden)]
pub mod issue;

use std::fmt;

use rsa::pkcs8::DecodePublicKey;
use rsa::RsaPublicKey;
use zeroize::Zeroizing;

use crate::jpki::{token, CertificateKind, KeyKind, PinKind};
use crate::transport::{Capabilities, Interface, Transport, TransportError};
use files::{App, Ef};
pub use holder::{BirthDate, Holder, Sex};

/// The ATR the virtual card answers with by default: `3B 8C 80 01` + the 12 historical bytes
/// `JPKI-VIRTUAL` + TCK (T=1). A choice: no public source gives a real card's ATR, and real
/// cards have several (PROTOCOL.md: never rely on it), so this one says what it is.
pub const DEFAULT_ATR: [u8; 17] = [
    0x3B, 0x8C, 0x80, 0x01, b'J', b'P', b'K', b'I', b'-', b'V', b'I', b'R', b'T', b'U', b'A', b'L',
    0x79,
];

/// A virtual My Number Card answering APDUs as the real card does (see the module docs).
///
/// It starts powered, with nothing selected and no PIN verified. [`VirtualCard::power_off`]
/// clears selection and security status; [`VirtualCard::reset`] (a warm reset) clears the
/// selection but keeps verified PINs, the worse case seen on a real card.
pub struct VirtualCard {
    log: Vec<Vec<u8>>,
    atr: Vec<u8>,
    powered: bool,
    app: Option<App>,
    ef: Option<Ef>,
    /// The application the security status belongs to: the last one selected since power-up
    /// (a warm reset clears the selection, not this).
    security_app: Option<App>,
    auth_pin: PinState,
    sign_pin: PinState,
    sign_cert: Vec<u8>,
    token: Vec<u8>,
    holder: Holder,
}

/// One PIN: its value, tries left and whether it is verified in this card session.
struct PinState {
    value: Zeroizing<Vec<u8>>,
    tries: u8,
    verified: bool,
}

/// Builds a [`VirtualCard`] with chosen PINs, tries left, holder, token label and ATR.
pub struct VirtualCardBuilder {
    auth_pin: Zeroizing<String>,
    sign_pin: Zeroizing<String>,
    auth_tries: u8,
    sign_tries: u8,
    holder: Holder,
    token_label: Vec<u8>,
    atr: Vec<u8>,
}

impl Default for VirtualCardBuilder {
    fn default() -> Self {
        Self {
            auth_pin: Zeroizing::new(VirtualCard::DEFAULT_AUTH_PIN.to_owned()),
            sign_pin: Zeroizing::new(VirtualCard::DEFAULT_SIGN_PIN.to_owned()),
            auth_tries: PinKind::Auth.max_tries(),
            sign_tries: PinKind::Sign.max_tries(),
            holder: Holder::default(),
            token_label: token::MY_NUMBER_CARD.to_vec(),
            atr: DEFAULT_ATR.to_vec(),
        }
    }
}

impl VirtualCardBuilder {
    /// The auth PIN (default `1234`). Not checked for format: the card compares bytes.
    pub fn auth_pin(mut self, pin: &str) -> Self {
        self.auth_pin = Zeroizing::new(pin.to_owned());
        self
    }

    /// The sign PIN (default `ABC123`).
    pub fn sign_pin(mut self, pin: &str) -> Self {
        self.sign_pin = Zeroizing::new(pin.to_owned());
        self
    }

    /// Tries left on the auth PIN (at most 3; 0 = blocked).
    pub fn auth_tries_left(mut self, tries: u8) -> Self {
        self.auth_tries = tries.min(PinKind::Auth.max_tries());
        self
    }

    /// Tries left on the sign PIN (at most 5; 0 = blocked).
    pub fn sign_tries_left(mut self, tries: u8) -> Self {
        self.sign_tries = tries.min(PinKind::Sign.max_tries());
        self
    }

    /// The holder; a non-default holder gets a fresh signature certificate at build time,
    /// signed by the fixture signature-CA key.
    pub fn holder(mut self, holder: Holder) -> Self {
        self.holder = holder;
        self
    }

    /// The token label of EF 0006 (default `JPKIAPICCTOKEN2`; see [`crate::jpki::token`]),
    /// padded with spaces to 32 bytes.
    pub fn token_label(mut self, label: &[u8]) -> Self {
        self.token_label = label.to_vec();
        self
    }

    /// The ATR (default [`DEFAULT_ATR`]).
    pub fn atr(mut self, atr: Vec<u8>) -> Self {
        self.atr = atr;
        self
    }

    /// Builds the card.
    ///
    /// # Panics
    ///
    /// If a custom holder's signature certificate cannot be issued, which only a bug in this
    /// crate's fixtures could cause.
    pub fn build(self) -> VirtualCard {
        let sign_cert = if self.holder == Holder::default() {
            fixtures::SIGN_CERT.to_vec()
        } else {
            issue_sign_certificate(&self.holder)
                .expect("the fixture keys issue a signature certificate for any holder")
        };
        VirtualCard {
            log: Vec::new(),
            atr: self.atr,
            powered: true,
            app: None,
            ef: None,
            security_app: None,
            auth_pin: PinState {
                value: Zeroizing::new(self.auth_pin.as_bytes().to_vec()),
                tries: self.auth_tries,
                verified: false,
            },
            sign_pin: PinState {
                value: Zeroizing::new(self.sign_pin.as_bytes().to_vec()),
                tries: self.sign_tries,
                verified: false,
            },
            sign_cert,
            token: files::token_file(&self.token_label),
            holder: self.holder,
        }
    }
}

fn issue_sign_certificate(holder: &Holder) -> Result<Vec<u8>, issue::IssueError> {
    let user = fixtures::user_key(KeyKind::Sign)?.to_public_key();
    let ca = fixtures::ca_key(KeyKind::Sign)?;
    issue::sign_certificate(holder, &user, &ca)
}

impl VirtualCard {
    /// Default auth PIN.
    pub const DEFAULT_AUTH_PIN: &'static str = "1234";
    /// Default sign PIN.
    pub const DEFAULT_SIGN_PIN: &'static str = "ABC123";

    /// A card with the defaults: PINs `1234` / `ABC123`, full tries, the default holder.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder.
    pub fn builder() -> VirtualCardBuilder {
        VirtualCardBuilder::default()
    }

    /// Answers one command APDU with data + SW1 SW2, recording it in the log. Never panics,
    /// whatever the bytes.
    pub fn handle(&mut self, apdu: &[u8]) -> Vec<u8> {
        self.log.push(apdu.to_vec());
        self.respond(apdu).to_bytes()
    }

    /// Every command APDU received, in order (PINs included: this is a test card).
    pub fn log(&self) -> &[Vec<u8>] {
        &self.log
    }

    /// Empties the log.
    pub fn clear_log(&mut self) {
        self.log.clear();
    }

    /// The ATR.
    pub fn atr(&self) -> &[u8] {
        &self.atr
    }

    /// Removes power: clears the selection and the security status (verified PINs). Until
    /// [`VirtualCard::power_on`] (or [`VirtualCard::reset`]) every command answers `6F00`.
    pub fn power_off(&mut self) {
        self.powered = false;
        self.clear_selection();
        self.clear_security_status();
    }

    /// Powers the card up (nothing selected, nothing verified if it was off).
    pub fn power_on(&mut self) {
        if !self.powered {
            self.power_off();
        }
        self.powered = true;
    }

    /// Warm reset: clears the selection but keeps verified PINs. "A successful VERIFY was seen
    /// to survive disconnect and warm reset" [one source: myna-card, PROTOCOL.md]: the worse
    /// case is modelled, so a session that verified a PIN must end by unpowering the card.
    /// Powers the card up if it was off.
    pub fn reset(&mut self) {
        self.power_on();
        self.clear_selection();
    }

    /// Whether the card is powered.
    pub fn is_powered(&self) -> bool {
        self.powered
    }

    /// Tries left for a PIN.
    pub fn tries_left(&self, pin: PinKind) -> u8 {
        self.pin(pin).tries
    }

    /// Whether a PIN is verified in the current card session.
    pub fn is_verified(&self, pin: PinKind) -> bool {
        self.pin(pin).verified
    }

    /// The DER certificate of `kind` as the card holds it (without the file's filler).
    pub fn certificate_der(&self, kind: CertificateKind) -> &[u8] {
        match kind {
            CertificateKind::Sign => &self.sign_cert,
            other => fixtures::certificate(other),
        }
    }

    /// The public key of `kind`, from its certificate.
    ///
    /// # Panics
    ///
    /// Never with the committed fixtures (their keys are RSA).
    pub fn public_key(&self, kind: KeyKind) -> RsaPublicKey {
        let cert = match kind {
            KeyKind::Auth => CertificateKind::Auth,
            KeyKind::Sign => CertificateKind::Sign,
        };
        public_key_of(self.certificate_der(cert)).expect("fixture certificates hold RSA keys")
    }

    /// The holder the signature certificate names.
    pub fn holder(&self) -> &Holder {
        &self.holder
    }

    fn pin(&self, kind: PinKind) -> &PinState {
        match kind {
            PinKind::Auth => &self.auth_pin,
            PinKind::Sign => &self.sign_pin,
        }
    }

    fn pin_mut(&mut self, kind: PinKind) -> &mut PinState {
        match kind {
            PinKind::Auth => &mut self.auth_pin,
            PinKind::Sign => &mut self.sign_pin,
        }
    }

    fn clear_selection(&mut self) {
        self.app = None;
        self.ef = None;
    }

    fn clear_security_status(&mut self) {
        self.security_app = None;
        self.auth_pin.verified = false;
        self.sign_pin.verified = false;
    }
}

fn public_key_of(cert_der: &[u8]) -> Result<RsaPublicKey, issue::IssueError> {
    use der::{Decode, Encode};
    let cert = x509_cert::Certificate::from_der(cert_der)?;
    let spki = cert.tbs_certificate.subject_public_key_info.to_der()?;
    Ok(RsaPublicKey::from_public_key_der(&spki)?)
}

impl Default for VirtualCard {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for VirtualCard {
    /// PINs and keys are never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VirtualCard")
            .field("powered", &self.powered)
            .field("application", &self.app)
            .field("file", &self.ef)
            .field("auth_pin", &self.auth_pin)
            .field("sign_pin", &self.sign_pin)
            .field("log_len", &self.log.len())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for PinState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pin")
            .field("value", &"REDACTED")
            .field("tries", &self.tries)
            .field("verified", &self.verified)
            .finish()
    }
}

impl fmt::Debug for VirtualCardBuilder {
    /// PINs are never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VirtualCardBuilder")
            .field("auth_pin", &"REDACTED")
            .field("sign_pin", &"REDACTED")
            .field("auth_tries", &self.auth_tries)
            .field("sign_tries", &self.sign_tries)
            .field("holder", &self.holder)
            .field("token_label", &String::from_utf8_lossy(&self.token_label))
            .field("atr", &hex::encode_upper(&self.atr))
            .finish()
    }
}

impl Transport for VirtualCard {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(self.handle(command))
    }

    /// A contact reader carrying short APDUs only.
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            max_command_len: 261,
            max_response_len: 258,
            extended_length: false,
            interface: Interface::Contact,
        }
    }
}
