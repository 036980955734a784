//! A virtual My Number Card: the JPKI, card-info input helper, card-face, common and
//! resident-registry applications and the master file's data objects answering APDUs in
//! process, for tests and examples. The facts modelled and their public sources are in the
//! comments of `handler`, `files`, `codes`, `card_info`, `card_face`, `common`, `credential`
//! and `master_file`.
//!
//! The card is a model independent of the library it tests: it reads APDUs with its own parser
//! and holds its own AIDs, file ids, try counts, token labels, era conversion and status words.
//! The library's public types ([`PinKind`], [`KeyKind`], [`CertificateKind`], the holder's
//! [`CalendarDate`](crate::calendar::CalendarDate) and [`Sex`](crate::certificate::Sex))
//! appear only as parameters of its API, mapped to the card's own at that boundary;
//! `tests/golden_transcripts.rs` checks both against command sequences of other public
//! implementations.
//!
//! Each kind of card is a [`Profile`]: by default the card takes extended-length READ BINARY
//! and short file identifiers, as real cards do in the public sources (Miena, c-3lab's
//! mynumbercard-idp and AokiApp's jsapdu read whole files in one extended READ BINARY;
//! jsapdu and myna-card address EFs by short file identifier), and a profile refuses either
//! form or both. What the reader in front of it carries is a [`Reader`], chosen apart: a card
//! that takes extended lengths behind a short-only reader is a setup of its own. Its files have
//! a real card's sizes (a 2025 JPKI test card: auth certificate 1,590 bytes, sign certificate
//! 1,758, CA certificates about 1,330, card face 3,070), so a read takes as many APDUs as on
//! one.
//!
//! ```
//! use mynumbercard::virtual_card::{Profile, Reader, VirtualCard};
//! use mynumbercard::Transport;
//! // A card of the generation that declares no extended lengths, behind a short-APDU reader.
//! let mut card = VirtualCard::builder()
//!     .profile(Profile::RefusesExtendedLength)
//!     .reader(Reader::ShortOnly)
//!     .build();
//! assert!(!card.capabilities().extended_length);
//! // READ BINARY of EF 000A by its short file identifier (P1 = 80 | 0A), no SELECT of it.
//! let aid = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
//! let mut select = vec![0x00, 0xA4, 0x04, 0x0C, 0x0A];
//! select.extend_from_slice(&aid);
//! assert_eq!(card.handle(&select), [0x90, 0x00]);
//! let head = card.handle(&[0x00, 0xB0, 0x8A, 0x00, 0x04]);
//! assert_eq!(head[..2], [0x30, 0x82]);
//! ```
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

mod apdu;
mod app_keys;
mod builder;
mod card_face;
mod card_info;
mod codes;
mod common;
mod credential;
mod cv;
mod ecdsa;
mod extras;
mod files;
pub mod fixtures;
mod handler;
mod holder;
#[doc(hidden)]
pub mod issue;
mod master_file;
mod profile;
mod tlv;

use std::fmt;

use rsa::pkcs8::DecodePublicKey;
use rsa::RsaPublicKey;
use zeroize::Zeroizing;

use crate::jpki::{CertificateKind, KeyKind, PinKind};
use crate::transport::{Capabilities, Transport, TransportError};
pub use builder::VirtualCardBuilder;
use codes::Code;
use files::{App, Cert, Ef, Pair};
pub use holder::Holder;
pub use profile::{Profile, Reader};

/// The ATR the virtual card answers with by default: `3B 8C 80 01` + the 12 historical bytes
/// `JPKI-VIRTUAL` + TCK (T=1). A choice: no public source gives a real card's ATR, and real
/// cards have several (OpenSC and pcsc-tools list contact and contactless ones, and a
/// contactless reader makes its own up), so this one says what it is.
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
    /// The card-info and card-face PINs and access codes, indexed by [`Code::index`].
    codes: [PinState; 6],
    sign_cert: Vec<u8>,
    token: Vec<u8>,
    /// The card-info and card-face data files, indexed by `DataFile::index`.
    data_files: Vec<Vec<u8>>,
    holder: Holder,
    /// Which key answers the card-face application's challenge.
    card_key: cv::CardKey,
    /// The common and resident-registry applications, the master file's objects, the kind
    /// of credential (see `extras`).
    extras: extras::Extras,
    /// Which keys the card holds (RSA-2048 by default).
    credential: ecdsa::Credential,
    /// Which optional forms of command the card takes.
    profile: Profile,
    /// What the reader in front of it carries.
    reader: Reader,
}

