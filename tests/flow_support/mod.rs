//! What the JPKI, card-info, card-face and eligibility tests share: the APDUs as hex, the recorded
//! log, and transports that change the virtual card's answers (a strict card, a tampered file).
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use mynumbercard::testing::extended_read;
use mynumbercard::transport::{self, Capabilities, TransportError};
use mynumbercard::virtual_card::Reader;
use mynumbercard::{Card, Transport, VirtualCard};

pub const SELECT_JPKI: &str = "00A4040C0AD392F000260100000001";
pub const SELECT_CARD_INFO: &str = "00A4040C0AD3921000310001010408";
pub const SELECT_CARD_FACE: &str = "00A4040C0AD3921000310001010402";
pub const EMPTY_VERIFY: &str = "00200080";

pub fn select_ef(fid: u16) -> String {
    format!("00A4020C02{fid:04X}")
}

/// VERIFY with `secret` as the card receives it, to the current EF.
pub fn verify(secret: &[u8]) -> String {
    format!("00200080{:02X}{}", secret.len(), hex::encode_upper(secret))
}

/// The empty status VERIFY naming EF `fid` by its short file identifier (its low five bits):
/// `00 20 00 80|SFI`, e.g. `00200098` for EF 0018.
pub fn status_sfi(fid: u16) -> String {
    format!("002000{:02X}", 0x80 | (fid & 0x1F))
}

/// VERIFY with `secret` to EF `fid` named by its short file identifier: `00 20 00 80|SFI Lc …`.
pub fn verify_sfi(fid: u16, secret: &[u8]) -> String {
    format!(
        "{}{:02X}{}",
        status_sfi(fid),
        secret.len(),
        hex::encode_upper(secret)
    )
}

/// The READ BINARY commands reading `len` bytes: 256 first, then what is left, 256 at most.
pub fn reads(len: usize) -> Vec<String> {
    (0..len.div_ceil(256))
        .map(|i| {
            let want = if i == 0 {
                256
            } else {
                (len - i * 256).min(256)
            };
            format!("00B0{:04X}{:02X}", i * 256, want % 256)
        })
        .collect()
}

pub fn log(card: &Card<&mut VirtualCard>) -> Vec<String> {
    card.transport()
        .log()
        .iter()
        .map(hex::encode_upper)
        .collect()
}

/// VERIFY commands that carry a secret, in any form: to the current EF (`00 20 00 80 Lc …`) or
/// by short file identifier (`00 20 00 80|SFI Lc …`), indeed any VERIFY with a body.
pub fn secrets_sent(log: &[String]) -> usize {
    log.iter()
        .filter(|c| c.starts_with("0020") && c.len() > 8)
        .count()
}

/// A transport over a shared virtual card that passes each response through `edit` with the
/// command and the file last selected by id.
pub fn edited<F>(card: Arc<Mutex<VirtualCard>>, mut edit: F) -> impl Transport
where
    F: FnMut(&[u8], Option<u16>, Vec<u8>) -> Vec<u8> + Send,
{
    let mut selected = None;
    transport::from_fn(move |command: &[u8]| -> Result<Vec<u8>, TransportError> {
        match command {
            [0x00, 0xA4, 0x02, 0x0C, 0x02, hi, lo] => {
                selected = Some(u16::from_be_bytes([*hi, *lo]))
            }
            [0x00, 0xA4, 0x04, ..] => selected = None,
            _ => {}
        }
        let response = card.lock().expect("card").handle(command);
        Ok(edit(command, selected, response))
    })
}

/// A strict card: a READ BINARY that asks for more than is left answers `6700` (wrong length)
/// instead of the bytes up to the end.
pub fn strict(card: Arc<Mutex<VirtualCard>>) -> impl Transport {
    edited(card, |command, _, response| match command {
        [0x00, 0xB0, _, _, le] => {
            let asked = if *le == 0 { 256 } else { usize::from(*le) };
            if response.len() >= 2 && response.len() - 2 < asked {
                vec![0x67, 0x00]
            } else {
                response
            }
        }
        _ => response,
    })
}

/// The log of a shared virtual card as hex.
pub fn shared_log(card: &Arc<Mutex<VirtualCard>>) -> Vec<String> {
    card.lock()
        .expect("card")
        .log()
        .iter()
        .map(hex::encode_upper)
        .collect()
}

/// Whether the bytes open with the JPEG 2000 signature box.
pub fn is_jp2(bytes: &[u8]) -> bool {
    bytes.starts_with(&[
        0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A,
    ])
}

/// Decodes a JP2 file with `opj_decompress` (libopenjp2-tools) into a PGM/PNG; `None` when
/// the tool is not installed.
pub fn opj_decodes(path: &std::path::Path) -> Option<bool> {
    let out = path.with_extension("decoded.pgm");
    let status = std::process::Command::new("opj_decompress")
        .arg("-i")
        .arg(path)
        .arg("-o")
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    match status {
        Err(_) => None,
        Ok(status) => Some(status.success() && std::fs::metadata(&out).is_ok_and(|m| m.len() > 0)),
    }
}

