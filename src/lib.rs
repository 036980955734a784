#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod access_code;
pub mod algorithm;
pub mod apdu;
pub mod calendar;
mod card;
pub mod card_face;
pub mod card_info;
pub mod card_verifiable;
pub mod certificate;
#[cfg(feature = "cms")]
#[cfg_attr(docsrs, doc(cfg(feature = "cms")))]
pub mod cms;
pub mod commands;
pub mod common;
mod data_object;
pub mod der_header;
mod digest_info;
pub mod eligibility;
mod error;
pub mod exchange;
mod files;
pub mod genuine;
mod guard;
pub mod jpki;
pub mod juki;
pub mod latency;
pub mod master_file;
pub mod municipality;
#[doc = include_str!("../PERFORMANCE.md")]
pub mod performance {}
#[cfg(feature = "pcsc")]
#[cfg_attr(docsrs, doc(cfg(feature = "pcsc")))]
pub mod pcsc;
mod pin;
mod record;
mod signer;
pub mod tlv;
pub mod transport;
pub mod trust;
#[cfg(feature = "virtual-card")]
#[cfg_attr(docsrs, doc(cfg(feature = "virtual-card")))]
pub mod virtual_card;

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testing;

/// The [`der`](https://docs.rs/der/0.7) crate (0.7) the API speaks: object identifiers in
/// [`certificate::PublicKey`], `Decode`/`Encode` for certificates.
pub use der;
/// The [`rsa`](https://docs.rs/rsa/0.9) crate (0.9): the RSA key of a [`JpkiVerifyingKey`],
/// [`HashAlgorithm::pkcs1v15`].
pub use rsa;
/// The [`signature`](https://docs.rs/signature/2) crate (2) that [`JpkiSigner`] implements
/// (`Signer`, `PrehashSigner`, `Keypair`), as the `rsa` crate uses it.
pub use rsa::signature;
/// The [`sha2`](https://docs.rs/sha2/0.10) crate (0.10): SHA-256 for the digests
/// [`jpki::Jpki::sign_sha256`] takes and for the [`JpkiSigner`]'s verifying key.
pub use sha2;
/// The [`x509-cert`](https://docs.rs/x509-cert/0.2) crate (0.2, with its `builder`):
/// certificates as read from the card, requests signed with a [`JpkiSigner`].
pub use x509_cert;

pub use algorithm::KeyAlgorithm;
pub use apdu::StatusWord;
pub use card::{Application, Card};
pub use certificate::JpkiCertificate;
pub use certificate::{CertificateKind, ParseKindError};
pub use digest_info::HashAlgorithm;
pub use error::{Error, Result};
pub use jpki::{CardKind, KeyKind, LastTry, PinKind, PinStatus};
pub use pin::{AuthPin, Pin, PinFormatError, Secret, SignPin};
pub use signer::{JpkiSignature, JpkiSigner, JpkiVerifyingKey};
pub use transport::{Transport, TransportError};
pub use trust::{TrustAnchors, Trusted, Untrusted};
#[cfg(feature = "virtual-card")]
#[cfg_attr(docsrs, doc(cfg(feature = "virtual-card")))]
pub use virtual_card::VirtualCard;