/// One PIN: its value, tries left and whether it is verified in this card session.
struct PinState {
    value: Zeroizing<Vec<u8>>,
    tries: u8,
    verified: bool,
}

impl VirtualCard {
    /// Default auth PIN.
    pub const DEFAULT_AUTH_PIN: &'static str = "1234";
    /// Default sign PIN.
    pub const DEFAULT_SIGN_PIN: &'static str = "ABC123";
    /// Default card-info PIN (券面事項入力補助用暗証番号).
    pub const DEFAULT_CARD_INFO_PIN: &'static str = "1234";

    /// A card with the defaults: PINs `1234` / `ABC123`, card-info PIN `1234`, full tries, the
    /// default holder (so access code A is `123456789018` and B `02010120351234`), taking
    /// extended lengths and short file identifiers ([`Profile::ExtendedAndShortFileIds`])
    /// behind a reader that carries extended APDUs ([`Reader::Extended`]).
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
        self.respond(apdu).into_bytes()
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

    /// Warm reset: clears the selection but keeps verified PINs. A successful VERIFY was seen
    /// to survive disconnect and warm reset (only myna-card reports this): the worse case is
    /// modelled, so a session that verified a PIN must end by unpowering the card.
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
        self.pin(pin_pair(pin)).tries
    }

    /// Tries left of every PIN and access code, for tests that check no try is lost: the
    /// JPKI auth and sign PINs, then the card-info PIN, the card-info access codes A and B,
    /// the card-face birth date, the card-face access codes A and B.
    pub fn all_tries_left(&self) -> [u8; 8] {
        let code = |code: Code| self.code(code).map_or(0, |state| state.tries);
        [
            self.auth_pin.tries,
            self.sign_pin.tries,
            code(Code::CardInfoPin),
            code(Code::CardInfoA),
            code(Code::CardInfoB),
            code(Code::CardFaceBirthDate),
            code(Code::CardFaceA),
            code(Code::CardFaceB),
        ]
    }

    /// Whether a PIN is verified in the current card session.
    pub fn is_verified(&self, pin: PinKind) -> bool {
        self.pin(pin_pair(pin)).verified
    }

    /// The DER certificate of `kind` as the card holds it (without the file's filler).
    pub fn certificate_der(&self, kind: CertificateKind) -> &[u8] {
        self.certificate(certificate_of(kind))
    }

    fn certificate(&self, cert: Cert) -> &[u8] {
        match cert {
            Cert::Sign => &self.sign_cert,
            other => ecdsa::certificate_of(self.credential, other),
        }
    }

    /// The public key of `kind`, from its certificate.
    ///
    /// # Panics
    ///
    /// On a card built with [`VirtualCardBuilder::ecdsa_p384`], whose keys are not RSA (read
    /// its key from [`VirtualCard::certificate_der`]); never otherwise.
    pub fn public_key(&self, kind: KeyKind) -> RsaPublicKey {
        let cert = match key_pair(kind) {
            Pair::Auth => Cert::Auth,
            Pair::Sign => Cert::Sign,
        };
        public_key_of(self.certificate(cert)).expect("fixture certificates hold RSA keys")
    }

    /// The virtual card's test-only CA keys for its card-verifiable certificates, as a
    /// verifier adds them ([`fixtures::cv_ca_keys`]).
    ///
    /// # Panics
    ///
    /// Never with the committed fixtures.
    pub fn cv_ca_keys() -> [crate::card_verifiable::CvCaKey; 3] {
        fixtures::cv_ca_keys().expect("the committed CV CA key parses")
    }

    /// Whether the card plays the ECDSA P-384 credential
    /// ([`VirtualCardBuilder::ecdsa_p384`]).
    pub fn is_ecdsa_p384(&self) -> bool {
        self.credential == ecdsa::Credential::EcdsaP384
    }

    /// The holder the signature certificate and the card-info and card-face files name.
    pub fn holder(&self) -> &Holder {
        &self.holder
    }

    /// Which optional forms of command the card takes (default
    /// [`Profile::ExtendedAndShortFileIds`]).
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// What the reader in front of the card carries (default [`Reader::Extended`]).
    pub fn reader(&self) -> Reader {
        self.reader
    }

    /// The length of the data file `fid` of the card-info (`app` = its AID) or card-face
    /// application as the card holds it, from the record's own TLV header: what a reader of
    /// the whole record receives. `None` for any other file.
    pub fn record_len(&self, aid: &[u8], fid: u16) -> Option<usize> {
        let file = match (App::from_aid(aid)?, fid) {
            (App::CardInfo, fid) => codes::card_info_ef(fid)?.ok()?,
            (App::CardFace, fid) => codes::card_face_ef(fid)?.ok()?,
            _ => return None,
        };
        self.data_files.get(file.index()).map(Vec::len)
    }

    fn pin(&self, pair: Pair) -> &PinState {
        match pair {
            Pair::Auth => &self.auth_pin,
            Pair::Sign => &self.sign_pin,
        }
    }

    fn pin_mut(&mut self, pair: Pair) -> &mut PinState {
        match pair {
            Pair::Auth => &mut self.auth_pin,
            Pair::Sign => &mut self.sign_pin,
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
        for code in &mut self.codes {
            code.verified = false;
        }
        self.extras.clear_security_status();
    }

    fn code(&self, code: Code) -> Option<&PinState> {
        self.codes.get(code.index())
    }

    fn code_mut(&mut self, code: Code) -> Option<&mut PinState> {
        self.codes.get_mut(code.index())
    }
}

