//! The virtual card's command handler: CLA/INS dispatch, SELECT, READ BINARY, VERIFY, CHANGE
//! REFERENCE DATA and COMPUTE DIGITAL SIGNATURE, with the status words the public sources
//! report (OpenSC, jpki/myna, myna-card), each marked with its sources below.
//!
//! Must never panic on any bytes (it is fuzzed): input is only read through `get` and
//! pattern matching.
//!
//! Status words chosen where no source gives the card's own (each marked "choice" below):
//! SELECT with P1 = 09 (or any P1 other than 02/04), or P2 other than 0C → `6A86`; READ
//! BINARY by a short identifier that names no EF → `6A82`; a short identifier on a card of a
//! profile that takes none (see `profile`) → `6A86`, an extended length there → `6700`; READ
//! BINARY of a key or PIN EF → `6981`; with no current EF → `6986`; VERIFY with no current EF
//! → `6986`, on an EF that is not a PIN (or a short identifier naming none) → `6A88`; COMPUTE
//! DIGITAL SIGNATURE on an EF that is not a key → `6986`; a DigestInfo longer than the key
//! allows (k − 11 = 245 bytes), or a P1 = `02` hash that is not 32 bytes → `6700`; a
//! powered-off card → `6F00`. CHANGE REFERENCE DATA: P1-P2 other than `01 80` → `6A86`; on an
//! access code → `6985`; no new PIN → `6700`; a new PIN of the wrong format → `6A80`; a
//! changed PIN stays verified.

use rsa::Pkcs1v15Sign;
use sha2::{Digest, Sha256};

use super::apdu::{self, sw, Command, Reply};
use super::files::{self, App, Cert, Ef, Pair};
use super::{fixtures, PinState, VirtualCard};

/// The longest DigestInfo an RSA-2048 key can pad with PKCS#1 v1.5 type 1: k − 11.
const MAX_DIGEST_INFO_LEN: usize = 256 - 11;
/// The signature length of an RSA-2048 key.
const SIGNATURE_LEN: usize = 256;

const INS_SELECT: u8 = 0xA4;
const INS_READ_BINARY: u8 = 0xB0;
const INS_VERIFY: u8 = 0x20;
const INS_CHANGE_REFERENCE_DATA: u8 = 0x24;
const INS_COMPUTE_DIGITAL_SIGNATURE: u8 = 0x2A;
const INS_READ_RECORD: u8 = 0xB2;
const INS_GET_DATA: u8 = 0xCA;

fn status(sw: u16) -> Reply {
    Reply::status(sw)
}

impl VirtualCard {
    /// The response to one command APDU.
    pub(super) fn respond(&mut self, bytes: &[u8]) -> Reply {
        if !self.powered {
            return status(sw::NO_DIAGNOSIS);
        }
        // Malformed lengths → 6700.
        let Some(command) = apdu::parse(bytes) else {
            return status(sw::WRONG_LENGTH);
        };
        let cla = command.cla;
        match cla {
            0x00 | 0x80 => {}
            // Logical channels 1–3: "other logical channels answer 6881" (only myna-card
            // reports this).
            0x01..=0x03 | 0x81..=0x83 => return status(sw::LOGICAL_CHANNEL_NOT_SUPPORTED),
            // Secure messaging (0x04/0x08/0x0C bits), chaining, further interindustry and
            // proprietary classes: "secure-messaging CLAs are refused" (only myna-card reports
            // this).
            _ => return status(sw::CLA_NOT_SUPPORTED),
        }
        let handler = match (cla, command.ins) {
            (0x00, INS_SELECT) => Self::select,
            (0x00, INS_READ_BINARY) => Self::read_binary,
            (0x00, INS_VERIFY) => Self::verify,
            (0x00, INS_CHANGE_REFERENCE_DATA) => Self::change_reference_data,
            (0x80, INS_COMPUTE_DIGITAL_SIGNATURE) => Self::compute_digital_signature,
            (0x00, INS_READ_RECORD) => Self::read_record,
            (0x00, INS_GET_DATA) => Self::get_data,
            _ => return status(sw::INS_NOT_SUPPORTED),
        };
        // A card that takes no extended lengths refuses the form whatever the command (see
        // `profile`: the status word is a choice), but for GET DATA, whose extended Le
        // myna-card saw a card need (see `master_file`).
        if command.extended && !self.profile.takes_extended_length() && command.ins != INS_GET_DATA
        {
            return status(sw::WRONG_LENGTH);
        }
        handler(self, &command)
    }

