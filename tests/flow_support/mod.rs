//! What the JPKI, card-info, card-face and eligibility tests share: the APDUs as hex, the recorded
//! log, and transports that change the virtual card's answers (a strict card, a tampered file).
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use mynumbercard::transport::{self, TransportError};
use mynumbercard::{Card, Transport, VirtualCard};

pub const SELECT_JPKI: &str = "00A4040C0AD392F000260100000001";
pub const SELECT_CARD_INFO: &str = "00A4040C0AD3921000310001010408";
pub const SELECT_CARD_FACE: &str = "00A4040C0AD3921000310001010402";
pub const EMPTY_VERIFY: &str = "00200080";

pub fn select_ef(fid: u16) -> String {
    format!("00A4020C02{fid:04X}")
}

/// VERIFY with `secret` as the card receives it.
pub fn verify(secret: &[u8]) -> String {
    format!("00200080{:02X}{}", secret.len(), hex::encode_upper(secret))
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

/// VERIFY commands that carry a secret.
pub fn secrets_sent(log: &[String]) -> usize {
    log.iter()
        .filter(|c| c.starts_with("00200080") && c.len() > 8)
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
