//! What a PC/SC reader reveals of itself: extended-length support from the PC/SC part 10
//! TLV properties (`FEATURE_GET_TLV_PROPERTIES`, `dwMaxAPDUDataSize`), contactless from the
//! ATR that PC/SC part 3 readers synthesise. Every reply is parsed within bounds.
//!
//! `dwMaxAPDUDataSize` is the most *data* an APDU carries (0: short APDUs only): CCID's
//! driver reports 65,535 or 65,536 for a reader that exchanges extended APDUs, vsmartcard's
//! vpcd 65,536 from its version 0.9 (vsmartcard 3.4) on. A command then takes 4 header bytes,
//! a 3-byte Lc and a 2-byte Le around its data, a response 2 status bytes after it.
//!
//! vpcd before that (0.8, in vsmartcard 3.3, which Debian 12 ships) answers no feature
//! request, yet forwards any APDU: its socket protocol frames each message with a 16-bit
//! length, so commands and responses of up to 65,535 bytes pass (this crate's `pcsc_stack`
//! test sends a 1,009-byte command and reads a 2,562-byte response through pcscd and vpcd
//! 0.8). Such a reader is known by the name vpcd's configuration gives its slots, `Virtual PCD`
//! (`Virtual PCD 00 00`, `00 01`), and reported as carrying extended APDUs of that size.

use crate::transport::{Capabilities, Interface};

/// `CM_IOCTL_GET_FEATURE_REQUEST`: lists the reader's features (PC/SC part 10).
const GET_FEATURE_REQUEST: u32 = 3400;
/// Feature tag of `FEATURE_GET_TLV_PROPERTIES`.
const FEATURE_GET_TLV_PROPERTIES: u8 = 0x12;
/// TLV property tag of `dwMaxAPDUDataSize`: 0 = short APDUs only.
const PROPERTY_MAX_APDU_DATA_SIZE: u8 = 0x0A;
/// The longest extended APDU (4-byte header, 3-byte Lc, 65,535 data bytes, 2-byte Le).
const MAX_EXTENDED_COMMAND: usize = 65_544;
/// The longest extended response (65,536 data bytes + SW1 SW2).
const MAX_EXTENDED_RESPONSE: usize = 65_538;
/// Bytes a command adds around its data in the extended form: header, Lc, Le.
const EXTENDED_COMMAND_OVERHEAD: usize = 4 + 3 + 2;
/// The prefix of the reader names vpcd's configuration gives (`Virtual PCD 00 00`).
const VPCD_READER_PREFIX: &str = "Virtual PCD ";
/// The longest message vpcd's socket protocol frames (a 16-bit length), each way.
const VPCD_MAX_MESSAGE: usize = 65_535;

/// The transport's capabilities from the reader's features, its name and the card's ATR.
pub(super) fn capabilities(card: &::pcsc::Card, reader: &str, atr: &[u8]) -> Capabilities {
    let interface = if is_contactless_atr(atr) {
        Interface::Contactless
    } else {
        Interface::Contact
    };
    let base = Capabilities {
        interface,
        ..Capabilities::default()
    };
    match max_apdu_data_size(card) {
        Some(size) if size > 0 => with_extended(base, size),
        _ if is_old_vpcd(reader) => vpcd(base),
        _ => base,
    }
}

/// Capabilities of a reader that reports `dwMaxAPDUDataSize` = `size` (> 0): commands of
/// `size` data bytes in the extended form, responses of `size` data bytes and the status word,
/// within what the extended form can say.
pub(super) fn with_extended(base: Capabilities, size: u32) -> Capabilities {
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    Capabilities {
        max_command_len: size
            .saturating_add(EXTENDED_COMMAND_OVERHEAD)
            .clamp(base.max_command_len, MAX_EXTENDED_COMMAND),
        max_response_len: size
            .saturating_add(2)
            .clamp(base.max_response_len, MAX_EXTENDED_RESPONSE),
        extended_length: true,
        ..base
    }
}

/// Whether `reader` is a slot of vpcd (which, before version 0.9, reports no properties).
pub(super) fn is_old_vpcd(reader: &str) -> bool {
    reader.starts_with(VPCD_READER_PREFIX)
}

/// Capabilities of a vpcd slot: extended APDUs, each way as long as vpcd frames them.
pub(super) fn vpcd(base: Capabilities) -> Capabilities {
    Capabilities {
        max_command_len: VPCD_MAX_MESSAGE,
        max_response_len: VPCD_MAX_MESSAGE,
        extended_length: true,
        ..base
    }
}

/// PC/SC part 3: a contactless card's ATR as a reader builds it, `3B 8n 80 01 …`.
pub(super) fn is_contactless_atr(atr: &[u8]) -> bool {
    matches!(atr, [0x3B, t0, 0x80, 0x01, ..] if t0 & 0xF0 == 0x80)
}

/// `dwMaxAPDUDataSize`, when the reader has `FEATURE_GET_TLV_PROPERTIES` (CCID readers do,
/// and vpcd from 0.9 on).
fn max_apdu_data_size(card: &::pcsc::Card) -> Option<u32> {
    let mut buffer = [0u8; 256];
    let features = card
        .control(
            ::pcsc::ctl_code(GET_FEATURE_REQUEST.into()),
            &[],
            &mut buffer,
        )
        .ok()?;
    let code = feature_control_code(features, FEATURE_GET_TLV_PROPERTIES)?;
    let mut buffer = [0u8; 256];
    let properties = card
        .control(::pcsc::ffi::DWORD::from(code), &[], &mut buffer)
        .ok()?;
    tlv_property_u32(properties, PROPERTY_MAX_APDU_DATA_SIZE)
}