    /// SELECT: by DF name `00 A4 04 0C Lc <AID>`, by file id `00 A4 02 0C 02 <FID>` (OpenSC,
    /// jpki/myna and myna-card send them this way).
    fn select(&mut self, command: &Command) -> Reply {
        if command.p2 != 0x0C {
            return status(sw::INCORRECT_P1_P2);
        }
        match command.p1 {
            0x04 => self.select_application(command.data),
            0x02 => self.select_file(command.data),
            // P1 = 09 (select by path) fails on real cards, so OpenSC, jpki/myna and myna-card
            // all use P1 = 02; the status word is a choice.
            _ => status(sw::INCORRECT_P1_P2),
        }
    }

    fn select_application(&mut self, aid: &[u8]) -> Reply {
        if aid.is_empty() {
            return status(sw::WRONG_LENGTH);
        }
        let Some(app) = App::from_aid(aid) else {
            // The current selection stays (ISO 7816-4: a failed SELECT changes nothing).
            return status(sw::FILE_NOT_FOUND);
        };
        if self.security_app.is_some_and(|held| held != app) {
            // Selecting another application clears the security status.
            self.clear_security_status();
        }
        self.security_app = Some(app);
        self.app = Some(app);
        self.ef = None;
        status(sw::OK)
    }

    fn select_file(&mut self, fid: &[u8]) -> Reply {
        let &[hi, lo] = fid else {
            return status(sw::WRONG_LENGTH);
        };
        let found = self
            .app
            .and_then(|app| self.find_ef(app, u16::from_be_bytes([hi, lo])));
        match found {
            Some(ef) => {
                self.ef = Some(ef);
                status(sw::OK)
            }
            // No application selected, or no such file in it.
            None => status(sw::FILE_NOT_FOUND),
        }
    }

    /// READ BINARY `00 B0 P1 P2 Le`: 15-bit offset, short Le (`00` = 256). A read running past
    /// the end returns the bytes up to the end with `9000` (the JICSAP IC card specification,
    /// 6.4.1 (4), as only myna-card quotes it); an offset at or past the end answers `6B00` (the
    /// same single source).
    ///
    /// With b8 of P1 set, P1 = `100x xxxx` names the EF by its short identifier instead and P2
    /// is an 8-bit offset; that EF becomes the current one (jsapdu and myna-card send this form).
    /// A card of a profile without short file identifiers answers that form `6A86`.
    ///
    /// An extended Le (on a card that takes extended length) asks for up to 65,536 bytes, and
    /// the card returns what is left of the file within it, as for a short Le (Miena, c-3lab's
    /// mynumbercard-idp and jsapdu read whole files so).
    fn read_binary(&mut self, command: &Command) -> Reply {
        let Some(ne) = command.ne else {
            return status(sw::WRONG_LENGTH);
        };
        if !command.data.is_empty() {
            return status(sw::WRONG_LENGTH);
        }
        let offset = if command.p1 & 0x80 != 0 {
            if command.p1 & 0x60 != 0 || !self.profile.takes_short_file_ids() {
                return status(sw::INCORRECT_P1_P2);
            }
            let Some(ef) = self.ef_by_sfi(command.p1 & 0x1F) else {
                return status(sw::FILE_NOT_FOUND);
            };
            self.ef = Some(ef);
            usize::from(command.p2)
        } else {
            usize::from(u16::from_be_bytes([command.p1, command.p2]))
        };
        let read = match self.ef {
            None => return status(sw::NO_CURRENT_EF),
            Some(Ef::Key(_) | Ef::Pin(_) | Ef::Code(_) | Ef::OtherPin(_) | Ef::CommonRecord) => {
                return status(sw::INCOMPATIBLE_FILE_STRUCTURE)
            }
            Some(Ef::Availability) => {
                let file = self.extras.availability;
                files::read(&file, 0x00, file.len(), offset, ne)
            }
            Some(Ef::Data(file)) => {
                let rule = file.opened_by();
                let open = rule.is_empty()
                    || rule
                        .iter()
                        .any(|&code| self.code(code).is_some_and(|state| state.verified));
                if !open {
                    return status(sw::SECURITY_STATUS_NOT_SATISFIED);
                }
                let content = self
                    .data_files
                    .get(file.index())
                    .map_or(&[][..], Vec::as_slice);
                files::read(content, 0xFF, content.len(), offset, ne)
            }
            Some(Ef::Token) => files::read(&self.token, b' ', self.token.len(), offset, ne),
            Some(Ef::Certificate(cert)) => {
                // The signature certificate needs the signature PIN (OpenSC and jpki/myna).
                if cert == Cert::Sign && !self.sign_pin.verified {
                    return status(sw::SECURITY_STATUS_NOT_SATISFIED);
                }
                // The Android credential's, only after the auth PIN (see `credential`).
                if cert == Cert::Auth && self.auth_certificate_locked() {
                    return status(sw::SECURITY_STATUS_NOT_SATISFIED);
                }
                let der = self.certificate(cert);
                let size = files::certificate_file_size(der);
                files::read(der, files::CERTIFICATE_FILLER, size, offset, ne)
            }
        };
        match read {
            Some(data) => Reply::with_data(data, sw::OK),
            None => status(sw::OFFSET_OUTSIDE_FILE),
        }
    }