// The API boundary: the library's public kinds, mapped to the card's own. Nothing past these
// three functions sees a library type.

/// The key pair a PIN kind names.
const fn pin_pair(kind: PinKind) -> Pair {
    match kind {
        PinKind::Auth => Pair::Auth,
        PinKind::Sign => Pair::Sign,
    }
}

/// The key pair a key kind names.
const fn key_pair(kind: KeyKind) -> Pair {
    match kind {
        KeyKind::Auth => Pair::Auth,
        KeyKind::Sign => Pair::Sign,
    }
}

/// The certificate a certificate kind names.
const fn certificate_of(kind: CertificateKind) -> Cert {
    match kind {
        CertificateKind::Auth => Cert::Auth,
        CertificateKind::AuthCa => Cert::AuthCa,
        CertificateKind::Sign => Cert::Sign,
        CertificateKind::SignCa => Cert::SignCa,
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
    /// PINs, access codes and keys are never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VirtualCard")
            .field("powered", &self.powered)
            .field("application", &self.app)
            .field("file", &self.ef)
            .field("auth_pin", &self.auth_pin)
            .field("sign_pin", &self.sign_pin)
            .field("card_app_codes", &self.codes)
            .field("profile", &self.profile)
            .field("reader", &self.reader)
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

impl Transport for VirtualCard {
    /// Hands the command to the card. Behind a [`Reader::ShortOnly`] a command in the
    /// extended-length form (or longer than 261 bytes) fails with [`TransportError::Other`]
    /// and never reaches the card, as on a reader that cannot carry it.
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let caps = self.reader.capabilities();
        let extended = apdu::parse(command).is_some_and(|parsed| parsed.extended);
        if (extended && !caps.extended_length) || command.len() > caps.max_command_len {
            return Err(TransportError::other(ReaderRefused));
        }
        Ok(self.handle(command))
    }

    /// A contact reader used by this process alone (exclusive), carrying extended APDUs or
    /// not as its [`Reader`] says.
    fn capabilities(&self) -> Capabilities {
        self.reader.capabilities()
    }
}

/// The virtual card's transport was given a command its [`Reader`] cannot carry.
#[derive(Debug, thiserror::Error)]
#[error("the virtual card's short-APDU reader cannot carry this command")]
struct ReaderRefused;
