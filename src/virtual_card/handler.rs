//! The virtual card's command handler: CLA/INS dispatch, SELECT, READ BINARY, VERIFY and
//! COMPUTE DIGITAL SIGNATURE, with the status words of PROTOCOL.md.
//!
//! Must never panic on any bytes (it is fuzzed): input is only read through `get` and
//! pattern matching.
//!
//! Status words chosen where no source gives the card's own (each marked "choice" below):
//! SELECT with P1 = 09 (or any P1 other than 02/04), or P2 other than 0C → `6A86`; READ
//! BINARY with an SFI in P1 → `6A86` (not modelled yet); READ BINARY of a key or PIN EF →
//! `6981`; with no current EF → `6986`; VERIFY with no current EF → `6986`, on an EF that is
//! not a PIN → `6A88`; any extended-length command → `6700`; a DigestInfo longer than the
//! key allows (k − 11 = 245 bytes) → `6700`; a powered-off card → `6F00`.

use rsa::Pkcs1v15Sign;

use super::files::{self, App, Ef};
use super::{fixtures, VirtualCard};
use crate::apdu::{Command, LengthEncoding, Response, StatusWord};
use crate::jpki::{CertificateKind, KeyKind, PinKind};

/// `6981`: command incompatible with file structure (READ BINARY of a key or PIN).
const INCOMPATIBLE_FILE_STRUCTURE: StatusWord = StatusWord::from_u16(0x6981);
/// The longest DigestInfo an RSA-2048 key can pad with PKCS#1 v1.5 type 1: k − 11.
const MAX_DIGEST_INFO_LEN: usize = 256 - 11;
/// The signature length of an RSA-2048 key.
const SIGNATURE_LEN: usize = 256;

const INS_SELECT: u8 = 0xA4;
const INS_READ_BINARY: u8 = 0xB0;
const INS_VERIFY: u8 = 0x20;
const INS_COMPUTE_DIGITAL_SIGNATURE: u8 = 0x2A;

fn status(sw: StatusWord) -> Response {
    Response::status_only(sw)
}

impl VirtualCard {
    /// The response to one command APDU.
    pub(super) fn respond(&mut self, apdu: &[u8]) -> Response {
        if !self.powered {
            return status(StatusWord::UNKNOWN_ERROR);
        }
        // Malformed lengths → 6700.
        let Ok(command) = Command::parse(apdu) else {
            return status(StatusWord::WRONG_LENGTH);
        };
        let cla = command.cla();
        match cla {
            0x00 | 0x80 => {}
            // Logical channels 1–3: "other logical channels answer 6881" [one source:
            // myna-card].
            0x01..=0x03 | 0x81..=0x83 => return status(StatusWord::LOGICAL_CHANNEL_NOT_SUPPORTED),
            // Secure messaging (0x04/0x08/0x0C bits), chaining, further interindustry and
            // proprietary classes: "secure-messaging CLAs are refused" [one source: myna-card].
            _ => return status(StatusWord::CLA_NOT_SUPPORTED),
        }
        let handler = match (cla, command.ins()) {
            (0x00, INS_SELECT) => Self::select,
            (0x00, INS_READ_BINARY) => Self::read_binary,
            (0x00, INS_VERIFY) => Self::verify,
            (0x80, INS_COMPUTE_DIGITAL_SIGNATURE) => Self::compute_digital_signature,
            _ => return status(StatusWord::INS_NOT_SUPPORTED),
        };
        // Extended-length READ BINARY is refused by the card [one source: myna-card]; the
        // virtual card refuses every extended command (choice).
        if command.encoding() == LengthEncoding::Extended {
            return status(StatusWord::WRONG_LENGTH);
        }
        handler(self, &command)
    }

    /// SELECT: by DF name `00 A4 04 0C Lc <AID>`, by file id `00 A4 02 0C 02 <FID>` [agreed].
    fn select(&mut self, command: &Command) -> Response {
        if command.p2() != 0x0C {
            return status(StatusWord::INCORRECT_P1_P2);
        }
        match command.p1() {
            0x04 => self.select_application(command.data()),
            0x02 => self.select_file(command.data()),
            // P1 = 09 fails on real cards [agreed]; the status word is a choice.
            _ => status(StatusWord::INCORRECT_P1_P2),
        }
    }

    fn select_application(&mut self, aid: &[u8]) -> Response {
        if aid.is_empty() {
            return status(StatusWord::WRONG_LENGTH);
        }
        let Some(app) = App::from_aid(aid) else {
            // The current selection stays (ISO 7816-4: a failed SELECT changes nothing).
            return status(StatusWord::FILE_NOT_FOUND);
        };
        if self.security_app.is_some_and(|held| held != app) {
            // Selecting another application clears the security status.
            self.clear_security_status();
        }
        self.security_app = Some(app);
        self.app = Some(app);
        self.ef = None;
        status(StatusWord::SUCCESS)
    }

    fn select_file(&mut self, fid: &[u8]) -> Response {
        let &[hi, lo] = fid else {
            return status(StatusWord::WRONG_LENGTH);
        };
        let found = self
            .app
            .and_then(|app| Ef::find(app, u16::from_be_bytes([hi, lo])));
        match found {
            Some(ef) => {
                self.ef = Some(ef);
                status(StatusWord::SUCCESS)
            }
            // No application selected, or no such file in it.
            None => status(StatusWord::FILE_NOT_FOUND),
        }
    }