    /// VERIFY `00 20 00 80 [Lc PIN]` on the current PIN EF (OpenSC, jpki/myna and myna-card
    /// agree): no data asks for the
    /// tries left (`63Cx`, `9000` once verified, `6984` when blocked) without spending one; a
    /// wrong PIN answers `63Cx` with the tries left, the exhausting try `63C0`, then `6984`
    /// (jpki/myna and myna-card report these). A correct PIN restores the full count (3 auth, 5
    /// sign; 3 for the card-info PIN and, a choice, each access code). Access codes behave as
    /// PINs (myna-card: every key reference answers VERIFY alike).
    ///
    /// P2 = `80 | SFI` names the PIN EF by its short identifier instead of the current EF, e.g.
    /// `00 20 00 98` for EF 0018, without changing the current EF (jsapdu and myna-card send this
    /// form; the current EF staying is a choice).
    fn verify(&mut self, command: &Command) -> Reply {
        if command.p1 != 0x00 {
            return status(sw::INCORRECT_P1_P2);
        }
        let Some(ef) = self.referenced_ef(command.p2) else {
            return status(sw::INCORRECT_P1_P2);
        };
        let given = command.data;
        let Some((pin, max_tries)) = ef.and_then(|ef| self.secret(ef)) else {
            return status(match (command.p2, self.ef) {
                (0x80, None) => sw::NO_CURRENT_EF,
                _ => sw::REFERENCED_DATA_NOT_FOUND,
            });
        };
        if pin.tries == 0 {
            return status(sw::BLOCKED);
        }
        if given.is_empty() {
            return status(if pin.verified {
                sw::OK
            } else {
                sw::tries_left(pin.tries)
            });
        }
        if given == pin.value.as_slice() {
            pin.tries = max_tries;
            pin.verified = true;
            status(sw::OK)
        } else {
            pin.tries = pin.tries.saturating_sub(1);
            pin.verified = false;
            status(sw::tries_left(pin.tries))
        }
    }

    /// The PIN or access code `ef`, with its full try count.
    fn secret(&mut self, ef: Ef) -> Option<(&mut PinState, u8)> {
        match ef {
            Ef::Pin(pair) => Some((self.pin_mut(pair), pair.max_tries())),
            Ef::Code(code) => Some((self.code_mut(code)?, code.max_tries())),
            Ef::OtherPin(pin) => Some(self.other_pin(pin)),
            _ => None,
        }
    }

    /// The PIN or access code of the current EF, with its full try count.
    fn current_secret(&mut self) -> Option<(&mut PinState, u8)> {
        self.secret(self.ef?)
    }

    /// The EF a short file identifier names in the current application: SFI x (1–30) is
    /// EF 00xx, as every EF of the card's applications lies in 0001–001E (jsapdu and myna-card
    /// address EFs so).
    pub(super) fn ef_by_sfi(&self, sfi: u8) -> Option<Ef> {
        if !(1..=30).contains(&sfi) {
            return None;
        }
        self.find_ef(self.app?, u16::from(sfi))
    }

