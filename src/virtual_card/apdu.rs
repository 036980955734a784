//! The virtual card's own reading of command APDUs and its own status words.
//!
//! Kept apart from the library's `apdu` module on purpose: the card is a second, independent
//! model of the protocol, so a mistake in the library's encoder or parser cannot hide behind the
//! same mistake here.
//!
//! The command layout is ISO/IEC 7816-4 (§5.1, "Command-response pairs"): a 4-byte header
//! `CLA INS P1 P2`, then one of
//!
//! | case | body | |
//! |---|---|---|
//! | 1 | (nothing) | no data, no response data |
//! | 2S | `Le` | `Le` = `00` asks for 256 bytes |
//! | 3S | `Lc` data | `Lc` = 1–255 |
//! | 4S | `Lc` data `Le` | |
//! | 2E | `00 Le1 Le2` | `00 00` asks for 65,536 bytes |
//! | 3E | `00 Lc1 Lc2` data | `Lc` = 1–65,535 |
//! | 4E | `00 Lc1 Lc2` data `Le1 Le2` | |
//!
//! Anything else (a header cut short, an `Lc` of zero, a body whose length matches no case) is
//! malformed; the card answers it `6700` (wrong length), as ISO 7816-4 gives for an
//! inconsistent length.

/// One command APDU, borrowed from the bytes received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Command<'a> {
    /// Class byte.
    pub cla: u8,
    /// Instruction byte.
    pub ins: u8,
    /// First parameter.
    pub p1: u8,
    /// Second parameter.
    pub p2: u8,
    /// The command data (empty in cases 1 and 2).
    pub data: &'a [u8],
    /// Ne, the number of response bytes asked for; `None` without an `Le` field (cases 1, 3).
    pub ne: Option<usize>,
    /// Whether the lengths were in the extended form.
    pub extended: bool,
}

/// Reads `apdu`; `None` when it is malformed (see the module docs).
pub fn parse(apdu: &[u8]) -> Option<Command<'_>> {
    let [cla, ins, p1, p2, body @ ..] = apdu else {
        return None;
    };
    let header = |data, ne, extended| Command {
        cla: *cla,
        ins: *ins,
        p1: *p1,
        p2: *p2,
        data,
        ne,
        extended,
    };
    match body {
        [] => Some(header(&[], None, false)),
        [le] => Some(header(&[], Some(short_ne(*le)), false)),
        // A first body byte of zero can only open the extended form: a short Lc is never 0,
        // and a lone zero (case 2S, Le = 256) is matched above.
        [0, hi, lo, rest @ ..] => {
            if rest.is_empty() {
                return Some(header(&[], Some(extended_ne(*hi, *lo)), true));
            }
            let lc = usize::from(u16::from_be_bytes([*hi, *lo]));
            if lc == 0 {
                return None;
            }
            match (rest.get(..lc), rest.get(lc..)) {
                (Some(data), Some([])) => Some(header(data, None, true)),
                (Some(data), Some([hi, lo])) => {
                    Some(header(data, Some(extended_ne(*hi, *lo)), true))
                }
                _ => None,
            }
        }
        [0, ..] => None,
        [lc, rest @ ..] => {
            let lc = usize::from(*lc);
            match (rest.get(..lc), rest.get(lc..)) {
                (Some(data), Some([])) => Some(header(data, None, false)),
                (Some(data), Some([le])) => Some(header(data, Some(short_ne(*le)), false)),
                _ => None,
            }
        }
    }
}

/// A short Le: `00` means 256.
fn short_ne(le: u8) -> usize {
    match le {
        0 => 256,
        n => usize::from(n),
    }
}

/// An extended Le: `00 00` means 65,536.
fn extended_ne(hi: u8, lo: u8) -> usize {
    match u16::from_be_bytes([hi, lo]) {
        0 => 65_536,
        n => usize::from(n),
    }
}

/// The card's answer: response data, then SW1 SW2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    data: Vec<u8>,
    sw: u16,
}

impl Reply {
    /// A status word alone.
    pub fn status(sw: u16) -> Self {
        Self {
            data: Vec::new(),
            sw,
        }
    }

    /// Data and a status word.
    pub fn with_data(data: Vec<u8>, sw: u16) -> Self {
        Self { data, sw }
    }

    /// The bytes sent back: data followed by SW1 SW2.
    pub fn into_bytes(self) -> Vec<u8> {
        let mut out = self.data;
        out.extend_from_slice(&self.sw.to_be_bytes());
        out
    }
}

