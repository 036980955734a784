//! ISO 7816-4 APDU framing: typed commands encoded once, responses parsed into data and a
//! [`StatusWord`]. Pure: no I/O, no allocation beyond the buffers it returns.

mod command;
mod status;

use zeroize::Zeroizing;

pub use command::{
    Command, CommandHeader, LengthEncoding, MAX_DATA_LEN, MAX_NE, MAX_SHORT_DATA_LEN, MAX_SHORT_NE,
};
pub use status::StatusWord;

/// A command or response that cannot be encoded or parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApduError {
    /// The command data is longer than 65,535 bytes.
    #[error("command data of {len} bytes is longer than 65,535")]
    DataTooLong {
        /// The data length.
        len: usize,
    },
    /// Ne is 0 or more than 65,536.
    #[error("Ne {ne} is outside 1..=65,536")]
    NeOutOfRange {
        /// The Ne asked for.
        ne: usize,
    },
    /// Short encoding was forced but the data or Ne need extended lengths.
    #[error("short length encoding forced, but the data or Ne need extended lengths")]
    DoesNotFitShort,
    /// A command shorter than its 4-byte header.
    #[error("command of {len} bytes is shorter than its header")]
    CommandTooShort {
        /// The length received.
        len: usize,
    },
    /// A command whose Lc/Le do not match its length.
    #[error("command of {len} bytes has lengths that do not match")]
    MalformedCommand {
        /// The length received.
        len: usize,
    },
    /// The encoded command is longer than the transport carries, or needs extended lengths
    /// the transport lacks.
    #[error("command of {len} bytes does not fit the transport (at most {max}, short only unless extended length is supported)")]
    TooLongForTransport {
        /// The encoded length.
        len: usize,
        /// The transport's maximum.
        max: usize,
    },
    /// A READ BINARY offset above 0x7FFF (P1 bit 8 would turn it into an SFI).
    #[error("READ BINARY offset {offset} is above 0x7FFF")]
    OffsetOutOfRange {
        /// The offset asked for.
        offset: usize,
    },
    /// A response shorter than its status word.
    #[error("response of {len} bytes has no status word")]
    ResponseTooShort {
        /// The length received.
        len: usize,
    },
}

/// A response APDU: data and status word. The data is zeroized on drop (it may be the my
/// number or other personal data).
#[derive(Clone, PartialEq, Eq)]
pub struct Response {
    data: Zeroizing<Vec<u8>>,
    status: StatusWord,
}

impl Response {
    /// A response from its parts.
    pub fn new(data: impl Into<Vec<u8>>, status: StatusWord) -> Self {
        Self {
            data: Zeroizing::new(data.into()),
            status,
        }
    }

    /// A response with no data.
    pub fn status_only(status: StatusWord) -> Self {
        Self::new(Vec::new(), status)
    }

    /// Parses data followed by SW1 SW2.
    ///
    /// ```
    /// use mynumbercard::apdu::{Response, StatusWord};
    /// let r = Response::parse(&[0x01, 0x02, 0x90, 0x00]).unwrap();
    /// assert_eq!(r.data(), [0x01, 0x02]);
    /// assert_eq!(r.status(), StatusWord::SUCCESS);
    /// assert!(Response::parse(&[0x90]).is_err());
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<Self, ApduError> {
        match bytes {
            [data @ .., sw1, sw2] => Ok(Self::new(data, StatusWord::from_bytes(*sw1, *sw2))),
            _ => Err(ApduError::ResponseTooShort { len: bytes.len() }),
        }
    }

    /// Like [`Response::parse`], taking ownership of the buffer (no copy).
    pub fn parse_vec(mut bytes: Vec<u8>) -> Result<Self, ApduError> {
        let len = bytes.len();
        match (bytes.pop(), bytes.pop()) {
            (Some(sw2), Some(sw1)) => Ok(Self::new(bytes, StatusWord::from_bytes(sw1, sw2))),
            _ => Err(ApduError::ResponseTooShort { len }),
        }
    }

    /// The data.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The data, owned (no copy). For personal data prefer
    /// [`Response::into_data_zeroizing`].
    pub fn into_data(mut self) -> Vec<u8> {
        std::mem::take(&mut *self.data)
    }

    /// The data, owned, in a buffer zeroized on drop (no copy).
    pub fn into_data_zeroizing(self) -> Zeroizing<Vec<u8>> {
        self.data
    }

    /// The status word.
    pub fn status(&self) -> StatusWord {
        self.status
    }

    /// Data followed by SW1 SW2.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.data.len() + 2);
        out.extend_from_slice(&self.data);
        out.extend_from_slice(&self.status.to_bytes());
        out
    }
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("data", &format_args!("{}", hex::encode_upper(&*self.data)))
            .field("status", &self.status)
            .finish()
    }
}

/// Appends `more` to `buffer`; when the buffer must grow, the bytes move to a new buffer and
/// the old one is zeroized (a plain `extend` would free it with the bytes in it).
pub(crate) fn extend_zeroizing(buffer: &mut Zeroizing<Vec<u8>>, more: &[u8]) {
    let needed = buffer.len().saturating_add(more.len());
    if needed > buffer.capacity() {
        let mut grown = Zeroizing::new(Vec::with_capacity(needed.max(2 * buffer.capacity())));
        grown.extend_from_slice(buffer);
        *buffer = grown;
    }
    buffer.extend_from_slice(more);
}

#[cfg(test)]
mod tests;
