//! The APDU budget of the reads beyond the JPKI operations: the common and resident-registry
//! applications, the master file's objects, the JPKI token files, and what a card without a
//! signature certificate and the Android credential cost. Each runs from a fresh session on
//! the default virtual card (it takes extended length and short file identifiers, behind a
//! reader carrying extended APDUs) unless it says otherwise, with the count the library sends
//! and the fewest the operation allows, and why the two differ where they do.

use mynumbercard::eligibility::Confirmation;
use mynumbercard::transport::Transport;
use mynumbercard::virtual_card::Reader;
use mynumbercard::{AuthPin, Card, CertificateKind, LastTry, Result, SignPin, VirtualCard};

/// One read, from a session that has sent nothing yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppOp {
    /// `card.common().read_card_record()`.
    CommonRecord,
    /// `card.common().pin_status()`.
    CommonPinStatus,
    /// `card.juki().pin_status()`.
    JukiPinStatus,
    /// `card.master_file().read_card_data()`.
    MasterFileData,
    /// The same on a card wanting an extended Le, over a transport carrying one.
    MasterFileDataExtended,
    /// The same on a card wanting an extended Le, over a short-only transport.
    MasterFileDataShortOnly,
    /// `card.jpki().token_info()`.
    TokenInfo,
    /// `card.jpki().certificate_availability()`.
    CertificateAvailability,
    /// `card.jpki().verify_pin(&sign_pin)` on a card without a signature certificate:
    /// `Error::NoSignatureCertificate`.
    NoSignatureCertificate,
    /// `card.jpki().read_certificate_der(Auth)` on the Android credential, no PIN:
    /// `Error::AuthCertificateNeedsPin`.
    AndroidAuthCertificate,
    /// The same, a second time in the session.
    AndroidAuthCertificateAgain,
    /// `card.eligibility_check(PIN mode)` on the Android credential, first in the session.
    AndroidPinMode,
    /// `card.eligibility_check(PIN mode)` on the plastic card, for comparison.
    PlasticPinMode,
}

/// Every row.
pub const APP_OPS: [AppOp; 13] = [
    AppOp::CommonRecord,
    AppOp::CommonPinStatus,
    AppOp::JukiPinStatus,
    AppOp::MasterFileData,
    AppOp::MasterFileDataExtended,
    AppOp::MasterFileDataShortOnly,
    AppOp::TokenInfo,
    AppOp::CertificateAvailability,
    AppOp::NoSignatureCertificate,
    AppOp::AndroidAuthCertificate,
    AppOp::AndroidAuthCertificateAgain,
    AppOp::AndroidPinMode,
    AppOp::PlasticPinMode,
];

fn pin_mode<T: Transport>(card: &mut Card<T>) -> Result<()> {
    let pin = AuthPin::new("1234")?;
    card.eligibility_check(Confirmation::Pin {
        pin: &pin,
        challenge: b"nonce",
        last_try: LastTry::Refuse,
    })
    .map(drop)
}

