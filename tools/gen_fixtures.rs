//! Regenerates the virtual card's fixtures in `src/virtual_card/fixtures/`:
//! seven RSA-2048 keys (PKCS#8 DER: the JPKI users and CAs, the card
//! applications' issuer and own key, the test-only CA of the card-verifiable certificates) from a fixed ChaCha20 seed, and the four certificates the
//! library issues from them (`mynumbercard::virtual_card::issue`).
//!
//! Run: `cargo run --release --example gen_fixtures`. The output is deterministic for a given
//! `rsa` version; the library's tests check that the committed certificates match what the
//! library issues from the committed keys.

use std::path::Path;

use mynumbercard::virtual_card::issue;
use mynumbercard::virtual_card::Holder;
use mynumbercard::KeyKind;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use rsa::pkcs8::EncodePrivateKey;
use rsa::RsaPrivateKey;

/// The fixed seed: changing it changes every fixture.
const SEED: [u8; 32] = *b"mynumbercard virtual card seed 1";

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn main() -> Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/virtual_card/fixtures");
    std::fs::create_dir_all(&dir)?;
    let mut rng = ChaCha20Rng::from_seed(SEED);
    // Order matters: each key consumes the generator's stream.
    let auth_ca = RsaPrivateKey::new(&mut rng, 2048)?;
    let sign_ca = RsaPrivateKey::new(&mut rng, 2048)?;
    let auth = RsaPrivateKey::new(&mut rng, 2048)?;
    let sign = RsaPrivateKey::new(&mut rng, 2048)?;
    // The card-info and card-face applications' issuer key and own key (added later: after the
    // four above, so those stay as they were).
    let card_ap_issuer = RsaPrivateKey::new(&mut rng, 2048)?;
    let card_ap = RsaPrivateKey::new(&mut rng, 2048)?;
    // The virtual card's own CA for card-verifiable certificates, test-only (added after the
    // six above, so those stay as they were).
    let cv_ca = RsaPrivateKey::new(&mut rng, 2048)?;

    let write = |name: &str, bytes: &[u8]| -> Result<()> {
        std::fs::write(dir.join(name), bytes)?;
        println!("wrote {name} ({} bytes)", bytes.len());
        Ok(())
    };
    write("auth_ca_key.pk8", auth_ca.to_pkcs8_der()?.as_bytes())?;
    write("sign_ca_key.pk8", sign_ca.to_pkcs8_der()?.as_bytes())?;
    write("auth_key.pk8", auth.to_pkcs8_der()?.as_bytes())?;
    write("sign_key.pk8", sign.to_pkcs8_der()?.as_bytes())?;
    write(
        "card_ap_issuer_key.pk8",
        card_ap_issuer.to_pkcs8_der()?.as_bytes(),
    )?;
    write("card_ap_key.pk8", card_ap.to_pkcs8_der()?.as_bytes())?;
    write("cv_ca_key.pk8", cv_ca.to_pkcs8_der()?.as_bytes())?;

    write(
        "auth_ca.der",
        &issue::ca_certificate(KeyKind::Auth, &auth_ca)?,
    )?;
    write(
        "sign_ca.der",
        &issue::ca_certificate(KeyKind::Sign, &sign_ca)?,
    )?;
    write(
        "auth.der",
        &issue::auth_certificate(&auth.to_public_key(), &auth_ca)?,
    )?;
    write(
        "sign.der",
        &issue::sign_certificate(&Holder::default(), &sign.to_public_key(), &sign_ca)?,
    )?;
    Ok(())
}
