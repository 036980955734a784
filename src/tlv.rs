//! A flat, bounded BER-TLV reader for the records the card-info and card-face applications
//! hold (`FF 20 <len> { DF21 … DF2A }`).
//!
//! Card data is hostile: this reader never recurses (a constructed child is returned as one
//! object, its value unparsed), caps tags at 3 bytes and lengths at 3 length bytes, and never
//! reads past its input.
//!
//! The `iso7816-tlv` crate does not fit this card: its parser descends into nested constructed
//! objects without a depth limit, and it refuses objects whose tag has the constructed bit but
//! whose content is plain bytes — which is how the card-info application stores the my number
//! (`FF 10 0C` + 12 ASCII digits, as jpki/myna, myna-card and jsapdu read it).

/// Why bytes are not a TLV object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TlvError {
    /// The input ends inside a tag, a length or a value.
    #[error("truncated TLV object")]
    Truncated,
    /// A tag longer than 3 bytes.
    #[error("TLV tag longer than 3 bytes")]
    TagTooLong,
    /// An indefinite length, or more than 3 length bytes.
    #[error("invalid TLV length")]
    InvalidLength,
    /// The object would be longer than allowed.
    #[error("TLV object of {len} bytes is longer than {max}")]
    TooLong {
        /// The claimed total length.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// More objects in one constructed value than [`MAX_OBJECTS`].
    #[error("more than {max} TLV objects in one value")]
    TooManyObjects {
        /// The cap.
        max: usize,
    },
}

/// One TLV object: its tag (up to 3 bytes, big-endian: `0xFF20`, `0xDF22`) and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Object<'a> {
    /// The tag, its bytes as a big-endian number.
    pub tag: u32,
    /// The value bytes.
    pub value: &'a [u8],
}

/// The tag, and the lengths of the header and the value, of the object starting `bytes`.
/// Needs only the header to be present.
pub fn header(bytes: &[u8]) -> Result<(u32, usize, usize), TlvError> {
    let first = *bytes.first().ok_or(TlvError::Truncated)?;
    let mut tag = u32::from(first);
    let mut pos = 1;
    if first & 0x1F == 0x1F {
        loop {
            let b = *bytes.get(pos).ok_or(TlvError::Truncated)?;
            pos += 1;
            if pos > 3 {
                return Err(TlvError::TagTooLong);
            }
            tag = (tag << 8) | u32::from(b);
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let first_len = *bytes.get(pos).ok_or(TlvError::Truncated)?;
    pos += 1;
    let len = match first_len {
        0x00..=0x7F => usize::from(first_len),
        0x81..=0x83 => {
            let n = usize::from(first_len & 0x7F);
            let len_bytes = bytes.get(pos..pos + n).ok_or(TlvError::Truncated)?;
            pos += n;
            len_bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
        }
        _ => return Err(TlvError::InvalidLength),
    };
    Ok((tag, pos, len))
}

/// The total length (header + value) of the object starting `prefix`, refused above `max`.
pub fn total_len(prefix: &[u8], max: usize) -> Result<usize, TlvError> {
    let (_, header_len, value_len) = header(prefix)?;
    let len = header_len.saturating_add(value_len);
    if len > max {
        return Err(TlvError::TooLong { len, max });
    }
    Ok(len)
}

/// Reads the object starting `bytes`; returns it and what follows.
pub fn read(bytes: &[u8]) -> Result<(Object<'_>, &[u8]), TlvError> {
    let (tag, header_len, value_len) = header(bytes)?;
    let end = header_len
        .checked_add(value_len)
        .ok_or(TlvError::InvalidLength)?;
    let value = bytes.get(header_len..end).ok_or(TlvError::Truncated)?;
    let rest = bytes.get(end..).unwrap_or_default();
    Ok((Object { tag, value }, rest))
}

/// The most objects [`objects`] yields from one constructed value; the next is
/// [`TlvError::TooManyObjects`]. The records the card holds have at most 10 children.
pub const MAX_OBJECTS: usize = 256;

/// The objects one after another in `bytes` (the value of a constructed object). Stops at
/// the first error, which it yields; padding (`00` or `FF` to the end) ends the sequence.
/// At most [`MAX_OBJECTS`] objects; the work is linear in the length of `bytes`.
pub fn objects(bytes: &[u8]) -> Objects<'_> {
    Objects {
        rest: bytes,
        padding: padding_len(bytes),
        count: 0,
    }
}

/// The length of the run of padding (`00` or `FF`) that ends `bytes`.
pub(crate) fn padding_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .rev()
        .take_while(|b| **b == 0x00 || **b == 0xFF)
        .count()
}

/// Iterator of [`objects`].
#[derive(Debug, Clone)]
pub struct Objects<'a> {
    rest: &'a [u8],
    /// How long the padding that ends the input is: `rest` is all padding once it is no
    /// longer than that (found once, so each step is constant work, not a rescan).
    padding: usize,
    /// Objects yielded so far.
    count: usize,
}

