#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod apdu;
mod card;
pub mod commands;
pub mod der_header;
mod digest_info;
mod error;
pub mod exchange;
pub mod jpki;
#[cfg(feature = "pcsc")]
pub mod pcsc;
mod pin;
mod signer;
pub mod transport;
#[cfg(feature = "virtual-card")]
pub mod virtual_card;

#[doc(hidden)]
pub mod fuzzing;

pub use apdu::StatusWord;
pub use card::{Application, Card};
pub use digest_info::HashAlgorithm;
pub use error::{Error, Result};
pub use jpki::{CardKind, CertificateKind, KeyKind, LastTry, PinKind, PinStatus};
pub use pin::{AuthPin, Pin, PinFormatError, SignPin};
pub use signer::JpkiSigner;
pub use transport::{Transport, TransportError};
#[cfg(feature = "virtual-card")]
pub use virtual_card::VirtualCard;
