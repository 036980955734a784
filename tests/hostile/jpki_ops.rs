//! The JPKI operations of [`super::ops`].

use super::{auth_pin, read, sign_pin, submits, wrong_auth, wrong_sign, Op, Secret, Value, DIGEST};
use mynumbercard::{CertificateKind, HashAlgorithm, KeyKind, LastTry, PinKind};
use rsa::signature::{Keypair, Signer, Verifier};

/// The JPKI application's operations, and transactions over them.
pub const OPS: &[Op] = &[
    Op {
        name: "identify",
        submits: None,
        signs: false,
        run: |c| c.jpki().identify().map(Value::Kind),
    },
    Op {
        name: "select",
        submits: None,
        signs: false,
        run: |c| c.jpki().select().map(|()| Value::Unit),
    },
    Op {
        name: "read auth certificate",
        submits: None,
        signs: false,
        run: |c| read(c, CertificateKind::Auth),
    },
    Op {
        name: "read auth CA certificate",
        submits: None,
        signs: false,
        run: |c| read(c, CertificateKind::AuthCa),
    },
    Op {
        name: "read sign CA certificate",
        submits: None,
        signs: false,
        run: |c| read(c, CertificateKind::SignCa),
    },
    Op {
        name: "read sign certificate without PIN",
        submits: None,
        signs: false,
        run: |c| read(c, CertificateKind::Sign),
    },
    Op {
        name: "read certificate (parsed)",
        submits: None,
        signs: false,
        run: |c| {
            let cert = c.jpki().read_certificate(CertificateKind::AuthCa)?;
            Ok(Value::Certificate(
                der::Encode::to_der(&cert).unwrap_or_default(),
            ))
        },
    },
    Op {
        name: "pin status auth",
        submits: None,
        signs: false,
        run: |c| c.jpki().pin_status(PinKind::Auth).map(Value::Status),
    },
    Op {
        name: "pin status sign",
        submits: None,
        signs: false,
        run: |c| c.jpki().pin_status(PinKind::Sign).map(Value::Status),
    },
    Op {
        name: "verify auth PIN",
        submits: submits(Secret::Auth, true, LastTry::Refuse),
        signs: false,
        run: |c| c.jpki().verify_pin(&auth_pin()).map(|()| Value::Unit),
    },
    Op {
        name: "verify wrong auth PIN",
        submits: submits(Secret::Auth, false, LastTry::Refuse),
        signs: false,
        run: |c| c.jpki().verify_pin(&wrong_auth()).map(|()| Value::Unit),
    },
    Op {
        name: "verify wrong sign PIN, last try allowed",
        submits: submits(Secret::Sign, false, LastTry::Allow),
        signs: false,
        run: |c| {
            c.jpki()
                .verify_pin_with(&wrong_sign(), LastTry::Allow)
                .map(|()| Value::Unit)
        },
    },
    Op {
        name: "change auth PIN (to itself)",
        submits: submits(Secret::Auth, true, LastTry::Refuse),
        signs: false,
        run: |c| {
            c.jpki()
                .change_pin(&auth_pin(), &auth_pin(), LastTry::Refuse)
                .map(|()| Value::Unit)
        },
    },
    Op {
        name: "read sign certificate after its PIN",
        submits: submits(Secret::Sign, true, LastTry::Refuse),
        signs: false,
        run: |c| {
            c.transaction(|c| {
                c.jpki().verify_pin(&sign_pin())?;
                read(c, CertificateKind::Sign)
            })
        },
    },
    Op {
        name: "transaction: status and certificate",
        submits: None,
        signs: false,
        run: |c| {
            c.transaction(|c| {
                let status = c.jpki().pin_status(PinKind::Auth)?;
                let der = c.jpki().read_certificate_der(CertificateKind::Auth)?;
                Ok(Value::Many(vec![
                    Value::Status(status),
                    Value::Certificate(der),
                ]))
            })
        },
    },
    Op {
        name: "sign_sha256 after verify",
        submits: submits(Secret::Auth, true, LastTry::Refuse),
        signs: true,
        run: |c| {
            c.transaction(|c| {
                c.jpki().verify_pin(&auth_pin())?;
                c.jpki()
                    .sign_sha256(KeyKind::Auth, &DIGEST)
                    .map(Value::Signature)
            })
        },
    },
    Op {
        name: "sign_digest SHA-384 after verify",
        submits: submits(Secret::Auth, true, LastTry::Refuse),
        signs: true,
        run: |c| {
            c.transaction(|c| {
                c.jpki().verify_pin(&auth_pin())?;
                c.jpki()
                    .sign_digest(KeyKind::Auth, HashAlgorithm::Sha384, &[0x11; 48])
                    .map(Value::Signature)
            })
        },
    },
    Op {
        name: "sign_digest_checked",
        submits: submits(Secret::Auth, true, LastTry::Refuse),
        signs: true,
        run: |c| {
            c.transaction(|c| {
                let der = c.jpki().read_certificate_der(CertificateKind::Auth)?;
                c.jpki().verify_pin(&auth_pin())?;
                c.jpki()
                    .sign_digest_checked(KeyKind::Auth, HashAlgorithm::Sha256, &DIGEST, &der)
                    .map(Value::CheckedSignature)
            })
        },
    },
    Op {
        name: "sign_sha256_with_pin",
        submits: submits(Secret::Auth, true, LastTry::Refuse),
        signs: true,
        run: |c| {
            c.jpki()
                .sign_sha256_with_pin(&auth_pin(), &DIGEST, LastTry::Refuse)
                .map(Value::Signature)
        },
    },
    Op {
        name: "signer",
        submits: submits(Secret::Auth, true, LastTry::Refuse),
        signs: true,
        run: |c| {
            let mut jpki = c.jpki();
            jpki.verify_pin(&auth_pin())?;
            let signer = jpki.signer(KeyKind::Auth)?;
            // The signer checks each signature against the certificate it read.
            let signature = signer.try_sign(b"hostile").map_err(|e| {
                let source = std::error::Error::source(&e);
                match source.and_then(|s| s.downcast_ref::<mynumbercard::Error>()) {
                    Some(mynumbercard::Error::SecurityStatusNotSatisfied) => {
                        mynumbercard::Error::SecurityStatusNotSatisfied
                    }
                    _ => mynumbercard::Error::SignatureMismatch,
                }
            })?;
            assert!(signer
                .verifying_key()
                .verify(b"hostile", &signature)
                .is_ok());
            Ok(Value::CheckedSignature(signature.to_vec()))
        },
    },
];
