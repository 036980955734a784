//! The commands the My Number Card answers, as typed constructors. Applications call these
//! and never build bytes themselves. The bytes are those the public implementations send
//! (OpenSC's JPKI driver, jpki/myna, myna-card), in the forms of ISO/IEC 7816-4.

use crate::apdu::{ApduError, Command};

/// Highest READ BINARY offset with P1 bit 8 clear (15-bit offset; bit 8 set means an SFI).
pub const MAX_READ_OFFSET: usize = 0x7FFF;

/// SELECT by DF name (AID), no response data: `00 A4 04 0C Lc <AID>` (OpenSC, jpki/myna and
/// myna-card send it this way).
pub fn select_application(aid: &[u8]) -> Command {
    Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(aid)
}

/// SELECT an EF by file id under the current DF: `00 A4 02 0C 02 <FID>` (OpenSC, jpki/myna and
/// myna-card send it this way; P1 = 09, select by path, fails on real cards).
pub fn select_file(fid: u16) -> Command {
    Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(fid.to_be_bytes())
}

/// READ BINARY of `ne` bytes (1–256) at `offset` (at most 0x7FFF) of the current EF:
/// `00 B0 P1 P2 Le`.
pub fn read_binary(offset: usize, ne: usize) -> Result<Command, ApduError> {
    if offset > MAX_READ_OFFSET {
        return Err(ApduError::OffsetOutOfRange { offset });
    }
    let [p1, p2] = (offset as u16).to_be_bytes();
    Ok(Command::new(0x00, 0xB0, p1, p2).with_le(ne))
}

/// The short file identifier (ISO/IEC 7816-4) of EF `fid`: its low five bits, for the ids
/// 0001–001E that the card's files use; `None` for any other id.
pub const fn short_file_id(fid: u16) -> Option<u8> {
    if fid >= 1 && fid <= 0x1E {
        Some(fid as u8)
    } else {
        None
    }
}

/// READ BINARY of `ne` bytes (1–65,536; over 256 is extended) at `offset` (at most 255) of
/// the EF with short file identifier `sfi`, no SELECT: `00 B0 80|SFI offset Le` (jsapdu and
/// myna-card read this way).
pub fn read_binary_sfi(sfi: u8, offset: u8, ne: usize) -> Command {
    Command::new(0x00, 0xB0, 0x80 | (sfi & 0x1F), offset).with_le(ne)
}

/// VERIFY with no data for the PIN in the EF with short file identifier `sfi`, no SELECT:
/// `00 20 00 80|SFI`, spending no try (jsapdu and myna-card ask this way).
pub fn verify_status_sfi(sfi: u8) -> Command {
    Command::new(0x00, 0x20, 0x00, 0x80 | (sfi & 0x1F))
}

/// VERIFY of the PIN in the EF with short file identifier `sfi`: `00 20 00 80|SFI Lc <PIN>`.
/// The lockout guard's alone.
pub(crate) fn verify_sfi(sfi: u8, pin: &[u8]) -> Command {
    Command::new(0x00, 0x20, 0x00, 0x80 | (sfi & 0x1F))
        .with_data(pin)
        .sensitive()
}

/// COMPUTE DIGITAL SIGNATURE with the key in the EF with short file identifier `sfi`, no
/// SELECT: `80 2A 00 80|SFI Lc <DigestInfo> 00` (only myna-card signs this way).
pub fn compute_digital_signature_sfi(sfi: u8, digest_info: &[u8]) -> Command {
    Command::new(0x80, 0x2A, 0x00, 0x80 | (sfi & 0x1F))
        .with_data(digest_info)
        .with_le(256)
}

/// VERIFY with no data: asks for the tries left of the selected PIN without spending one
/// (`00 20 00 80`); independent implementations agree (OpenSC, jpki/myna, myna-card).
pub fn verify_status() -> Command {
    Command::new(0x00, 0x20, 0x00, 0x80)
}

/// VERIFY the selected PIN: `00 20 00 80 Lc <PIN>`; the data is marked sensitive. The
/// lockout guard's alone.
pub(crate) fn verify(pin: &[u8]) -> Command {
    Command::new(0x00, 0x20, 0x00, 0x80)
        .with_data(pin)
        .sensitive()
}

/// CHANGE REFERENCE DATA of the selected PIN after a VERIFY: `00 24 01 80 Lc <new PIN>`
/// (jpki/myna, where it is marked untested, and myna-card). The lockout guard's alone.
pub(crate) fn change_reference_data(new_pin: &[u8]) -> Command {
    Command::new(0x00, 0x24, 0x01, 0x80)
        .with_data(new_pin)
        .sensitive()
}

