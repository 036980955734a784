//! The records of the card-info and card-face applications: one constructed object
//! (`FF 20 <len>`) whose children are primitive objects, the first of them (`DF21`) a table of
//! big-endian `u16` offsets from the first byte of the file to each later child (myna-card's
//! `check_offsets` and jsapdu's `decodeOffsets` read it this way; jpki/myna gives the same
//! records).
//!
//! The table is CHECKED against where the children actually are, never used to slice: the
//! children are found by walking the TLV objects with the flat, bounded reader of
//! [`crate::tlv`].

use crate::error::{Error, Result};
use crate::tlv::{self, Object};

/// The most children a record may have (the card-face record has 10).
const MAX_CHILDREN: usize = 32;

/// A parsed record: its children in order, the offset table checked.
#[derive(Debug)]
pub(crate) struct Record<'a> {
    children: Vec<Object<'a>>,
    /// The outer value's bytes after the offset table (from the second child to the end).
    after_table: &'a [u8],
}

impl<'a> Record<'a> {
    /// Parses `file` as `outer` { `table` offsets, children… }; the offsets must equal the
    /// children's positions, one entry per child after the table, and no tag may repeat.
    pub(crate) fn parse(file: &'a [u8], outer: u32, table: u32) -> Result<Self> {
        let malformed = Error::MalformedResponse;
        let (tag, header_len, _) = tlv::header(file).map_err(|_| malformed("record header"))?;
        let (object, _) = tlv::read(file).map_err(|_| malformed("record truncated"))?;
        if tag != outer {
            return Err(malformed("record of an unexpected tag"));
        }
        let mut children = Vec::new();
        let mut positions = Vec::new();
        let mut rest = object.value;
        let mut position = header_len;
        let mut after_table = None;
        // Trailing padding (`00` or `FF` to the end) ends the children; found once.
        let padding = tlv::padding_len(rest);
        while rest.len() > padding {
            if children.len() == MAX_CHILDREN {
                return Err(malformed("record has too many objects"));
            }
            let (child, next) = tlv::read(rest).map_err(|_| malformed("record object"))?;
            if children.iter().any(|c: &Object<'_>| c.tag == child.tag) {
                return Err(malformed("record repeats a tag"));
            }
            if children.len() == 1 {
                after_table = Some(rest);
            }
            positions.push(position);
            position += rest.len() - next.len();
            children.push(child);
            rest = next;
        }
        let offsets = match children.first() {
            Some(first) if first.tag == table => first.value,
            _ => return Err(malformed("record does not open with its offset table")),
        };
        let later = positions.get(1..).unwrap_or_default();
        if offsets.len() != later.len() * 2 {
            return Err(malformed("offset table does not list every object"));
        }
        for (pair, &actual) in offsets.chunks_exact(2).zip(later) {
            let claimed = pair
                .first()
                .zip(pair.get(1))
                .map(|(&hi, &lo)| usize::from(u16::from_be_bytes([hi, lo])));
            if claimed != Some(actual) {
                return Err(malformed("offset table does not match the objects"));
            }
        }
        Ok(Self {
            children,
            after_table: after_table.unwrap_or_default(),
        })
    }

    /// The value of the child with `tag`, if present.
    pub(crate) fn get(&self, tag: u32) -> Option<&'a [u8]> {
        self.children.iter().find(|c| c.tag == tag).map(|c| c.value)
    }

    /// The value of the child with `tag`, or a malformed-response error naming `what`.
    pub(crate) fn require(&self, tag: u32, what: &'static str) -> Result<&'a [u8]> {
        self.get(tag).ok_or(Error::MalformedResponse(what))
    }

    /// The outer value's bytes from the object after the offset table to the end.
    pub(crate) fn after_table(&self) -> &'a [u8] {
        self.after_table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FF20 { DF21 <offsets>, DF22 "ab", DF23 "c" } with the given offsets.
    fn record(offsets: [u8; 4]) -> Vec<u8> {
        let mut value = vec![0xDF, 0x21, 0x04];
        value.extend_from_slice(&offsets);
        value.extend_from_slice(&[0xDF, 0x22, 0x02, b'a', b'b', 0xDF, 0x23, 0x01, b'c']);
        let mut file = vec![0xFF, 0x20, value.len() as u8];
        file.extend_from_slice(&value);
        file
    }

    #[test]
    fn checks_the_offset_table_against_the_objects() {
        // Header 3 + table 7 = 10: DF22 at 10, DF23 at 15.
        let file = record([0, 10, 0, 15]);
        let parsed = Record::parse(&file, 0xFF20, 0xDF21).unwrap();
        assert_eq!(parsed.get(0xDF22), Some(&b"ab"[..]));
        assert_eq!(parsed.require(0xDF23, "sex").unwrap(), b"c");
        assert_eq!(parsed.after_table(), &file[10..]);
        for wrong in [[0, 11, 0, 15], [0, 10, 0, 16], [0xFF, 0xFF, 0, 15]] {
            assert!(Record::parse(&record(wrong), 0xFF20, 0xDF21).is_err());
        }
        assert!(Record::parse(&file, 0xFF30, 0xDF21).is_err());
        assert!(Record::parse(&file[..file.len() - 1], 0xFF20, 0xDF21).is_err());
        // A table of the wrong size.
        let short = [0xFF, 0x20, 0x07, 0xDF, 0x21, 0x00, 0xDF, 0x22, 0x01, b'x'];
        assert!(Record::parse(&short, 0xFF20, 0xDF21).is_err());
    }

    #[test]
    fn refuses_repeated_tags_and_missing_tables() {
        let repeated = [0xFF, 0x20, 0x06, 0xDF, 0x21, 0x00, 0xDF, 0x21, 0x00];
        assert!(Record::parse(&repeated, 0xFF20, 0xDF21).is_err());
        let no_table = [0xFF, 0x20, 0x03, 0xDF, 0x22, 0x00];
        assert!(Record::parse(&no_table, 0xFF20, 0xDF21).is_err());
    }
}
