//! Reads the DER header of a certificate file (`30 82 LL LL …`) so that the file's length is
//! known from the first READ BINARY, with no separate header read. The `der` crate decodes the
//! header (DER rules: definite, minimal lengths); this module caps what it may claim.

use der::{Decode, ErrorKind, Length, Reader, SliceReader, Tag};

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
    /// Indefinite length, non-minimal length, or a length of more than 4 bytes or 256 MiB.
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
    // A header is at most 6 bytes (tag, `84`, 4 length bytes): never hand `der` more.
    let head = prefix.get(..6).unwrap_or(prefix);
    let mut reader = SliceReader::new(head).map_err(|_| DerHeaderError::Truncated)?;
    let truncated_or = |e: der::Error, other: DerHeaderError| match e.kind() {
        ErrorKind::Incomplete { .. } => DerHeaderError::Truncated,
        _ => other,
    };
    let tag =
        Tag::decode(&mut reader).map_err(|e| truncated_or(e, DerHeaderError::NotASequence))?;
    if tag != Tag::Sequence {
        return Err(DerHeaderError::NotASequence);
    }
    let content =
        Length::decode(&mut reader).map_err(|e| truncated_or(e, DerHeaderError::InvalidLength))?;
    let len = (reader.position() + content)
        .ok()
        .and_then(|len| usize::try_from(u32::from(len)).ok())
        .ok_or(DerHeaderError::InvalidLength)?;
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
            Err(TooLong {
                len: 0x0100_0006,
                max: 10
            })
        );
        assert_eq!(
            sequence_len(&[0x30, 0x84, 0x10, 0, 0, 0], usize::MAX),
            Err(InvalidLength) // beyond der's 256 MiB
        );
        assert_eq!(
            sequence_len(&[0x30, 0x85, 1, 0, 0, 0, 0], usize::MAX),
            Err(InvalidLength)
        );
        assert_eq!(
            sequence_len(&[0x30, 0x84, 0, 1, 0, 0], usize::MAX),
            Err(InvalidLength) // not minimal
        );
        assert_eq!(sequence_len(&[0x31, 0x82, 0x01], 10), Err(NotASequence));
        assert_eq!(
            sequence_len(&[0x1F, 0x82, 0x01, 0x00], 10),
            Err(NotASequence)
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
