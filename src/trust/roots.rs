//! The J-LIS root certificates compiled into the library (DER).
//!
//! Production roots as published at <https://www.jpki.go.jp/ca/index.html> (the 2015 and 2023
//! files are byte-identical to the copies in two independent public projects); test roots
//! (`O=JPKI-TEST`) as read off J-LIS test cards, which J-LIS publishes no list of. Expired
//! roots stay: a signature made while a root was valid must still be checkable at that time.
//! SHA-256 digests of every file are checked by the tests.

use crate::certificate::CertificateKind;

/// User-authentication CA, generation 2015 (serial 01, valid until 2025-10-19).
pub const AUTH_CA_2015: &[u8] = include_bytes!("roots/authca01.cer");
/// User-authentication CA, generation 2019 (serial 0133C349, valid until 2029-09-14).
pub const AUTH_CA_2019: &[u8] = include_bytes!("roots/authca02.cer");
/// User-authentication CA, generation 2023 (serial 06D18006, valid until 2033-07-15).
pub const AUTH_CA_2023: &[u8] = include_bytes!("roots/authca03.cer");
/// Signature CA, generation 2015 (serial 01, valid until 2025-10-19).
pub const SIGN_CA_2015: &[u8] = include_bytes!("roots/signca01.cer");
/// Signature CA, generation 2019 (serial 0132C4AB, valid until 2029-09-14).
pub const SIGN_CA_2019: &[u8] = include_bytes!("roots/signca02.cer");
/// Signature CA, generation 2023 (serial 067C6A21, valid until 2033-07-15).
pub const SIGN_CA_2023: &[u8] = include_bytes!("roots/signca03.cer");

/// Test user-authentication CA (`O=JPKI-TEST`), 2019.
pub const TEST_AUTH_CA_2019: &[u8] = include_bytes!("roots/test/authca-test-2019.cer");
/// Test user-authentication CA (`O=JPKI-TEST`), 2023.
pub const TEST_AUTH_CA_2023: &[u8] = include_bytes!("roots/test/authca-test-2023.cer");
/// Test signature CA (`O=JPKI-TEST`), 2019.
pub const TEST_SIGN_CA_2019: &[u8] = include_bytes!("roots/test/signca-test-2019.cer");
/// Test signature CA (`O=JPKI-TEST`), 2024.
pub const TEST_SIGN_CA_2024: &[u8] = include_bytes!("roots/test/signca-test-2024.cer");

/// A bundled root and what it is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bundled {
    pub(crate) der: &'static [u8],
    pub(crate) kind: CertificateKind,
    pub(crate) generation: u16,
}

/// The six production roots.
pub(crate) const PRODUCTION: [Bundled; 6] = [
    bundled(AUTH_CA_2015, CertificateKind::AuthCa, 2015),
    bundled(AUTH_CA_2019, CertificateKind::AuthCa, 2019),
    bundled(AUTH_CA_2023, CertificateKind::AuthCa, 2023),
    bundled(SIGN_CA_2015, CertificateKind::SignCa, 2015),
    bundled(SIGN_CA_2019, CertificateKind::SignCa, 2019),
    bundled(SIGN_CA_2023, CertificateKind::SignCa, 2023),
];

/// The four test roots.
pub(crate) const TEST: [Bundled; 4] = [
    bundled(TEST_AUTH_CA_2019, CertificateKind::AuthCa, 2019),
    bundled(TEST_AUTH_CA_2023, CertificateKind::AuthCa, 2023),
    bundled(TEST_SIGN_CA_2019, CertificateKind::SignCa, 2019),
    bundled(TEST_SIGN_CA_2024, CertificateKind::SignCa, 2024),
];

const fn bundled(der: &'static [u8], kind: CertificateKind, generation: u16) -> Bundled {
    Bundled {
        der,
        kind,
        generation,
    }
}