impl AppOp {
    /// A short name for the table.
    pub fn name(self) -> &'static str {
        match self {
            AppOp::CommonRecord => "common().read_card_record",
            AppOp::CommonPinStatus => "common().pin_status",
            AppOp::JukiPinStatus => "juki().pin_status",
            AppOp::MasterFileData => "master_file().read_card_data",
            AppOp::MasterFileDataExtended => "read_card_data, card wants extended Le",
            AppOp::MasterFileDataShortOnly => {
                "read_card_data, card wants extended Le, short-only reader"
            }
            AppOp::TokenInfo => "jpki().token_info",
            AppOp::CertificateAvailability => "jpki().certificate_availability",
            AppOp::NoSignatureCertificate => "verify_pin(sign), no signature certificate",
            AppOp::AndroidAuthCertificate => "read_certificate_der(auth), Android, no PIN",
            AppOp::AndroidAuthCertificateAgain => "the same, again in the session",
            AppOp::AndroidPinMode => "eligibility_check/pin, Android, first",
            AppOp::PlasticPinMode => "eligibility_check/pin, plastic",
        }
    }

    /// Runs the read on its card; the APDUs sent.
    pub fn apdus(self) -> u64 {
        let builder = VirtualCard::builder();
        let vc = match self {
            AppOp::MasterFileDataExtended => builder.master_file_needs_extended_le(),
            AppOp::MasterFileDataShortOnly => builder
                .master_file_needs_extended_le()
                .reader(Reader::ShortOnly),
            AppOp::NoSignatureCertificate => builder.without_signature_certificate(),
            AppOp::AndroidAuthCertificate
            | AppOp::AndroidAuthCertificateAgain
            | AppOp::AndroidPinMode => builder.android_credential(),
            _ => builder,
        }
        .build();
        let mut card = Card::new(vc);
        let ran = match self {
            AppOp::CommonRecord => card.common().read_card_record().map(drop),
            AppOp::CommonPinStatus => card.common().pin_status().map(drop),
            AppOp::JukiPinStatus => card.juki().pin_status().map(drop),
            AppOp::MasterFileData
            | AppOp::MasterFileDataExtended
            | AppOp::MasterFileDataShortOnly => card.master_file().read_card_data().map(drop),
            AppOp::TokenInfo => card.jpki().token_info().map(drop),
            AppOp::CertificateAvailability => card.jpki().certificate_availability().map(drop),
            AppOp::NoSignatureCertificate => {
                let pin = SignPin::new("ABC123").expect("valid");
                match card.jpki().verify_pin(&pin) {
                    Err(mynumbercard::Error::NoSignatureCertificate) => Ok(()),
                    other => panic!("{other:?}"),
                }
            }
            AppOp::AndroidAuthCertificate | AppOp::AndroidAuthCertificateAgain => {
                let needs_pin = |card: &mut Card<VirtualCard>| match card
                    .jpki()
                    .read_certificate_der(CertificateKind::Auth)
                {
                    Err(mynumbercard::Error::AuthCertificateNeedsPin) => {}
                    other => panic!("{other:?}"),
                };
                needs_pin(&mut card);
                if self == AppOp::AndroidAuthCertificateAgain {
                    let before = card.stats().commands;
                    needs_pin(&mut card);
                    return card.stats().commands - before;
                }
                Ok(())
            }
            AppOp::AndroidPinMode | AppOp::PlasticPinMode => pin_mode(&mut card),
        };
        ran.expect("runs on the virtual card");
        card.stats().commands
    }

    /// The fewest APDUs the read allows, and what the library's count is made of where it is
    /// more.
    pub fn lower_bound(self) -> (u64, String) {
        match self {
            AppOp::CommonRecord => (2, "SELECT AP + READ RECORD by SFI".into()),
            AppOp::CommonPinStatus | AppOp::JukiPinStatus => {
                (2, "SELECT AP + empty VERIFY by SFI".into())
            }
            AppOp::MasterFileData | AppOp::MasterFileDataShortOnly => {
                (3, "3 GET DATA, nothing selected".into())
            }
            AppOp::MasterFileDataExtended => (
                3,
                "3 GET DATA; sent 4: the first short Le answers 6700, then extended first".into(),
            ),
            AppOp::TokenInfo | AppOp::CertificateAvailability => (
                2,
                "SELECT AP + READ BINARY by SFI; sent 3: SELECT EF + READ, as for identify".into(),
            ),
            AppOp::NoSignatureCertificate => (
                2,
                "SELECT AP + EF 0008 by SFI; sent 5: the PIN is looked for first (by SFI, \
                 then by SELECT), then SELECT EF 0008 + READ; no try spent"
                    .into(),
            ),
            AppOp::AndroidAuthCertificate => (
                2,
                "SELECT AP + the label by SFI; sent 4: the refused read comes first, so the \
                 plastic card pays nothing, then SELECT EF 0006 + READ"
                    .into(),
            ),
            AppOp::AndroidAuthCertificateAgain => (0, "known for the session".into()),
            AppOp::AndroidPinMode => (
                5,
                "the plastic card's; sent 1 more: the refused read, once per session".into(),
            ),
            AppOp::PlasticPinMode => (
                5,
                "SELECT AP + 1 extended READ by SFI + status + VERIFY + SIGN".into(),
            ),
        }
    }

    /// What the library sends, as the budget test holds it to.
    pub fn expected(self) -> u64 {
        let (bound, _) = self.lower_bound();
        match self {
            AppOp::MasterFileDataExtended
            | AppOp::TokenInfo
            | AppOp::CertificateAvailability
            | AppOp::AndroidPinMode => bound + 1,
            AppOp::AndroidAuthCertificate => bound + 2,
            AppOp::NoSignatureCertificate => bound + 3,
            _ => bound,
        }
    }
}

/// The table's header (Markdown).
pub const APP_HEADER: &str = "| read | APDUs | lower bound |\n|---|---:|---|";

/// One Markdown row.
pub fn app_row(op: AppOp, apdus: u64) -> String {
    let (bound, how) = op.lower_bound();
    format!("| {} | {apdus} | {bound} ({how}) |", op.name())
}