/// How a [`Wire`] answers an extended-length READ BINARY (Le in three bytes, `00 Lh Ll`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extended {
    /// The transport declares short APDUs only (as the virtual card's `Reader::ShortOnly`).
    NotDeclared,
    /// The transport declares extended length and the card refuses it: `6700` to every
    /// extended command, as the virtual card of `Profile::RefusesExtendedLength` answers.
    Refused,
    /// The transport declares extended length and the card answers each extended READ
    /// BINARY with up to Le bytes (and at most `limit`), `9000`; the bytes are the card's
    /// own, gathered with short reads of the same file (`mynumbercard::testing::extended_read`).
    Answered {
        /// The most bytes one answer carries (a card answering short).
        limit: usize,
    },
}

/// A transport around a [`VirtualCard`] that records every command as the library sent it
/// (hex) and models kinds of card the virtual card is not:
/// - one refusing short file identifiers (`6A86` to a VERIFY with P2 = `80|SFI`, to a READ
///   BINARY with P1 = `80|SFI`, or to a COMPUTE DIGITAL SIGNATURE with P2 = `80|SFI`, each
///   chosen apart), the card never seeing the refused command;
/// - a transport declaring extended length, whose card refuses it or answers it (see
///   [`Extended`]).
///
/// Everything else goes to the virtual card unchanged. Exclusive unless [`Wire::shared`]. The
/// virtual card models these kinds of card itself too (`virtual_card::Profile`); the wire
/// chooses each form apart, and answers short where asked.
pub struct Wire {
    card: VirtualCard,
    log: Vec<String>,
    refuse_verify_sfi: bool,
    refuse_read_sfi: bool,
    refuse_sign_sfi: bool,
    extended: Extended,
    exclusive: bool,
}

impl Wire {
    /// The card as it is: takes short file identifiers, short APDUs only.
    pub fn new(card: VirtualCard) -> Self {
        Self {
            card,
            log: Vec::new(),
            refuse_verify_sfi: false,
            refuse_read_sfi: false,
            refuse_sign_sfi: false,
            extended: Extended::NotDeclared,
            exclusive: true,
        }
    }

    /// A card refusing every short file identifier (VERIFY, READ BINARY, COMPUTE DIGITAL
    /// SIGNATURE).
    pub fn refusing_sfi(card: VirtualCard) -> Self {
        Self::new(card)
            .refuse_verify_sfi()
            .refuse_read_sfi()
            .refuse_sign_sfi()
    }

    /// `6A86` to a VERIFY with P2 = `80|SFI`.
    pub fn refuse_verify_sfi(mut self) -> Self {
        self.refuse_verify_sfi = true;
        self
    }

    /// `6A86` to a READ BINARY with P1 = `80|SFI`.
    pub fn refuse_read_sfi(mut self) -> Self {
        self.refuse_read_sfi = true;
        self
    }

    /// `6A86` to a COMPUTE DIGITAL SIGNATURE with P2 = `80|SFI`.
    pub fn refuse_sign_sfi(mut self) -> Self {
        self.refuse_sign_sfi = true;
        self
    }

    /// How extended length is declared and answered.
    pub fn extended(mut self, extended: Extended) -> Self {
        self.extended = extended;
        self
    }

    /// Declares the transport shared with other programs.
    pub fn shared(mut self) -> Self {
        self.exclusive = false;
        self
    }

    /// Every command the library sent, as hex.
    pub fn log(&self) -> &[String] {
        &self.log
    }

    /// Forgets the commands sent so far.
    pub fn clear_log(&mut self) {
        self.log.clear();
    }

    /// The virtual card.
    pub fn card(&self) -> &VirtualCard {
        &self.card
    }

    /// The virtual card, mutably.
    pub fn card_mut(&mut self) -> &mut VirtualCard {
        &mut self.card
    }

    fn refuses(&self, command: &[u8]) -> bool {
        let sfi = |p: u8| p & 0xE0 == 0x80 && p != 0x80;
        match command {
            [0x00, 0x20, 0x00, p2, ..] => self.refuse_verify_sfi && sfi(*p2),
            [0x00, 0xB0, p1, ..] => self.refuse_read_sfi && p1 & 0x80 != 0,
            [0x80, 0x2A, _, p2, ..] => self.refuse_sign_sfi && sfi(*p2),
            _ => false,
        }
    }
}

impl Transport for Wire {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.log.push(hex::encode_upper(command));
        if self.refuses(command) {
            return Ok(vec![0x6A, 0x86]);
        }
        let extended = matches!(command, [_, _, _, _, 0x00, _, _, ..]);
        if extended && self.extended == Extended::Refused {
            return Ok(vec![0x67, 0x00]);
        }
        if let Extended::Answered { limit } = self.extended {
            if let Some(answer) = extended_read(&mut self.card, command, limit) {
                return Ok(answer);
            }
        }
        Ok(self.card.handle(command))
    }

    fn capabilities(&self) -> Capabilities {
        let short = Reader::ShortOnly
            .capabilities()
            .with_exclusive(self.exclusive);
        match self.extended {
            Extended::NotDeclared => short,
            Extended::Refused | Extended::Answered { .. } => short
                .with_max_command_len(65_544)
                .with_max_response_len(65_538)
                .with_extended_length(true),
        }
    }
}
