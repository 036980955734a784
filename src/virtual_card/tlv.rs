//! BER-TLV building for the virtual card's card-info and card-face files: two-byte private tags
//! (`DFxx`, `FFxx`), definite lengths, offset tables, and the RSA public-key encoding the
//! applications use.
//!
//! Shapes from soltia48/myna-card (`src/ap/text.rs`, `src/ap/surface.rs`, `src/data.rs`) and
//! AokiApp jsapdu (`packages/mynacard/src/schema.ts`): a file is one constructed object whose
//! children are primitive `DFxx` objects; some open with an offset table (`DF21`) of big-endian
//! `u16` offsets from the first byte of the file to each later child (myna-card and jsapdu's
//! `decodeOffsets` agree).

use rsa::traits::PublicKeyParts;
use rsa::RsaPublicKey;

/// The BER definite length of `len` (short form below 128, then `81 xx`, `82 xx xx`).
pub fn length(len: usize) -> Vec<u8> {
    match len {
        0..=0x7F => vec![len as u8],
        0x80..=0xFF => vec![0x81, len as u8],
        _ => {
            let [hi, lo] = u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes();
            vec![0x82, hi, lo]
        }
    }
}

/// One object: two-byte tag, definite length, value.
pub fn object(tag: u16, value: &[u8]) -> Vec<u8> {
    let mut out = tag.to_be_bytes().to_vec();
    out.extend_from_slice(&length(value.len()));
    out.extend_from_slice(value);
    out
}

/// A constructed object of already encoded `children`.
pub fn constructed(tag: u16, children: &[Vec<u8>]) -> Vec<u8> {
    object(tag, &children.concat())
}

/// A constructed object that opens with an offset table under `table_tag`: one big-endian
/// `u16` per child, the offset of that child's first byte from the first byte of the file (the
/// outer header included), as the card writes it (myna-card's `check_offsets`, jsapdu's
/// `decodeOffsets`).
pub fn with_offsets(tag: u16, table_tag: u16, children: &[Vec<u8>]) -> Vec<u8> {
    let table_len = object(table_tag, &vec![0; children.len() * 2]).len();
    let body_len = table_len + children.iter().map(Vec::len).sum::<usize>();
    let header_len = 2 + length(body_len).len();
    let mut offsets = Vec::with_capacity(children.len() * 2);
    let mut position = header_len + table_len;
    for child in children {
        let offset = u16::try_from(position).unwrap_or(u16::MAX);
        offsets.extend_from_slice(&offset.to_be_bytes());
        position += child.len();
    }
    let mut all = vec![object(table_tag, &offsets)];
    all.extend_from_slice(children);
    constructed(tag, &all)
}

/// An RSA public key as the card applications store it: `90` public exponent, `91` modulus,
/// both big-endian without sign padding (the bytes only myna-card's `RsaPublicKey::parse`
/// shows, from a card: `90 03 010001 91 82 0100 <256 bytes>`; jsapdu's `decodePublicKey` reads
/// the same two objects).
pub fn public_key(key: &RsaPublicKey) -> Vec<u8> {
    let e = key.e().to_bytes_be();
    let n = key.n().to_bytes_be();
    let mut out = vec![0x90];
    out.extend_from_slice(&length(e.len()));
    out.extend_from_slice(&e);
    out.push(0x91);
    out.extend_from_slice(&length(n.len()));
    out.extend_from_slice(&n);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_lengths_in_the_three_forms() {
        assert_eq!(length(0x7F), [0x7F]);
        assert_eq!(length(0x80), [0x81, 0x80]);
        assert_eq!(length(0x1234), [0x82, 0x12, 0x34]);
        assert_eq!(object(0xDF25, b"1"), [0xDF, 0x25, 0x01, b'1']);
    }

    #[test]
    fn offsets_point_at_each_child_from_the_start_of_the_file() {
        let children = [object(0xDF22, b"ab"), object(0xDF23, &[0; 200])];
        let file = with_offsets(0xFF20, 0xDF21, &children);
        // FF 20 81 xx | DF 21 04 o1 o1 o2 o2 | DF 22 ...
        assert_eq!(&file[..3], &[0xFF, 0x20, 0x81]);
        let first = usize::from(u16::from_be_bytes([file[7], file[8]]));
        let second = usize::from(u16::from_be_bytes([file[9], file[10]]));
        assert_eq!(&file[first..first + 2], &[0xDF, 0x22]);
        assert_eq!(&file[second..second + 2], &[0xDF, 0x23]);
        assert_eq!(second - first, children[0].len());
    }

    /// A two-byte tag's value length and header length at the start of `bytes` (a reader
    /// written for the test; the library's own reader is checked against the card's files in
    /// `tests/virtual_card_app_files.rs`).
    fn header(bytes: &[u8]) -> (u16, usize, usize) {
        let tag = u16::from_be_bytes([bytes[0], bytes[1]]);
        match bytes[2] {
            0x81 => (tag, usize::from(bytes[3]), 4),
            0x82 => (
                tag,
                usize::from(u16::from_be_bytes([bytes[3], bytes[4]])),
                5,
            ),
            short => (tag, usize::from(short), 3),
        }
    }

    #[test]
    fn offsets_hold_in_every_length_form() {
        for len in [0, 1, 126, 127, 128, 255, 256, 4000] {
            let file = with_offsets(0xFF20, 0xDF21, &[object(0xDF27, &vec![7; len])]);
            let (tag, body, outer) = header(&file);
            assert_eq!((tag, outer + body), (0xFF20, file.len()), "{len}");
            let (table_tag, table_len, table_header) = header(&file[outer..]);
            assert_eq!((table_tag, table_len), (0xDF21, 2), "{len}");
            let at = outer + table_header;
            let offset = usize::from(u16::from_be_bytes([file[at], file[at + 1]]));
            assert_eq!(offset, at + 2, "{len}");
            let (photo, photo_len, photo_header) = header(&file[offset..]);
            assert_eq!((photo, photo_len), (0xDF27, len));
            assert_eq!(offset + photo_header + photo_len, file.len());
        }
    }
}
