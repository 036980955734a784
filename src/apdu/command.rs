//! Command APDUs (ISO 7816-4 cases 1–4, short and extended length): building, encoding once,
//! and parsing (for the virtual card and the fuzz round trip).

use std::fmt;

use zeroize::Zeroizing;

use super::ApduError;

/// Most command data bytes an APDU can carry (extended Lc).
pub const MAX_DATA_LEN: usize = 65_535;
/// Most response bytes an APDU can ask for (extended Le `0000`).
pub const MAX_NE: usize = 65_536;
/// Most command data bytes in a short APDU.
pub const MAX_SHORT_DATA_LEN: usize = 255;
/// Most response bytes a short APDU can ask for (Le `00`).
pub const MAX_SHORT_NE: usize = 256;

/// How the lengths (Lc, Le) of a command are encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LengthEncoding {
    /// Short when the data and Ne fit (≤ 255 and ≤ 256 bytes), extended otherwise.
    #[default]
    Auto,
    /// Always short: encoding fails if the data or Ne do not fit.
    Short,
    /// Always extended (cases 2–4).
    Extended,
}

/// The four header bytes of a command, kept in errors and traces.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommandHeader {
    /// Class byte.
    pub cla: u8,
    /// Instruction byte.
    pub ins: u8,
    /// Parameter 1.
    pub p1: u8,
    /// Parameter 2.
    pub p2: u8,
}

impl CommandHeader {
    /// The instruction's name in ISO 7816-4 (or the JPKI documents), where known.
    pub fn name(&self) -> &'static str {
        match (self.cla & 0x80, self.ins) {
            (_, 0xA4) => "SELECT",
            (_, 0xB0) => "READ BINARY",
            (_, 0x20) => "VERIFY",
            (_, 0x24) => "CHANGE REFERENCE DATA",
            (_, 0xC0) => "GET RESPONSE",
            (0x80, 0x2A) => "COMPUTE DIGITAL SIGNATURE",
            (_, 0x2A) => "PERFORM SECURITY OPERATION",
            _ => "command",
        }
    }
}

impl fmt::Display for CommandHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({:02X} {:02X} {:02X} {:02X})",
            self.name(),
            self.cla,
            self.ins,
            self.p1,
            self.p2
        )
    }
}

impl fmt::Debug for CommandHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A command APDU.
///
/// Building never fails; [`Command::encode`] validates the lengths and returns an error,
/// never panics. Data marked [sensitive](Command::sensitive) (a PIN) is zeroized on drop,
/// redacted in `Debug` and masked in traces; every command's data is zeroized on drop.
///
/// ```
/// use mynumbercard::apdu::Command;
/// // SELECT FILE by DF name, no response data (case 3).
/// let select = Command::new(0x00, 0xA4, 0x04, 0x0C).with_data([0xD3, 0x92, 0xF0, 0x00]);
/// assert_eq!(select.encode().unwrap(), [0x00, 0xA4, 0x04, 0x0C, 0x04, 0xD3, 0x92, 0xF0, 0x00]);
/// // READ BINARY of 256 bytes at offset 0 (case 2, Le = 00).
/// let read = Command::new(0x00, 0xB0, 0x00, 0x00).with_le(256);
/// assert_eq!(read.encode().unwrap(), [0x00, 0xB0, 0x00, 0x00, 0x00]);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Command {
    header: CommandHeader,
    data: Zeroizing<Vec<u8>>,
    ne: Option<usize>,
    encoding: LengthEncoding,
    sensitive: bool,
    sensitive_response: bool,
}