    /// READ BINARY `00 B0 P1 P2 Le`: 15-bit offset, short Le (`00` = 256). A read running past
    /// the end returns the bytes up to the end with `9000` (JICSAP 6.4.1 (4), as quoted by
    /// myna-card [one source]); an offset at or past the end answers `6B00` [one source].
    fn read_binary(&mut self, command: &Command) -> Response {
        if command.p1() & 0x80 != 0 {
            // Short EF identifier form: not modelled (choice).
            return status(StatusWord::INCORRECT_P1_P2);
        }
        let Some(ne) = command.ne() else {
            return status(StatusWord::WRONG_LENGTH);
        };
        if !command.data().is_empty() {
            return status(StatusWord::WRONG_LENGTH);
        }
        let offset = usize::from(u16::from_be_bytes([command.p1(), command.p2()]));
        let read = match self.ef {
            None => return status(StatusWord::COMMAND_NOT_ALLOWED),
            Some(Ef::Key(_) | Ef::Pin(_)) => return status(INCOMPATIBLE_FILE_STRUCTURE),
            Some(Ef::Token) => files::read(&self.token, b' ', self.token.len(), offset, ne),
            Some(Ef::Certificate(kind)) => {
                // The signature certificate needs the signature PIN [agreed: OpenSC, myna].
                if kind == CertificateKind::Sign && !self.sign_pin.verified {
                    return status(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
                }
                let der = self.certificate_der(kind);
                let size = files::certificate_file_size(der);
                files::read(der, files::CERTIFICATE_FILLER, size, offset, ne)
            }
        };
        match read {
            Some(data) => Response::new(data, StatusWord::SUCCESS),
            None => status(StatusWord::WRONG_P1_P2),
        }
    }

    /// VERIFY `00 20 00 80 [Lc PIN]` on the current PIN EF [agreed]: no data asks for the
    /// tries left (`63Cx`, `9000` once verified, `6984` when blocked) without spending one; a
    /// wrong PIN answers `63Cx` with the tries left, the exhausting try `63C0`, then `6984`
    /// [myna, myna-card]. A correct PIN restores the full count (3 auth, 5 sign).
    fn verify(&mut self, command: &Command) -> Response {
        if command.p1() != 0x00 || command.p2() != 0x80 {
            return status(StatusWord::INCORRECT_P1_P2);
        }
        let kind = match self.ef {
            Some(Ef::Pin(kind)) => kind,
            Some(_) => return status(StatusWord::REFERENCED_DATA_NOT_FOUND),
            None => return status(StatusWord::COMMAND_NOT_ALLOWED),
        };
        let given = command.data();
        let pin = self.pin_mut(kind);
        if pin.tries == 0 {
            return status(StatusWord::REFERENCE_DATA_NOT_USABLE);
        }
        if given.is_empty() {
            return status(if pin.verified {
                StatusWord::SUCCESS
            } else {
                tries_status(pin.tries)
            });
        }
        if given == pin.value.as_slice() {
            pin.tries = kind.max_tries();
            pin.verified = true;
            status(StatusWord::SUCCESS)
        } else {
            pin.tries = pin.tries.saturating_sub(1);
            pin.verified = false;
            status(tries_status(pin.tries))
        }
    }

    /// COMPUTE DIGITAL SIGNATURE `80 2A 00 80 Lc <DigestInfo> 00` with the current key EF
    /// after its PIN; the card adds PKCS#1 v1.5 type-1 padding and returns 256 bytes [agreed:
    /// OpenSC, myna]. Other P1 values (myna-card's on-card hashing and PSS) are not modelled.
    fn compute_digital_signature(&mut self, command: &Command) -> Response {
        if command.p1() != 0x00 || command.p2() != 0x80 {
            return status(StatusWord::INCORRECT_P1_P2);
        }
        let digest_info = command.data();
        if digest_info.is_empty() || digest_info.len() > MAX_DIGEST_INFO_LEN {
            return status(StatusWord::WRONG_LENGTH);
        }
        if matches!(command.ne(), Some(ne) if ne < SIGNATURE_LEN) {
            return status(StatusWord::WRONG_LENGTH);
        }
        let Some(Ef::Key(kind)) = self.ef else {
            return status(StatusWord::COMMAND_NOT_ALLOWED);
        };
        let pin = match kind {
            KeyKind::Auth => PinKind::Auth,
            KeyKind::Sign => PinKind::Sign,
        };
        if !self.pin(pin).verified {
            return status(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
        }
        let signature = fixtures::user_key(kind)
            .ok()
            .and_then(|key| key.sign(Pkcs1v15Sign::new_unprefixed(), digest_info).ok());
        match signature {
            Some(signature) => Response::new(signature, StatusWord::SUCCESS),
            None => status(StatusWord::UNKNOWN_ERROR),
        }
    }
}

/// `63Cx` with x = tries left (at most 15).
fn tries_status(tries: u8) -> StatusWord {
    StatusWord::from_bytes(0x63, 0xC0 | tries.min(0x0F))
}