/// COMPUTE DIGITAL SIGNATURE with the selected key over a DigestInfo; the card pads
/// (PKCS#1 v1.5 type 1, RFC 8017): `80 2A 00 80 Lc <DigestInfo> 00` (OpenSC, jpki/myna and
/// flutter_nfc_mynumber send it this way).
pub fn compute_digital_signature(digest_info: &[u8]) -> Command {
    Command::new(0x80, 0x2A, 0x00, 0x80)
        .with_data(digest_info)
        .with_le(256)
}

/// COMPUTE DIGITAL SIGNATURE with the current application's own key, P2 = `00`: `80 2A 00 00
/// Lc <DigestInfo> 00`. The card-face application answers it with the card's key (the one its
/// records carry), no credential needed: the challenge of the genuineness check (myna-card;
/// PocketSign's PIN-less flow does the same).
pub fn compute_digital_signature_with_application_key(digest_info: &[u8]) -> Command {
    Command::new(0x80, 0x2A, 0x00, 0x00)
        .with_data(digest_info)
        .with_le(256)
}

/// READ RECORD of record `record` (1–254) of the current EF for `ne` bytes: `00 B2 <record>
/// 04 Le`, P2 = `04` saying P1 is a record number (ISO/IEC 7816-4; myna-card reads the common
/// application's EF 0001 this way, after SELECT of the EF).
pub fn read_record(record: u8, ne: usize) -> Command {
    Command::new(0x00, 0xB2, record, 0x04).with_le(ne)
}

/// READ RECORD of record `record` of the EF with short file identifier `sfi` (1–30), no SELECT
/// of the EF: `00 B2 <record> <SFI << 3 | 04> Le` (ISO/IEC 7816-4). jpki/myna reads record 1 of
/// the common application's EF 0001 so: `00 B2 01 0C 00`.
pub fn read_record_sfi(sfi: u8, record: u8, ne: usize) -> Command {
    Command::new(0x00, 0xB2, record, ((sfi & 0x1F) << 3) | 0x04).with_le(ne)
}

/// GET DATA of the data object `tag` (P1‖P2) for `ne` bytes: `00 CA P1 P2 Le`, short for
/// `ne` ≤ 256, extended above. With no application selected the card answers the master
/// file's objects (only myna-card describes them; see [`master_file`](crate::master_file)).
pub fn get_data(tag: u16, ne: usize) -> Command {
    let [p1, p2] = tag.to_be_bytes();
    Command::new(0x00, 0xCA, p1, p2).with_le(ne)
}

/// GET RESPONSE for `ne` bytes (after `61xx`): `00 C0 00 00 Le`.
pub fn get_response(ne: usize) -> Command {
    Command::new(0x00, 0xC0, 0x00, 0x00).with_le(ne)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_the_card_documents_say() {
        let aid = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
        assert_eq!(
            hex::encode_upper(select_application(&aid).encode().unwrap()),
            "00A4040C0AD392F000260100000001"
        );
        assert_eq!(
            hex::encode_upper(select_file(0x000A).encode().unwrap()),
            "00A4020C02000A"
        );
        assert_eq!(
            hex::encode_upper(read_binary(0x0100, 256).unwrap().encode().unwrap()),
            "00B0010000"
        );
        assert!(read_binary(0x8000, 256).is_err());
        assert_eq!(
            hex::encode_upper(verify_status().encode().unwrap()),
            "00200080"
        );
        assert_eq!(
            verify(b"1234").to_trace_hex(),
            "0020008004********",
            "a PIN never reaches a trace"
        );
        assert_eq!(
            hex::encode_upper(compute_digital_signature(&[1, 2]).encode().unwrap()),
            "802A0080020102".to_owned() + "00"
        );
        assert_eq!(
            hex::encode_upper(
                compute_digital_signature_with_application_key(&[1, 2])
                    .encode()
                    .unwrap()
            ),
            "802A0000020102".to_owned() + "00"
        );
        assert_eq!(
            hex::encode_upper(get_data(0x00F8, 256).encode().unwrap()),
            "00CA00F800"
        );
        assert_eq!(
            hex::encode_upper(get_data(0x7F21, 4096).encode().unwrap()),
            "00CA7F21001000"
        );
        assert_eq!(
            hex::encode_upper(read_record_sfi(1, 1, 256).encode().unwrap()),
            "00B2010C00",
            "jpki/myna's READ RECORD of the common application's EF 0001"
        );
        assert_eq!(
            hex::encode_upper(read_record(1, 256).encode().unwrap()),
            "00B2010400"
        );
        assert_eq!(
            hex::encode_upper(get_data(0x00F0, 256).encode().unwrap()),
            "00CA00F000"
        );
        assert_eq!(
            hex::encode_upper(get_data(0x0045, 4096).encode().unwrap()),
            "00CA0045001000"
        );
    }
}