impl Command {
    /// A case-1 command (header only).
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Self {
            header: CommandHeader { cla, ins, p1, p2 },
            data: Zeroizing::new(Vec::new()),
            ne: None,
            encoding: LengthEncoding::Auto,
            sensitive: false,
            sensitive_response: false,
        }
    }

    /// Sets the command data (Lc is its length; empty data means no Lc).
    pub fn with_data(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.data = Zeroizing::new(data.into());
        self
    }

    /// Sets Ne, the most response bytes expected (1 to 65,536); `with_le(256)` encodes short
    /// Le `00`.
    pub fn with_le(mut self, ne: usize) -> Self {
        self.ne = Some(ne);
        self
    }

    /// Forces the length encoding.
    pub fn with_encoding(mut self, encoding: LengthEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// Marks the response data as personal data (the my number, a name, a photo): traces
    /// print only its length and the status word.
    pub fn sensitive_response(mut self) -> Self {
        self.sensitive_response = true;
        self
    }

    /// Whether the response data is masked in traces.
    pub fn has_sensitive_response(&self) -> bool {
        self.sensitive_response
    }

    /// Marks the data as secret (a PIN): redacted in `Debug` and masked in traces.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// The header.
    pub fn header(&self) -> CommandHeader {
        self.header
    }

    /// Class byte.
    pub fn cla(&self) -> u8 {
        self.header.cla
    }

    /// Instruction byte.
    pub fn ins(&self) -> u8 {
        self.header.ins
    }

    /// Parameter 1.
    pub fn p1(&self) -> u8 {
        self.header.p1
    }

    /// Parameter 2.
    pub fn p2(&self) -> u8 {
        self.header.p2
    }

    /// The command data.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Ne, the most response bytes expected, if the command expects any.
    pub fn ne(&self) -> Option<usize> {
        self.ne
    }

    /// The length encoding asked for.
    pub fn encoding(&self) -> LengthEncoding {
        self.encoding
    }

    /// Whether the data is secret.
    pub fn is_sensitive(&self) -> bool {
        self.sensitive
    }

    /// Whether encoding uses extended lengths, after checking that the lengths are valid.
    pub fn is_extended(&self) -> Result<bool, ApduError> {
        let len = self.data.len();
        if len > MAX_DATA_LEN {
            return Err(ApduError::DataTooLong { len });
        }
        if let Some(ne) = self.ne {
            if ne == 0 || ne > MAX_NE {
                return Err(ApduError::NeOutOfRange { ne });
            }
        }
        let needs_extended = len > MAX_SHORT_DATA_LEN || self.ne.unwrap_or(0) > MAX_SHORT_NE;
        match self.encoding {
            LengthEncoding::Auto => Ok(needs_extended),
            LengthEncoding::Short if needs_extended => Err(ApduError::DoesNotFitShort),
            LengthEncoding::Short => Ok(false),
            LengthEncoding::Extended => Ok(self.ne.is_some() || len > 0),
        }
    }

    /// The encoded length in bytes.
    pub fn encoded_len(&self) -> Result<usize, ApduError> {
        let extended = self.is_extended()?;
        let lc = match (self.data.is_empty(), extended) {
            (true, _) => 0,
            (false, false) => 1,
            (false, true) => 3,
        };
        let le = match (self.ne, extended, self.data.is_empty()) {
            (None, _, _) => 0,
            (Some(_), false, _) => 1,
            (Some(_), true, true) => 3,
            (Some(_), true, false) => 2,
        };
        Ok(4 + lc + self.data.len() + le)
    }

    /// Encodes the command. The bytes hold the data: for a sensitive command, keep them in a
    /// [`Zeroizing`] buffer (as the exchange does) or use [`Command::encode_zeroizing`].
    pub fn encode(&self) -> Result<Vec<u8>, ApduError> {
        let mut out = Vec::with_capacity(self.encoded_len()?);
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// Encodes the command into a buffer zeroized on drop.
    pub fn encode_zeroizing(&self) -> Result<Zeroizing<Vec<u8>>, ApduError> {
        let mut out = Zeroizing::new(Vec::with_capacity(self.encoded_len()?));
        self.encode_into(&mut out)?;
        Ok(out)
    }

    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), ApduError> {
        let extended = self.is_extended()?;
        let h = self.header;
        out.extend_from_slice(&[h.cla, h.ins, h.p1, h.p2]);
        let len = self.data.len();
        if len > 0 {
            if extended {
                out.push(0);
                out.extend_from_slice(&u16_be(len));
            } else {
                out.push(len as u8);
            }
            out.extend_from_slice(&self.data);
        }
        if let Some(ne) = self.ne {
            if extended {
                if len == 0 {
                    out.push(0);
                }
                // Ne = 65,536 encodes as 0000.
                out.extend_from_slice(&u16_be(ne % 65_536));
            } else {
                // Ne = 256 encodes as 00.
                out.push((ne % 256) as u8);
            }
        }
        Ok(())
    }

    /// The encoded command as hex, with the data masked (`*`) if it is sensitive: what
    /// traces print.
    pub fn to_trace_hex(&self) -> String {
        let bytes = match self.encode_zeroizing() {
            Ok(bytes) => bytes,
            Err(e) => return format!("<invalid command: {e}>"),
        };
        if !self.sensitive || self.data.is_empty() {
            return hex::encode_upper(&*bytes);
        }
        // Header (4) + Lc (1 short, 3 extended), then the data.
        let data_start = if self.is_extended().unwrap_or(false) {
            7
        } else {
            5
        };
        let data_end = data_start + self.data.len();
        format!(
            "{}{}{}",
            hex::encode_upper(bytes.get(..data_start).unwrap_or_default()),
            "*".repeat(2 * self.data.len()),
            hex::encode_upper(bytes.get(data_end..).unwrap_or_default())
        )
    }

    /// Parses an encoded command (any case, short or extended).
    pub fn parse(bytes: &[u8]) -> Result<Self, ApduError> {
        let (header, body) = match bytes {
            [cla, ins, p1, p2, body @ ..] => (Command::new(*cla, *ins, *p1, *p2), body),
            _ => return Err(ApduError::CommandTooShort { len: bytes.len() }),
        };
        let malformed = Err(ApduError::MalformedCommand { len: bytes.len() });
        match body {
            // Case 1.
            [] => Ok(header),
            // Case 2S.
            [le] => Ok(header
                .with_le(short_ne(*le))
                .with_encoding(LengthEncoding::Short)),
            // Case 2E, 3E, 4E: a zero byte, then two length bytes.
            [0, rest @ ..] => match rest {
                [hi, lo] => Ok(header
                    .with_le(extended_ne(*hi, *lo))
                    .with_encoding(LengthEncoding::Extended)),
                [hi, lo, tail @ ..] => {
                    let lc = usize::from(u16::from_be_bytes([*hi, *lo]));
                    if lc == 0 {
                        return malformed;
                    }
                    let cmd = header.with_encoding(LengthEncoding::Extended);
                    match (tail.get(..lc), tail.get(lc..)) {
                        (Some(data), Some([])) => Ok(cmd.with_data(data)),
                        (Some(data), Some([hi, lo])) => {
                            Ok(cmd.with_data(data).with_le(extended_ne(*hi, *lo)))
                        }
                        _ => malformed,
                    }
                }
                _ => malformed,
            },
            // Case 3S, 4S.
            [lc, tail @ ..] => {
                let lc = usize::from(*lc);
                let cmd = header.with_encoding(LengthEncoding::Short);
                match (tail.get(..lc), tail.get(lc..)) {
                    (Some(data), Some([])) => Ok(cmd.with_data(data)),
                    (Some(data), Some([le])) => Ok(cmd.with_data(data).with_le(short_ne(*le))),
                    _ => malformed,
                }
            }
        }
    }
}

fn u16_be(n: usize) -> [u8; 2] {
    [(n >> 8) as u8, n as u8]
}

fn short_ne(le: u8) -> usize {
    if le == 0 {
        256
    } else {
        usize::from(le)
    }
}

fn extended_ne(hi: u8, lo: u8) -> usize {
    match u16::from_be_bytes([hi, lo]) {
        0 => 65_536,
        n => usize::from(n),
    }
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Command");
        s.field("header", &self.header);
        if self.sensitive {
            s.field(
                "data",
                &format_args!("REDACTED ({} bytes)", self.data.len()),
            );
        } else {
            s.field("data", &format_args!("{}", hex::encode_upper(&*self.data)));
        }
        s.field("ne", &self.ne)
            .field("encoding", &self.encoding)
            .finish()
    }
}
