//! Kotlin, Swift and Python bindings of [`mynumbercard`], made with uniffi (proc-macros: one
//! definition for the three languages).
//!
//! - [`CardTransport`]: the one transport an app implements (Android `IsoDep`, iOS CoreNFC,
//!   `javax.smartcardio`, pyscard): `transceive(command) -> response`, its capabilities, and
//!   `close`; it raises [`TransportError`] (tag lost, timeout, other).
//! - [`MyNumberCard`]: one object per card session, `Send + Sync`, its calls serialized and
//!   blocking, each one task in one transaction: identify, read a certificate, PIN and access
//!   code statuses, verify-and-sign, the eligibility check in both modes, card-info and
//!   card-face reads, PIN change, the common and resident-registry applications' record and
//!   PIN tries, the master file's objects, the token info and certificate list, the
//!   genuineness check (card-verifiable certificate, signed record, challenge) and visual mode
//!   with it, `end_session` (also on drop); signatures whose algorithm comes from the certificate
//!   (`sign_message`: RSA-2048, ECDSA P-384) and signed documents (`sign_document`: detached
//!   CMS; [`verify_document`]).
//! - [`CardError`]: the one error, with the cases an app branches on; no message carries a
//!   secret.
//!
//! With the `test-card` feature the core's virtual card is exported too (`VirtualCard`), for
//! the bindings' tests and benchmarks.

#![warn(missing_docs)]

#[cfg(feature = "zeroize-on-free")]
mod alloc;
mod apps;
mod card;
mod document;
mod error;
mod genuine;
mod secret;
#[cfg(feature = "test-card")]
mod test_card;
mod transport;
mod types;

pub use apps::{
    CertificateAvailability, CertificatePresence, CommonRecord, DataObject, MasterFileData,
    TokenInfo,
};
pub use card::{access_code_b, MyNumberCard};
pub use document::{verify_document, DocumentError, KeyAlgorithm, Signature, VerifiedDocument};
pub use error::{CardError, SecretName};
pub use genuine::{
    age_on, birth_date_key, is_at_least, AgeRecord, GenuineOpener, GenuineVerdict, Hierarchy,
    NotProvenReason, StepVerdict,
};
pub use secret::Secret;
#[cfg(feature = "test-card")]
pub use test_card::{VirtualCard, VirtualCardConfig};
pub use transport::{CardInterface, CardTransport, TransportCapabilities, TransportError};
pub use types::*;

uniffi::setup_scaffolding!();