    /// The EF a VERIFY or COMPUTE DIGITAL SIGNATURE works on, from P2: `80` the current EF,
    /// `80 | SFI` the EF of that short identifier (`Some(None)` when there is none). `None`:
    /// other parameters, or a short identifier on a card of a profile without them, answered
    /// `6A86`.
    fn referenced_ef(&self, p2: u8) -> Option<Option<Ef>> {
        match p2 {
            0x80 => Some(self.ef),
            p2 if p2 & 0xE0 == 0x80 && self.profile.takes_short_file_ids() => {
                Some(self.ef_by_sfi(p2 & 0x1F))
            }
            _ => None,
        }
    }

    /// CHANGE REFERENCE DATA `00 24 01 80 Lc <new PIN>` on the current PIN EF after a VERIFY in
    /// this session (jpki/myna, where it is marked untested, and myna-card's
    /// `TextAp::change_pin`): for the JPKI auth and sign PINs and the card-info PIN. The new PIN
    /// must have its PIN's format (auth and card-info: 4 digits, as in OpenSC and jpki/myna;
    /// sign: 6–16 of A–Z 0–9, as in OpenSC's `pkcs15-jpki.c`, jpki/myna's
    /// `ValidateJPKISignPassword` and myna-card); success restores the full try count.
    fn change_reference_data(&mut self, command: &Command) -> Reply {
        if command.p1 != 0x01 || command.p2 != 0x80 {
            return status(sw::INCORRECT_P1_P2);
        }
        let format_ok = match self.ef {
            None => return status(sw::NO_CURRENT_EF),
            Some(Ef::Pin(Pair::Auth)) => is_digits(command.data, 4..=4),
            Some(Ef::Pin(Pair::Sign)) => is_sign_pin(command.data),
            Some(Ef::Code(code)) if code.is_changeable() => is_digits(command.data, 4..=4),
            Some(Ef::Code(_)) => return status(sw::CONDITIONS_NOT_SATISFIED),
            Some(_) => return status(sw::REFERENCED_DATA_NOT_FOUND),
        };
        let new_pin = command.data;
        let Some((pin, max_tries)) = self.current_secret() else {
            return status(sw::REFERENCED_DATA_NOT_FOUND);
        };
        if pin.tries == 0 {
            return status(sw::BLOCKED);
        }
        if !pin.verified {
            return status(sw::SECURITY_STATUS_NOT_SATISFIED);
        }
        if new_pin.is_empty() {
            return status(sw::WRONG_LENGTH);
        }
        if !format_ok {
            // A choice: no source shows the card's answer to a new PIN of the wrong format.
            return status(sw::WRONG_DATA);
        }
        pin.value = zeroize::Zeroizing::new(new_pin.to_vec());
        pin.tries = max_tries;
        status(sw::OK)
    }

