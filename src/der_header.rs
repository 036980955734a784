//! Reads the DER header of a certificate file (`30 82 LL LL …`) so that the file's length is
//! known from the first READ BINARY, with no separate header read.

/// Why a DER header was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DerHeaderError {
    /// Fewer bytes than the header needs.
    #[error("truncated DER header")]
    Truncated,
    /// Not a SEQUENCE (`30`).
    #[error("not a DER SEQUENCE")]
    NotASequence,
    /// Indefinite length, non-minimal length, or a length of more than 3 bytes.
    #[error("invalid DER length")]
    InvalidLength,
    /// The whole element would be longer than allowed.
    #[error("DER element of {len} bytes is longer than {max}")]
    TooLong {
        /// The claimed total length.
        len: usize,
        /// The cap.
        max: usize,
    },
}

/// The total length (header + content) of the DER SEQUENCE starting `prefix`, refused when
/// above `max`.
///
/// ```
/// use mynumbercard::der_header::sequence_len;
/// assert_eq!(sequence_len(&[0x30, 0x82, 0x06, 0x10, 0x30], 8192), Ok(0x0610 + 4));
/// assert_eq!(sequence_len(&[0x30, 0x03, 1, 2, 3], 8192), Ok(5));
/// assert!(sequence_len(&[0x30, 0x82, 0xEA, 0x60], 8192).is_err()); // claims 60 KB
/// ```
pub fn sequence_len(prefix: &[u8], max: usize) -> Result<usize, DerHeaderError> {
    let (tag, first, rest) = match prefix {
        [tag, first, rest @ ..] => (*tag, *first, rest),
        _ => return Err(DerHeaderError::Truncated),
    };
    if tag != 0x30 {
        return Err(DerHeaderError::NotASequence);
    }
    let (header, content) = match first {
        0x00..=0x7F => (2, usize::from(first)),
        0x81..=0x83 => {
            let n = usize::from(first & 0x7F);
            let bytes = rest.get(..n).ok_or(DerHeaderError::Truncated)?;
            let content = bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            // DER: the long form only when needed, with no leading zero byte.
            if content < 0x80 || bytes.first() == Some(&0) {
                return Err(DerHeaderError::InvalidLength);
            }
            (2 + n, content)
        }
        _ => return Err(DerHeaderError::InvalidLength),
    };
    let len = header + content;
    if len > max {
        return Err(DerHeaderError::TooLong { len, max });
    }
    Ok(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_a_certificate_uses() {
        assert_eq!(sequence_len(&[0x30, 0x81, 0x80], 1000), Ok(0x83));
        assert_eq!(sequence_len(&[0x30, 0x82, 0x01, 0x00], 1000), Ok(0x104));
        assert_eq!(
            sequence_len(&[0x30, 0x83, 0x01, 0x00, 0x00], 100_000),
            Ok(0x10005)
        );
    }

    #[test]
    fn refuses_what_a_hostile_card_might_claim() {
        use DerHeaderError::*;
        assert_eq!(sequence_len(&[], 10), Err(Truncated));
        assert_eq!(sequence_len(&[0x30], 10), Err(Truncated));
        assert_eq!(sequence_len(&[0x30, 0x82, 0x01], 10), Err(Truncated));
        assert_eq!(sequence_len(&[0x31, 0x00], 10), Err(NotASequence));
        assert_eq!(sequence_len(&[0x30, 0x80], 10), Err(InvalidLength));
        assert_eq!(
            sequence_len(&[0x30, 0x84, 1, 0, 0, 0], 10),
            Err(InvalidLength)
        );
        assert_eq!(sequence_len(&[0x30, 0x81, 0x05], 10), Err(InvalidLength));
        assert_eq!(
            sequence_len(&[0x30, 0x82, 0x00, 0x90], 1000),
            Err(InvalidLength)
        );
        assert_eq!(
            sequence_len(&[0x30, 0x82, 0xEA, 0x60], 16_384),
            Err(TooLong {
                len: 0xEA64,
                max: 16_384
            })
        );
    }
}
