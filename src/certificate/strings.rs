//! Decoding the ASN.1 string types real certificates use into Rust strings, strictly.
//!
//! J-LIS writes its names as UTF8String (C as PrintableString: see the bundled roots), and the
//! subjectAltName attributes are documented as UTF8String ("ASN.1 UTF8String" in public
//! verifiers; one real certificate dumped in a public write-up agrees). Other issuers and
//! older profiles use PrintableString, IA5String, BMPString (UCS-2) and TeletexString, so all
//! are read; a TeletexString is accepted only when it is plain ASCII, where T.61 and ASCII
//! agree. Anything else is refused rather than guessed at.

use der::asn1::{Ia5StringRef, PrintableStringRef};
use der::{Decode, Encode, Tag, Tagged};
use x509_cert::attr::AttributeValue;

/// Why a string value could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NotAString;

/// Decodes an attribute or otherName value of one of the accepted string types.
pub(crate) fn decode(value: &AttributeValue) -> Result<String, NotAString> {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String => std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| NotAString),
        Tag::PrintableString => reencode(value).and_then(|der| {
            PrintableStringRef::from_der(&der)
                .map(|s| s.as_str().to_owned())
                .map_err(|_| NotAString)
        }),
        Tag::Ia5String => reencode(value).and_then(|der| {
            Ia5StringRef::from_der(&der)
                .map(|s| s.as_str().to_owned())
                .map_err(|_| NotAString)
        }),
        Tag::BmpString => bmp(bytes),
        Tag::TeletexString if bytes.iter().all(|b| b.is_ascii() && !b.is_ascii_control()) => {
            std::str::from_utf8(bytes)
                .map(str::to_owned)
                .map_err(|_| NotAString)
        }
        _ => Err(NotAString),
    }
}

fn reencode(value: &AttributeValue) -> Result<Vec<u8>, NotAString> {
    value.to_der().map_err(|_| NotAString)
}

/// BMPString: UCS-2 big-endian, two bytes per character, no surrogates.
fn bmp(bytes: &[u8]) -> Result<String, NotAString> {
    let pairs = bytes.chunks_exact(2);
    if !pairs.remainder().is_empty() {
        return Err(NotAString);
    }
    pairs
        .map(|pair| match *pair {
            [high, low] => char::from_u32(u32::from(u16::from_be_bytes([high, low]))),
            _ => None,
        })
        .collect::<Option<String>>()
        .ok_or(NotAString)
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::asn1::{Any, BmpString, TeletexStringRef, Utf8StringRef};

    #[test]
    fn every_accepted_string_type_decodes() {
        let utf8 = Any::encode_from(&Utf8StringRef::new("仮想　太郎").unwrap()).unwrap();
        assert_eq!(decode(&utf8).unwrap(), "仮想　太郎");
        let printable = Any::encode_from(&PrintableStringRef::new("JP").unwrap()).unwrap();
        assert_eq!(decode(&printable).unwrap(), "JP");
        let ia5 = Any::encode_from(&Ia5StringRef::new("419900101").unwrap()).unwrap();
        assert_eq!(decode(&ia5).unwrap(), "419900101");
        let bmp = Any::encode_from(&BmpString::from_utf8("東京都").unwrap()).unwrap();
        assert_eq!(decode(&bmp).unwrap(), "東京都");
        let teletex = Any::encode_from(&TeletexStringRef::new("JPKI").unwrap()).unwrap();
        assert_eq!(decode(&teletex).unwrap(), "JPKI");
    }

    #[test]
    fn malformed_and_foreign_values_are_refused() {
        let bad_utf8 = Any::new(Tag::Utf8String, vec![0xFF, 0xFE]).unwrap();
        assert_eq!(decode(&bad_utf8), Err(NotAString));
        let odd_bmp = Any::new(Tag::BmpString, vec![0x00, 0x41, 0x00]).unwrap();
        assert_eq!(decode(&odd_bmp), Err(NotAString));
        let surrogate = Any::new(Tag::BmpString, vec![0xD8, 0x00]).unwrap();
        assert_eq!(decode(&surrogate), Err(NotAString));
        let printable_with_star = Any::new(Tag::PrintableString, b"a*b".to_vec()).unwrap();
        assert_eq!(decode(&printable_with_star), Err(NotAString));
        let latin1_teletex = Any::new(Tag::TeletexString, vec![0xE9]).unwrap();
        assert_eq!(decode(&latin1_teletex), Err(NotAString));
        let integer = Any::new(Tag::Integer, vec![0x01]).unwrap();
        assert_eq!(decode(&integer), Err(NotAString));
    }
}