/// The control code of feature `tag` in a GET_FEATURE_REQUEST reply: tag, length 4,
/// big-endian code, repeated.
pub(super) fn feature_control_code(mut tlvs: &[u8], tag: u8) -> Option<u32> {
    while let [t, len, rest @ ..] = tlvs {
        let len = usize::from(*len);
        let value = rest.get(..len)?;
        if *t == tag {
            return <[u8; 4]>::try_from(value).ok().map(u32::from_be_bytes);
        }
        tlvs = rest.get(len..)?;
    }
    None
}

/// Property `tag` of a TLV properties reply: tag, length (1, 2 or 4), little-endian value.
pub(super) fn tlv_property_u32(mut tlvs: &[u8], tag: u8) -> Option<u32> {
    while let [t, len, rest @ ..] = tlvs {
        let len = usize::from(*len);
        let value = rest.get(..len)?;
        if *t == tag {
            return match value {
                [a] => Some(u32::from(*a)),
                [a, b] => Some(u32::from(u16::from_le_bytes([*a, *b]))),
                [a, b, c, d] => Some(u32::from_le_bytes([*a, *b, *c, *d])),
                _ => None,
            };
        }
        tlvs = rest.get(len..)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_tlv_properties_feature() {
        // FEATURE_VERIFY_PIN_DIRECT (06) then FEATURE_GET_TLV_PROPERTIES (12).
        let reply = [
            0x06, 0x04, 0x42, 0x33, 0x00, 0x06, 0x12, 0x04, 0x42, 0x33, 0x00, 0x12,
        ];
        assert_eq!(feature_control_code(&reply, 0x12), Some(0x4233_0012));
        assert_eq!(feature_control_code(&reply, 0x0A), None);
    }

    #[test]
    fn truncated_or_odd_tlvs_give_nothing() {
        assert_eq!(feature_control_code(&[0x12, 0x04, 0x42], 0x12), None);
        assert_eq!(feature_control_code(&[0x12, 0x02, 0x42, 0x33], 0x12), None);
        assert_eq!(tlv_property_u32(&[0x0A, 0x03, 1, 2, 3], 0x0A), None);
        assert_eq!(tlv_property_u32(&[0x0A, 0xFF, 1], 0x0A), None);
        assert_eq!(tlv_property_u32(&[], 0x0A), None);
    }

    #[test]
    fn reads_max_apdu_data_size() {
        // wLcdLayout (01, 2 bytes), then dwMaxAPDUDataSize = 0x00010005 (65,541).
        let reply = [0x01, 0x02, 0x00, 0x00, 0x0A, 0x04, 0x05, 0x00, 0x01, 0x00];
        let size = tlv_property_u32(&reply, 0x0A);
        assert_eq!(size, Some(65_541));
        let caps = with_extended(Capabilities::default(), 65_541);
        assert!(caps.extended_length);
        assert_eq!(
            caps.max_command_len, 65_544,
            "capped at the extended form's longest"
        );
        assert_eq!(caps.max_response_len, 65_538);
        // What CCID's driver and vpcd 0.9 report: 64 KiB of data, or one byte less.
        for (size, response) in [(65_535, 65_537), (65_536, 65_538)] {
            let caps = with_extended(Capabilities::default(), size);
            assert_eq!(
                (caps.max_command_len, caps.max_response_len),
                (65_544, response)
            );
        }
        // A reader taking 1 KiB of data: 1,033-byte commands, 1,026-byte responses.
        let caps = with_extended(Capabilities::default(), 1024);
        assert_eq!((caps.max_command_len, caps.max_response_len), (1033, 1026));
        // A small size never lowers the short APDU limits.
        let caps = with_extended(Capabilities::default(), 16);
        assert_eq!((caps.max_command_len, caps.max_response_len), (261, 258));
    }

    #[test]
    fn vpcd_slots_carry_extended_apdus_of_its_frame_size() {
        assert!(is_old_vpcd("Virtual PCD 00 00"));
        assert!(is_old_vpcd("Virtual PCD 00 01"));
        assert!(!is_old_vpcd("Virtual PCD"));
        assert!(!is_old_vpcd(
            "ACS ACR1252 1S CL Reader [ACR1252 Dual Reader PICC] 00 00"
        ));
        let caps = vpcd(Capabilities::default());
        assert!(caps.extended_length);
        assert_eq!(
            (caps.max_command_len, caps.max_response_len),
            (65_535, 65_535)
        );
        assert!(!caps.exclusive);
    }

    #[test]
    fn recognises_synthesised_contactless_atrs() {
        // Type B card through a PC/SC part 3 reader.
        let atr = [
            0x3B, 0x88, 0x80, 0x01, 0, 0, 0, 0, 0x33, 0x81, 0x81, 0x00, 0x3A,
        ];
        assert!(is_contactless_atr(&atr));
        assert!(!is_contactless_atr(&[0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31]));
        assert!(!is_contactless_atr(&[0x3B]));
    }
}
