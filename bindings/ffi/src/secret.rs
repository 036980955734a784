//! Secrets (PINs, access codes) as they cross from Kotlin, Swift or Python: a byte array the
//! caller can wipe, lifted into a [`Zeroizing`] buffer, and the FFI buffer it came in wiped
//! on arrival.
//!
//! uniffi's own `Vec<u8>` lifting copies the bytes out of the foreign-filled `RustBuffer` and
//! frees that buffer as it is. [`Secret`] lifts by hand instead: the buffer is taken over,
//! its bytes copied into a zeroizing vector, and the buffer wiped before it is freed. To the
//! foreign side it is an ordinary byte array (`ByteArray`, `Data`, `bytes`).

use uniffi::{metadata, MetadataBuffer, RustBuffer};
use zeroize::{Zeroize, Zeroizing};

/// The longest secret accepted from the foreign side. The card's longest is the 16-character
/// signature PIN; anything far longer is refused before it is copied.
pub(crate) const MAX_SECRET_LEN: usize = 64;

/// A PIN or access code from the foreign side, wiped when dropped. No `Debug` shows it.
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// The bytes as UTF-8 text (ASCII for every secret the card takes), or `None`.
    pub(crate) fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// A secret from bytes held on the Rust side (the Rust tests; foreign callers pass a
    /// byte array). The vector is taken over and wiped when the secret is dropped.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(REDACTED)")
    }
}

/// Reads a uniffi byte array (big-endian `i32` length, then the bytes) into a zeroizing
/// vector, refusing a negative, truncated or over-long one.
fn read_secret(buf: &mut &[u8]) -> uniffi::Result<Secret> {
    let (len, rest) = buf
        .split_first_chunk::<4>()
        .ok_or_else(|| uniffi::deps::anyhow::anyhow!("secret: no length"))?;
    let len = usize::try_from(i32::from_be_bytes(*len))
        .map_err(|_| uniffi::deps::anyhow::anyhow!("secret: negative length"))?;
    let (bytes, rest) = rest
        .split_at_checked(len)
        .ok_or_else(|| uniffi::deps::anyhow::anyhow!("secret: truncated"))?;
    let mut out = Zeroizing::new(Vec::with_capacity(len.min(MAX_SECRET_LEN + 1)));
    // An over-long secret keeps one byte past the cap: enough for the length check to refuse
    // it, never the whole of it.
    out.extend_from_slice(bytes.get(..len.min(MAX_SECRET_LEN + 1)).unwrap_or(bytes));
    *buf = rest;
    Ok(Secret(out))
}

// SAFETY: `Secret` is lowered nowhere (it only comes from the foreign side) and lifts from
// the same wire format as `Vec<u8>` (`TYPE_VEC` of `TYPE_U8`), so the generated bindings
// treat it as the byte array they already pass; `try_lift` takes ownership of a buffer the
// foreign side filled by `rustbuffer_alloc`, exactly as the `Vec<u8>` lifting does.
unsafe impl uniffi::Lift<crate::UniFfiTag> for Secret {
    type FfiType = RustBuffer;

    fn try_lift(buf: RustBuffer) -> uniffi::Result<Self> {
        let mut bytes = buf.destroy_into_vec();
        let result = (|| {
            let mut rest = bytes.as_slice();
            let secret = read_secret(&mut rest)?;
            if !rest.is_empty() {
                uniffi::deps::anyhow::bail!("secret: junk after the bytes");
            }
            Ok(secret)
        })();
        // Wipes the buffer the foreign side wrote the secret into (its whole capacity).
        bytes.zeroize();
        result
    }

    fn try_read(buf: &mut &[u8]) -> uniffi::Result<Self> {
        read_secret(buf)
    }
}

impl uniffi::TypeId<crate::UniFfiTag> for Secret {
    const TYPE_ID_META: MetadataBuffer =
        MetadataBuffer::from_code(metadata::codes::TYPE_VEC).concat_value(metadata::codes::TYPE_U8);
}

#[cfg(test)]
mod tests {
    use super::*;
    use uniffi::Lift;

    fn wire(bytes: &[u8]) -> Vec<u8> {
        let mut out = (bytes.len() as i32).to_be_bytes().to_vec();
        out.extend_from_slice(bytes);
        out
    }

    #[test]
    fn lifts_the_bytes_and_refuses_bad_framing() {
        let secret =
            <Secret as Lift<crate::UniFfiTag>>::try_lift(RustBuffer::from_vec(wire(b"1234")))
                .unwrap();
        assert_eq!(secret.as_str(), Some("1234"));
        assert_eq!(format!("{secret:?}"), "Secret(REDACTED)");

        let mut truncated = wire(b"1234");
        truncated.pop();
        assert!(
            <Secret as Lift<crate::UniFfiTag>>::try_lift(RustBuffer::from_vec(truncated)).is_err()
        );
        let mut junk = wire(b"1234");
        junk.push(0);
        assert!(<Secret as Lift<crate::UniFfiTag>>::try_lift(RustBuffer::from_vec(junk)).is_err());
        let negative = (-1i32).to_be_bytes().to_vec();
        assert!(
            <Secret as Lift<crate::UniFfiTag>>::try_lift(RustBuffer::from_vec(negative)).is_err()
        );
    }

    #[test]
    fn an_over_long_secret_is_cut_one_past_the_cap() {
        let long = vec![b'1'; 1000];
        let secret =
            <Secret as Lift<crate::UniFfiTag>>::try_lift(RustBuffer::from_vec(wire(&long)))
                .unwrap();
        assert_eq!(secret.0.len(), MAX_SECRET_LEN + 1);
    }
}
