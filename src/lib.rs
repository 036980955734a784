#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod access_code;
pub mod apdu;
pub mod calendar;
mod card;
pub mod card_face;
pub mod card_info;
pub mod certificate;
pub mod commands;
pub mod der_header;
mod digest_info;
pub mod eligibility;
mod error;
pub mod exchange;
mod files;
mod guard;
pub mod jpki;
pub mod latency;
#[doc = include_str!("../PERFORMANCE.md")]
pub mod performance {}
#[cfg(feature = "pcsc")]
pub mod pcsc;
mod pin;
mod record;
mod signer;
pub mod tlv;
pub mod transport;
pub mod trust;
#[cfg(feature = "virtual-card")]
pub mod virtual_card;

#[doc(hidden)]
pub mod fuzzing;
#[cfg(feature = "virtual-card")]
#[doc(hidden)]
pub mod testing;

pub use apdu::StatusWord;
pub use card::{Application, Card};
pub use certificate::CertificateKind;
pub use certificate::JpkiCertificate;
pub use digest_info::HashAlgorithm;
pub use error::{Error, Result};
pub use jpki::{CardKind, KeyKind, LastTry, PinKind, PinStatus};
pub use pin::{AuthPin, Pin, PinFormatError, Secret, SignPin};
pub use signer::JpkiSigner;
pub use transport::{Transport, TransportError};
pub use trust::{TrustAnchors, Trusted, Untrusted};
#[cfg(feature = "virtual-card")]
pub use virtual_card::VirtualCard;
