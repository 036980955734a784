//! OpenSC interop: OpenSC's JPKI driver (`card-jpki.c`, `pkcs15-jpki.c`), an independent
//! implementation used with real cards, reads the virtual card served through pcscd and
//! vpcd. Run through the stack:
//!
//! ```text
//! scripts/with-virtual-reader.sh cargo test --features pcsc --test opensc_interop -- --ignored
//! ```
//!
//! They are `#[ignore]`d unless asked for (`--ignored`), and fail without the stack or OpenSC.

#![cfg(feature = "pcsc")]

mod stack;

use std::process::{Command, Output};

use mynumbercard::{CertificateKind, PinKind, PinStatus, SignPin, VirtualCard};
use sha2::{Digest, Sha256};

/// The reader, once the stack and OpenSC's tools are there ([`stack::reader`]); fails the
/// test otherwise.
fn opensc_reader() -> String {
    let reader = stack::reader();
    if let Err(e) = Command::new("pkcs15-tool").arg("--version").output() {
        panic!("pkcs15-tool: {e} (apt-get install opensc)");
    }
    reader
}

/// Runs an OpenSC tool on `reader` and returns its output, failing with its stderr.
fn opensc(tool: &str, reader: &str, args: &[&str]) -> Output {
    let output = Command::new(tool)
        .args(["--reader", reader])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run {tool}: {e}"));
    assert!(
        output.status.success(),
        "{tool} {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// OpenSC leaves a verified PIN verified when it disconnects; a later OpenSC run then fails
/// to bind (its JPKI driver wants `63Cx` from the empty VERIFY, a verified card answers
/// `9000`). Our library finds the verified state and ends its session by unpowering.
fn clear_verified_state(reader: &str) {
    let mut card = stack::connect(reader);
    for kind in [PinKind::Auth, PinKind::Sign] {
        let status = card.jpki().pin_status(kind).expect("status");
        if status == PinStatus::Verified {
            eprintln!("OpenSC left the {kind:?} PIN verified: unpowering the card");
        }
    }
    card.close().expect("close");
}

#[test]
#[ignore = "needs pcscd with the virtual reader and OpenSC: scripts/with-virtual-reader.sh cargo test --features pcsc --test opensc_interop -- --ignored"]
fn opensc_lists_two_pins_two_keys_and_the_certificates() {
    let _serial = stack::serial();
    let reader = opensc_reader();
    clear_verified_state(&reader);
    let output = opensc("pkcs15-tool", &reader, &["-D"]);
    let listing = String::from_utf8_lossy(&output.stdout);
    println!("{listing}");
    assert!(listing.contains("PKCS#15 Card [JPKI]"), "{listing}");
    assert_eq!(listing.matches("\nPIN [").count(), 2, "{listing}");
    assert!(listing.contains("PIN [User Authentication PIN]"));
    assert!(listing.contains("PIN [Digital Signature PIN]"));
    assert_eq!(
        listing.matches("\nPrivate RSA Key [").count(),
        2,
        "{listing}"
    );
    assert!(listing.contains("Private RSA Key [User Authentication Key]"));
    assert!(listing.contains("Private RSA Key [Digital Signature Key]"));
    assert_eq!(
        listing.matches("\nX.509 Certificate [").count(),
        4,
        "{listing}"
    );
    // OpenSC asks the tries with the empty VERIFY, as the library does.
    assert!(listing.contains("Tries left     : 3"));
    assert!(listing.contains("Tries left     : 5"));
}

/// OpenSC's ids: 01 auth, 02 sign, 03 auth CA, 04 sign CA (`pkcs15-jpki.c`).
fn opensc_certificate(reader: &str, id: &str, pin: Option<&str>) -> Vec<u8> {
    let mut args = vec!["--read-certificate", id];
    if let Some(pin) = pin {
        args.extend(["--verify-pin", "--auth-id", id, "--pin", pin]);
    }
    let output = opensc("pkcs15-tool", reader, &args);
    let pem = String::from_utf8_lossy(&output.stdout);
    let start = pem.find("-----BEGIN").expect("PEM in the output");
    let (label, der) = pem_rfc7468::decode_vec(pem[start..].as_bytes()).expect("PEM");
    assert_eq!(label, "CERTIFICATE");
    der
}

#[test]
#[ignore = "needs pcscd with the virtual reader and OpenSC: scripts/with-virtual-reader.sh cargo test --features pcsc --test opensc_interop -- --ignored"]
fn opensc_reads_the_same_certificates_as_the_library() {
    let _serial = stack::serial();
    let reader = opensc_reader();
    clear_verified_state(&reader);
    let mut card = stack::connect(&reader);
    let pin = SignPin::new(VirtualCard::DEFAULT_SIGN_PIN).expect("valid PIN");
    card.jpki().verify_pin(&pin).expect("verify");
    let ours: Vec<(CertificateKind, Vec<u8>)> = CertificateKind::ALL
        .iter()
        .map(|&kind| (kind, card.jpki().read_certificate_der(kind).expect("read")))
        .collect();
    card.close().expect("close");

    for (kind, der) in ours {
        let theirs = match kind {
            CertificateKind::Auth => opensc_certificate(&reader, "01", None),
            CertificateKind::Sign => {
                opensc_certificate(&reader, "02", Some(VirtualCard::DEFAULT_SIGN_PIN))
            }
            CertificateKind::AuthCa => opensc_certificate(&reader, "03", None),
            CertificateKind::SignCa => opensc_certificate(&reader, "04", None),
            other => panic!("OpenSC's JPKI driver lists no {other:?} certificate"),
        };
        assert_eq!(
            theirs, der,
            "{kind:?}: OpenSC and the library read different bytes"
        );
        clear_verified_state(&reader);
    }
}

#[test]
#[ignore = "needs pcscd with the virtual reader and OpenSC: scripts/with-virtual-reader.sh cargo test --features pcsc --test opensc_interop -- --ignored"]
fn a_signature_made_through_opensc_verifies_against_the_auth_certificate() {
    let _serial = stack::serial();
    let reader = opensc_reader();
    clear_verified_state(&reader);
    let dir = std::env::temp_dir().join(format!("mynumbercard-opensc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let digest: [u8; 32] = Sha256::digest(b"signed by OpenSC's JPKI driver").into();
    let input = dir.join("digest.bin");
    let output = dir.join("signature.bin");
    std::fs::write(&input, digest).expect("write digest");
    let args = [
        "--sign",
        "--key",
        "01",
        "--pin",
        VirtualCard::DEFAULT_AUTH_PIN,
        "--sha-256",
        "--pkcs1",
        "--input",
        input.to_str().expect("utf-8 path"),
        "--output",
        output.to_str().expect("utf-8 path"),
    ];
    opensc("pkcs15-crypt", &reader, &args);
    let signature = std::fs::read(&output).expect("signature");
    let _ = std::fs::remove_dir_all(&dir);
    clear_verified_state(&reader);

    let mut card = stack::connect(&reader);
    let der = card
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .expect("read");
    card.close().expect("close");
    assert_eq!(signature.len(), 256);
    assert!(stack::verifies(&der, &digest, &signature));
}
