//! Regenerates the virtual card's fixtures in `src/virtual_card/fixtures/`:
//! seven RSA-2048 keys (PKCS#8 DER: the JPKI users and CAs, the card
//! applications' issuer and own key, the test-only CA of the card-verifiable certificates) from a fixed ChaCha20 seed, and the four certificates the
//! library issues from them (`mynumbercard::virtual_card::issue`); then, in `fixtures/p384/`,
//! the ECDSA P-384 credential's four keys from a seed of their own (so the RSA fixtures stay as
//! they were) and its four certificates (ECDSA signatures use RFC 6979 nonces: deterministic).
//!
//! Run: `cargo run --release --example gen_fixtures`. The output is deterministic for a given
//! `rsa` version; the library's tests check that the committed certificates match what the
//! library issues from the committed keys.

use std::path::Path;

use mynumbercard::virtual_card::issue;
use mynumbercard::virtual_card::Holder;
use mynumbercard::KeyKind;
use p384::ecdsa::SigningKey;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use rsa::pkcs8::EncodePrivateKey;
use rsa::RsaPrivateKey;

/// The fixed seed: changing it changes every RSA fixture.
const SEED: [u8; 32] = *b"mynumbercard virtual card seed 1";
/// The P-384 credential's seed.
const P384_SEED: [u8; 32] = *b"mynumbercard virtual P-384 seed1";

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

    // The ECDSA P-384 credential, in the same order.
    let mut rng = ChaCha20Rng::from_seed(P384_SEED);
    let auth_ca = SigningKey::random(&mut rng);
    let sign_ca = SigningKey::random(&mut rng);
    let auth = SigningKey::random(&mut rng);
    let sign = SigningKey::random(&mut rng);
    std::fs::create_dir_all(dir.join("p384"))?;
    for (name, key) in [
        ("auth_ca_key", &auth_ca),
        ("sign_ca_key", &sign_ca),
        ("auth_key", &auth),
        ("sign_key", &sign),
    ] {
        let secret = p384::SecretKey::from(key.as_nonzero_scalar());
        write(
            &format!("p384/{name}.pk8"),
            secret.to_pkcs8_der()?.as_bytes(),
        )?;
    }
    write(
        "p384/auth_ca.der",
        &issue::ca_certificate(KeyKind::Auth, &auth_ca)?,
    )?;
    write(
        "p384/sign_ca.der",
        &issue::ca_certificate(KeyKind::Sign, &sign_ca)?,
    )?;
    write(
        "p384/auth.der",
        &issue::auth_certificate(auth.verifying_key(), &auth_ca)?,
    )?;
    write(
        "p384/sign.der",
        &issue::sign_certificate(&Holder::default(), sign.verifying_key(), &sign_ca)?,
    )?;
    Ok(())
}
