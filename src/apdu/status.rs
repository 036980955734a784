//! ISO 7816-4 status words (SW1 SW2) as a small `Copy` type you can `match` on.

use std::fmt;

/// A status word: the two bytes SW1 SW2 that end every response APDU.
///
/// The named constants can be used as `match` patterns:
///
/// ```
/// use mynumbercard::StatusWord;
/// let sw = StatusWord::from_u16(0x63C2);
/// match sw {
///     StatusWord::SUCCESS => unreachable!(),
///     sw if sw.verification_retries().is_some() => assert_eq!(sw.verification_retries(), Some(2)),
///     _ => unreachable!(),
/// }
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatusWord(u16);

impl StatusWord {
    /// `9000`: normal processing.
    pub const SUCCESS: Self = Self(0x9000);
    /// `6300`: verification failed, no counter reported. From an empty VERIFY it means the
    /// PIN has no retry limit (only myna-card reports this).
    pub const VERIFICATION_FAILED: Self = Self(0x6300);
    /// `63C0`: verification failed and no try is left (the PIN is now blocked).
    pub const VERIFICATION_FAILED_NO_TRIES: Self = Self(0x63C0);
    /// `6700`: wrong length (Lc or Le).
    pub const WRONG_LENGTH: Self = Self(0x6700);
    /// `6881`: logical channel not supported (the card's answer on channels other than 0,
    /// seen only by myna-card).
    pub const LOGICAL_CHANNEL_NOT_SUPPORTED: Self = Self(0x6881);
    /// `6982`: security status not satisfied (a PIN must be verified first).
    pub const SECURITY_STATUS_NOT_SATISFIED: Self = Self(0x6982);
    /// `6983`: authentication method blocked.
    pub const AUTHENTICATION_METHOD_BLOCKED: Self = Self(0x6983);
    /// `6984`: reference data not usable; on the My Number Card: the PIN is blocked.
    pub const REFERENCE_DATA_NOT_USABLE: Self = Self(0x6984);
    /// `6985`: conditions of use not satisfied.
    pub const CONDITIONS_NOT_SATISFIED: Self = Self(0x6985);
    /// `6986`: command not allowed (no current EF).
    pub const COMMAND_NOT_ALLOWED: Self = Self(0x6986);
    /// `6A82`: file or application not found.
    pub const FILE_NOT_FOUND: Self = Self(0x6A82);
    /// `6A86`: incorrect parameters P1-P2.
    pub const INCORRECT_P1_P2: Self = Self(0x6A86);
    /// `6A88`: referenced data not found.
    pub const REFERENCED_DATA_NOT_FOUND: Self = Self(0x6A88);
    /// `6B00`: wrong parameters P1-P2; READ BINARY past the end of the file.
    pub const WRONG_P1_P2: Self = Self(0x6B00);
    /// `6D00`: instruction not supported.
    pub const INS_NOT_SUPPORTED: Self = Self(0x6D00);
    /// `6E00`: class not supported.
    pub const CLA_NOT_SUPPORTED: Self = Self(0x6E00);
    /// `6F00`: no precise diagnosis. The first command after power-up may answer it (only
    /// myna-card reports this).
    pub const UNKNOWN_ERROR: Self = Self(0x6F00);

    /// SW1 of `61xx`: xx response bytes wait for GET RESPONSE; see
    /// [`StatusWord::bytes_remaining`]. No public source shows the card answering it; the
    /// exchange follows it defensively, bounded.
    pub const SW1_BYTES_REMAINING: u8 = 0x61;
    /// SW1 of `6Cxx`: wrong Le, resend with Le = xx; see [`StatusWord::correct_le`].
    pub const SW1_WRONG_LE: u8 = 0x6C;
    /// SW1 SW2 high nibble of `63Cx`: verification failed, x tries left; see
    /// [`StatusWord::verification_retries`].
    pub const VERIFICATION_RETRIES_MASKED: u16 = 0x63C0;

    /// A status word from its 16-bit value (`SW1 << 8 | SW2`).
    pub const fn from_u16(value: u16) -> Self {
        Self(value)
    }

    /// A status word from its two bytes.
    pub const fn from_bytes(sw1: u8, sw2: u8) -> Self {
        Self(((sw1 as u16) << 8) | sw2 as u16)
    }

    /// The 16-bit value.
    pub const fn to_u16(self) -> u16 {
        self.0
    }

    /// SW1.
    pub const fn sw1(self) -> u8 {
        (self.0 >> 8) as u8
    }

    /// SW2.
    pub const fn sw2(self) -> u8 {
        (self.0 & 0xFF) as u8
    }

    /// The two bytes, SW1 first.
    pub const fn to_bytes(self) -> [u8; 2] {
        [self.sw1(), self.sw2()]
    }

    /// `9000`.
    pub const fn is_success(self) -> bool {
        self.0 == 0x9000
    }

    /// For `63Cx`: x, the verification tries left.
    pub const fn verification_retries(self) -> Option<u8> {
        if self.0 & 0xFFF0 == Self::VERIFICATION_RETRIES_MASKED {
            Some((self.0 & 0x0F) as u8)
        } else {
            None
        }
    }

    /// For `61xx`: how many response bytes wait for GET RESPONSE (`6100` means 256).
    pub const fn bytes_remaining(self) -> Option<usize> {
        self.length_after(Self::SW1_BYTES_REMAINING)
    }

    /// For `6Cxx`: the Le the card wants the command resent with (`6C00` means 256).
    pub const fn correct_le(self) -> Option<usize> {
        self.length_after(Self::SW1_WRONG_LE)
    }

    /// SW2 as a length (`00` means 256) when SW1 is `sw1`.
    const fn length_after(self, sw1: u8) -> Option<usize> {
        if self.sw1() != sw1 {
            None
        } else if self.sw2() == 0 {
            Some(256)
        } else {
            Some(self.sw2() as usize)
        }
    }
}

impl From<u16> for StatusWord {
    fn from(value: u16) -> Self {
        Self(value)
    }
}

impl From<StatusWord> for u16 {
    fn from(sw: StatusWord) -> Self {
        sw.0
    }
}

impl fmt::Debug for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StatusWord({:04X})", self.0)
    }
}

impl fmt::Display for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04X}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_counters() {
        assert_eq!(StatusWord::from_u16(0x63C3).verification_retries(), Some(3));
        assert_eq!(StatusWord::from_u16(0x63C0).verification_retries(), Some(0));
        assert_eq!(StatusWord::from_u16(0x6300).verification_retries(), None);
        assert_eq!(StatusWord::from_u16(0x6100).bytes_remaining(), Some(256));
        assert_eq!(StatusWord::from_u16(0x6110).bytes_remaining(), Some(16));
        assert_eq!(StatusWord::from_u16(0x6C05).correct_le(), Some(5));
        assert_eq!(StatusWord::from_u16(0x9000).correct_le(), None);
        assert_eq!(
            StatusWord::from_bytes(0x6A, 0x82),
            StatusWord::FILE_NOT_FOUND
        );
        assert_eq!(StatusWord::FILE_NOT_FOUND.to_string(), "6A82");
        assert_eq!(format!("{:?}", StatusWord::SUCCESS), "StatusWord(9000)");
    }
}
