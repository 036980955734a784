//! What kind of JPKI credential the virtual card plays: the token information file (EF 0006)
//! in either size, the certificate list (EF 0008), a card without a signature certificate and
//! the Android smartphone credential.
//!
//! - EF 0006: the label padded to 32 bytes (OpenSC, jpki/myna), or, as myna-card reads a real
//!   card's, a 160-byte PKCS #11 `CK_TOKEN_INFO` with the label first: manufacturer id (32),
//!   model (16), serial number (16), then 32-bit big-endian flags, session counts, PIN
//!   lengths and memory counters, two 2-byte versions (myna-card saw ASCII `03` and `01`) and a
//!   16-byte time.
//! - EF 0008: three bytes, `8F 8F 00` on a card holding both certificates (myna-card only);
//!   `00 8F 00` here for a card without the signature certificate (myna-card's own example,
//!   no real card's).
//! - Holders under 15 get no signature certificate. What such a card answers is not
//!   published: the virtual card lacks the signature certificate, key and PIN files (EF 0001,
//!   001A, 001B answer SELECT with `6A82`) and keeps the signature CA certificate (choices).
//! - The Android credential (`JPKIAPGPSETOKEN`) gives its user-authentication certificate
//!   only after the auth PIN (only jpki/myna reports it, from a user's crash report): READ
//!   BINARY of EF 000A answers `6982` until the auth PIN is verified (the status word is a
//!   choice, the one the signature certificate gives).
//!
//! Choices for the 160-byte record: manufacturer `VIRTUAL CARD`, model `JPKI`, serial number
//! `0000000000000001`, flags `CKF_RNG | CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED |
//! CKF_TOKEN_INITIALIZED`, PIN lengths 4 to 16, counts and memory "unavailable".

use super::files;
#[cfg(test)]
use super::files::TOKEN_LEN;

/// The Android credential's label (jpki/myna, myna-card).
pub const ANDROID_TOKEN: &[u8] = b"JPKIAPGPSETOKEN";
/// The iPhone credential's label (jpki/myna, myna-card).
pub const IPHONE_TOKEN: &[u8] = b"JPKIAPIOSTOKEN";
/// The size of the PKCS #11 record (myna-card).
pub const TOKEN_RECORD_LEN: usize = 160;
/// EF 0008 of a card holding both certificates.
pub const BOTH_CERTIFICATES: [u8; 3] = [0x8F, 0x8F, 0x00];
/// EF 0008 of a card without the signature certificate.
pub const AUTH_CERTIFICATE_ONLY: [u8; 3] = [0x00, 0x8F, 0x00];

/// `label` padded with spaces to `len`, cut at `len`.
fn padded(label: &[u8], len: usize) -> Vec<u8> {
    let mut field: Vec<u8> = label.iter().copied().take(len).collect();
    field.resize(len, b' ');
    field
}

/// EF 0006: the label field alone (32 bytes) or the whole 160-byte record.
pub fn token_file(label: &[u8], record: bool) -> Vec<u8> {
    let mut file = files::token_file(label);
    if !record {
        return file;
    }
    file.extend(padded(b"VIRTUAL CARD", 32));
    file.extend(padded(b"JPKI", 16));
    file.extend(padded(b"0000000000000001", 16));
    // CKF_RNG | CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED | CKF_TOKEN_INITIALIZED.
    let flags: u32 = 0x0000_0001 | 0x0000_0004 | 0x0000_0008 | 0x0000_0400;
    const UNAVAILABLE: u32 = u32::MAX;
    for word in [
        flags,
        UNAVAILABLE, // max sessions
        UNAVAILABLE, // sessions
        UNAVAILABLE, // max read/write sessions
        UNAVAILABLE, // read/write sessions
        16,          // max PIN length
        4,           // min PIN length
        UNAVAILABLE, // total public memory
        UNAVAILABLE, // free public memory
        UNAVAILABLE, // total private memory
        UNAVAILABLE, // free private memory
    ] {
        file.extend_from_slice(&word.to_be_bytes());
    }
    file.extend_from_slice(b"0301");
    file.extend(padded(b"", 16));
    debug_assert_eq!(file.len(), TOKEN_RECORD_LEN);
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_is_160_bytes_with_the_label_first() {
        let file = token_file(b"JPKIAPICCTOKEN2", true);
        assert_eq!(file.len(), TOKEN_RECORD_LEN);
        assert_eq!(&file[..16], b"JPKIAPICCTOKEN2 ");
        assert_eq!(&file[96..100], &0x40Du32.to_be_bytes());
        assert_eq!(&file[116..124], &[0, 0, 0, 16, 0, 0, 0, 4]);
        assert_eq!(token_file(ANDROID_TOKEN, false).len(), TOKEN_LEN);
        assert_eq!(token_file(&[b'X'; 40], true).len(), TOKEN_RECORD_LEN);
    }
}