/// The status words the card answers with (ISO/IEC 7816-4 §5.6 names; which the card gives
/// when is in the handler's docs).
pub mod sw {
    /// Normal processing.
    pub const OK: u16 = 0x9000;
    /// Wrong length: a malformed APDU, a missing or impossible Lc/Le.
    pub const WRONG_LENGTH: u16 = 0x6700;
    /// Logical channel not supported.
    pub const LOGICAL_CHANNEL_NOT_SUPPORTED: u16 = 0x6881;
    /// Command incompatible with file structure.
    pub const INCOMPATIBLE_FILE_STRUCTURE: u16 = 0x6981;
    /// Security status not satisfied.
    pub const SECURITY_STATUS_NOT_SATISFIED: u16 = 0x6982;
    /// Reference data not usable: the PIN or code is blocked.
    pub const BLOCKED: u16 = 0x6984;
    /// Conditions of use not satisfied.
    pub const CONDITIONS_NOT_SATISFIED: u16 = 0x6985;
    /// Command not allowed: no current EF.
    pub const NO_CURRENT_EF: u16 = 0x6986;
    /// Incorrect parameters in the data field.
    pub const WRONG_DATA: u16 = 0x6A80;
    /// File or application not found.
    pub const FILE_NOT_FOUND: u16 = 0x6A82;
    /// Incorrect parameters P1-P2.
    pub const INCORRECT_P1_P2: u16 = 0x6A86;
    /// Referenced data not found.
    pub const REFERENCED_DATA_NOT_FOUND: u16 = 0x6A88;
    /// Wrong parameters P1-P2: an offset at or past the end of the file.
    pub const OFFSET_OUTSIDE_FILE: u16 = 0x6B00;
    /// Instruction not supported.
    pub const INS_NOT_SUPPORTED: u16 = 0x6D00;
    /// Class not supported.
    pub const CLA_NOT_SUPPORTED: u16 = 0x6E00;
    /// No precise diagnosis.
    pub const NO_DIAGNOSIS: u16 = 0x6F00;

    /// `63Cx`: verification failed (or, for an empty VERIFY, not done yet), x tries left (at
    /// most 15 can be told).
    pub const fn tries_left(tries: u8) -> u16 {
        let shown = if tries > 0x0F { 0x0F } else { tries };
        0x63C0 | shown as u16
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(data: &[u8], ne: Option<usize>, extended: bool) -> Option<Command<'_>> {
        Some(Command {
            cla: 0x00,
            ins: 0xB0,
            p1: 0x01,
            p2: 0x02,
            data,
            ne,
            extended,
        })
    }

    #[test]
    fn reads_the_seven_cases() {
        let h = [0x00, 0xB0, 0x01, 0x02];
        let with = |body: &[u8]| [&h[..], body].concat();
        assert_eq!(parse(&h), command(&[], None, false), "case 1");
        assert_eq!(parse(&with(&[0x00])), command(&[], Some(256), false), "2S");
        assert_eq!(parse(&with(&[0x20])), command(&[], Some(32), false), "2S");
        assert_eq!(
            parse(&with(&[0x02, 7, 8])),
            command(&[7, 8], None, false),
            "3S"
        );
        assert_eq!(
            parse(&with(&[0x02, 7, 8, 0x00])),
            command(&[7, 8], Some(256), false),
            "4S"
        );
        assert_eq!(
            parse(&with(&[0, 0, 0])),
            command(&[], Some(65_536), true),
            "2E"
        );
        assert_eq!(
            parse(&with(&[0, 1, 0])),
            command(&[], Some(256), true),
            "2E"
        );
        assert_eq!(
            parse(&with(&[0, 0, 2, 7, 8])),
            command(&[7, 8], None, true),
            "3E"
        );
        assert_eq!(
            parse(&with(&[0, 0, 2, 7, 8, 0x01, 0x00])),
            command(&[7, 8], Some(256), true),
            "4E"
        );
        let long = with(&[&[0x00, 0x01, 0x2C][..], &[9; 300]].concat());
        assert_eq!(
            parse(&long).map(|c| c.data.len()),
            Some(300),
            "3E, 300 bytes"
        );
    }

    #[test]
    fn refuses_malformed_lengths() {
        let h = [0x00, 0x20, 0x00, 0x80];
        let with = |body: &[u8]| [&h[..], body].concat();
        for bad in [
            vec![],
            vec![0x00],
            vec![0x00, 0x20, 0x00],
            with(&[0x00, 0x05]),
            with(&[0x04, b'1', b'2', b'3']),
            with(&[0x02, 1, 2, 3, 4]),
            with(&[0x00, 0x00, 0x00, 0x01]),
            with(&[0x00, 0x00, 0x02, 1]),
            with(&[0x00, 0x00, 0x02, 1, 2, 3]),
            with(&[0x00, 0x00, 0x02, 1, 2, 3, 4, 5]),
        ] {
            assert_eq!(parse(&bad), None, "{bad:02X?}");
        }
    }

    #[test]
    fn replies_end_with_the_status_word() {
        assert_eq!(Reply::status(sw::OK).into_bytes(), [0x90, 0x00]);
        assert_eq!(
            Reply::with_data(vec![1, 2], sw::WRONG_LENGTH).into_bytes(),
            [1, 2, 0x67, 0x00]
        );
        assert_eq!(sw::tries_left(3), 0x63C3);
        assert_eq!(sw::tries_left(200), 0x63CF);
    }
}