impl<'a> Iterator for Objects<'a> {
    type Item = Result<Object<'a>, TlvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.len() <= self.padding {
            self.rest = &[];
            return None;
        }
        if self.count == MAX_OBJECTS {
            self.rest = &[];
            return Some(Err(TlvError::TooManyObjects { max: MAX_OBJECTS }));
        }
        match read(self.rest) {
            Ok((object, rest)) => {
                self.rest = rest;
                self.count += 1;
                Some(Ok(object))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

/// The value of the first child of `constructed` with `tag`; errors of the children before it
/// are returned.
pub fn find(constructed: &[u8], tag: u32) -> Result<Option<&[u8]>, TlvError> {
    for object in objects(constructed) {
        let object = object?;
        if object.tag == tag {
            return Ok(Some(object.value));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_card_info_layouts() {
        // FF10 0C + 12 digits + FF FF filler.
        let my_number = b"\xFF\x10\x0C123456789018\xFF\xFF";
        let (object, rest) = read(my_number).unwrap();
        assert_eq!(object.tag, 0xFF10);
        assert_eq!(object.value, b"123456789018");
        assert_eq!(rest, [0xFF, 0xFF]);
        assert_eq!(objects(rest).count(), 0, "filler ends the sequence");

        let inner = b"\xDF\x22\x02ab\xDF\x25\x011";
        let mut record = vec![0xFF, 0x20, inner.len() as u8];
        record.extend_from_slice(inner);
        let (outer, _) = read(&record).unwrap();
        assert_eq!(outer.tag, 0xFF20);
        assert_eq!(find(outer.value, 0xDF25), Ok(Some(&b"1"[..])));
        assert_eq!(find(outer.value, 0xDF23), Ok(None));
        assert_eq!(total_len(&[0xFF, 0x20, 0x82, 0x01, 0x00], 1000), Ok(0x105));
    }

    #[test]
    fn refuses_hostile_headers_without_panicking() {
        assert_eq!(header(&[]), Err(TlvError::Truncated));
        assert_eq!(header(&[0xFF]), Err(TlvError::Truncated));
        assert_eq!(header(&[0xFF, 0x81, 0x81, 0x01]), Err(TlvError::TagTooLong));
        assert_eq!(header(&[0xDF, 0x22, 0x80]), Err(TlvError::InvalidLength));
        assert_eq!(
            header(&[0xDF, 0x22, 0x84, 1, 1, 1, 1]),
            Err(TlvError::InvalidLength)
        );
        assert_eq!(read(&[0xDF, 0x22, 0x05, 1, 2]), Err(TlvError::Truncated));
        assert_eq!(
            total_len(&[0xFF, 0x20, 0x83, 0xFF, 0xFF, 0xFF], 32_768),
            Err(TlvError::TooLong {
                len: 0xFFFFFF + 6,
                max: 32_768
            })
        );
        // Nested constructed objects are not descended into.
        let nested = [0xFF, 0x20, 0x04, 0xFF, 0x20, 0x01, 0x00];
        let (outer, _) = read(&nested).unwrap();
        let children: Vec<_> = objects(outer.value).collect();
        assert_eq!(children.len(), 1);
        // Bounded: a sequence of N bytes yields at most N / 2 objects.
        let zeros = [0x01u8, 0x00].repeat(100);
        assert_eq!(objects(&zeros).count(), 100);
    }

    #[test]
    fn padding_ends_the_sequence_and_counts_are_capped() {
        // Padding in the middle is objects (tag 00, length 00); only trailing padding ends.
        let mut bytes = vec![0x00; 8];
        bytes.extend_from_slice(&[0xDF, 0x22, 0x01, b'a', 0xFF, 0x00, 0xFF]);
        let found: Vec<_> = objects(&bytes).collect::<Result<_, _>>().unwrap();
        assert_eq!(found.len(), 5);
        assert_eq!(found.last().map(|o| o.tag), Some(0xDF22));
        assert_eq!(padding_len(&bytes), 3);
        assert_eq!(objects(&[0xFF; 40]).count(), 0);
        assert_eq!(objects(&[]).count(), 0);
        // A long run of padding before a stray byte: as many objects as pairs, then the
        // stray byte's truncation, capped.
        let mut hostile = vec![0x00; 2 * MAX_OBJECTS + 2];
        hostile.push(0x01);
        let items: Vec<_> = objects(&hostile).collect();
        assert_eq!(items.len(), MAX_OBJECTS + 1);
        assert_eq!(
            items.last(),
            Some(&Err(TlvError::TooManyObjects { max: MAX_OBJECTS }))
        );
        assert_eq!(
            find(&hostile, 0xDF33),
            Err(TlvError::TooManyObjects { max: MAX_OBJECTS })
        );
        let just = [0x01u8, 0x00].repeat(MAX_OBJECTS);
        assert_eq!(objects(&just).filter(Result::is_ok).count(), MAX_OBJECTS);
    }
}