    /// COMPUTE DIGITAL SIGNATURE `80 2A P1 80 Lc <data> 00` with the current key EF after its
    /// PIN; the card adds PKCS#1 v1.5 type-1 padding and returns 256 bytes. P1 says what the
    /// data is (the schemes only myna-card gives, found by trying every P1 on a real card):
    ///
    /// - `00`: the DigestInfo to sign, as given (OpenSC, jpki/myna and flutter_nfc_mynumber
    ///   send it this way; at most k − 11 = 245 bytes);
    /// - `01`: the message; the card hashes it with SHA-256 and signs the bare 32-byte hash,
    ///   with no DigestInfo around it;
    /// - `02`: a bare SHA-256 hash of 32 bytes; the card puts the SHA-256 DigestInfo around it;
    /// - `03`: the message; the card hashes it with SHA-256 and signs that DigestInfo.
    ///
    /// Other P1 values (myna-card's `04`/`05`, RSASSA-PSS) are not modelled and answer `6A86`,
    /// as myna-card saw every P1 outside its six answered; a `02` hash of another length
    /// answers `6700` (a choice).
    ///
    /// P2 = `80 | SFI` names the key EF by its short identifier (`97` auth key, `9A` sign key)
    /// instead of the current EF (only myna-card uses this form: "byte-identical signature
    /// either way"); the current EF stays (a choice). So myna-card's own signing command,
    /// `80 2A 02 97 20 <SHA-256> 00`, signs with the auth key without a SELECT.
    fn compute_digital_signature(&mut self, command: &Command) -> Reply {
        // P1-P2 = 00 00 in the card-face application: its own key (the card key; see `cv`).
        if (command.p1, command.p2) == (0x00, 0x00) && self.app == Some(App::CardFace) {
            return self.sign_with_card_key(command);
        }
        let Some(scheme) = Scheme::from_p1(command.p1) else {
            return status(sw::INCORRECT_P1_P2);
        };
        let Some(ef) = self.referenced_ef(command.p2) else {
            return status(sw::INCORRECT_P1_P2);
        };
        let Some(digest_info) = scheme.digest_info(command.data) else {
            return status(sw::WRONG_LENGTH);
        };
        if matches!(command.ne, Some(ne) if ne < SIGNATURE_LEN) {
            return status(sw::WRONG_LENGTH);
        }
        let Some(Ef::Key(pair)) = ef else {
            return status(sw::NO_CURRENT_EF);
        };
        if !self.pin(pair).verified {
            return status(sw::SECURITY_STATUS_NOT_SATISFIED);
        }
        // A P-384 credential signs the bare hash (`ecdsa`).
        if let Some(reply) = self.sign_ecdsa(pair, &digest_info) {
            return reply;
        }
        let signature = fixtures::user_key_of(pair)
            .ok()
            .and_then(|key| key.sign(Pkcs1v15Sign::new_unprefixed(), &digest_info).ok());
        match signature {
            Some(signature) => Reply::with_data(signature, sw::OK),
            None => status(sw::NO_DIAGNOSIS),
        }
    }
}

/// What the data of a COMPUTE DIGITAL SIGNATURE is, by its P1 (see
/// `VirtualCard::compute_digital_signature`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    /// `00`: a DigestInfo, signed as given.
    DigestInfo,
    /// `01`: the message, hashed on the card; the bare hash is signed.
    Sha256Bare,
    /// `02`: a bare SHA-256 hash.
    Sha256Hash,
    /// `03`: the message, hashed on the card with SHA-256.
    Sha256Message,
}

impl Scheme {
    fn from_p1(p1: u8) -> Option<Self> {
        match p1 {
            0x00 => Some(Scheme::DigestInfo),
            0x01 => Some(Scheme::Sha256Bare),
            0x02 => Some(Scheme::Sha256Hash),
            0x03 => Some(Scheme::Sha256Message),
            _ => None,
        }
    }

    /// The DigestInfo the card signs for `data`; `None` when `data` has a length the scheme
    /// does not take.
    fn digest_info(self, data: &[u8]) -> Option<Vec<u8>> {
        match self {
            Scheme::DigestInfo => {
                (!data.is_empty() && data.len() <= MAX_DIGEST_INFO_LEN).then(|| data.to_vec())
            }
            Scheme::Sha256Bare => (!data.is_empty()).then(|| Sha256::digest(data).to_vec()),
            Scheme::Sha256Hash => (data.len() == SHA256_LEN).then(|| sha256_digest_info(data)),
            Scheme::Sha256Message => {
                (!data.is_empty()).then(|| sha256_digest_info(&Sha256::digest(data)))
            }
        }
    }
}

/// The length of a SHA-256 hash.
const SHA256_LEN: usize = 32;

/// The DER prefix of a SHA-256 DigestInfo (RFC 8017, section 9.2, note 1), the card's own
/// copy.
const SHA256_DIGEST_INFO_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// The SHA-256 DigestInfo of a 32-byte hash.
fn sha256_digest_info(hash: &[u8]) -> Vec<u8> {
    [&SHA256_DIGEST_INFO_PREFIX[..], hash].concat()
}

/// Whether `data` is ASCII digits of a length in `len`.
fn is_digits(data: &[u8], len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&data.len()) && data.iter().all(u8::is_ascii_digit)
}

/// Whether `data` is a sign PIN: 6–16 characters A–Z 0–9 (see `change_reference_data`).
fn is_sign_pin(data: &[u8]) -> bool {
    (6..=16).contains(&data.len())
        && data
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}
