//! The parts of the virtual card beyond the JPKI, card-info and card-face applications' usual
//! files: the common and resident-registry applications (`common`), the master file's data
//! objects (`master_file`), and the kind of credential it plays (`credential`), with the
//! builder options that choose them.

use zeroize::Zeroizing;

use super::common;
use super::credential;
use super::files::{App, Ef, OtherPin};
use super::master_file::{self, MasterFileObjects};
use super::{Holder, PinState, VirtualCard, VirtualCardBuilder};

/// The JPKI files a card without a signature certificate lacks: the certificate, the key and
/// the PIN (EF 0001, 001A, 001B).
const SIGNATURE_FILES: [u16; 3] = [0x0001, 0x001A, 0x001B];

/// What the builder chose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Settings {
    auth_certificate_needs_pin: bool,
    sign_certificate: bool,
    token_record: bool,
    common_pin_tries: u8,
    juki_pin_tries: u8,
    master_file_extended_only: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            auth_certificate_needs_pin: false,
            sign_certificate: true,
            token_record: false,
            common_pin_tries: common::PIN_TRIES,
            juki_pin_tries: common::PIN_TRIES,
            master_file_extended_only: false,
        }
    }
}

impl Settings {
    /// EF 0006 for `label`, in the chosen size.
    pub(super) fn token_file(&self, label: &[u8]) -> Vec<u8> {
        credential::token_file(label, self.token_record)
    }

    /// The card's state for `holder`.
    pub(super) fn build(&self, holder: &Holder) -> Extras {
        let pin = |tries: u8| PinState {
            value: Zeroizing::new(common::DEFAULT_PIN.as_bytes().to_vec()),
            tries,
            verified: false,
        };
        let expiry = common::expiry_yyyymmdd(holder);
        Extras {
            common_pin: pin(self.common_pin_tries),
            juki_pin: pin(self.juki_pin_tries),
            common_record: common::common_record(holder),
            availability: if self.sign_certificate {
                credential::BOTH_CERTIFICATES
            } else {
                credential::AUTH_CERTIFICATE_ONLY
            },
            auth_certificate_needs_pin: self.auth_certificate_needs_pin,
            sign_certificate: self.sign_certificate,
            master_file: MasterFileObjects {
                card_identification_number: master_file::CARD_IDENTIFICATION_NUMBER.to_vec(),
                municipality_code: common::MUNICIPALITY_CODE.to_vec(),
                expiry: expiry.into_bytes(),
                extended_only: self.master_file_extended_only,
            },
        }
    }
}

/// The card's state beyond the usual files.
#[derive(Debug)]
pub(super) struct Extras {
    pub(super) common_pin: PinState,
    pub(super) juki_pin: PinState,
    pub(super) common_record: Vec<u8>,
    pub(super) availability: [u8; 3],
    pub(super) auth_certificate_needs_pin: bool,
    pub(super) sign_certificate: bool,
    pub(super) master_file: MasterFileObjects,
}

impl Extras {
    /// Whether this card lacks EF `fid` of `app`, which [`Ef::find`] knows.
    pub(super) fn lacks(&self, app: App, fid: u16) -> bool {
        app == App::Jpki && !self.sign_certificate && SIGNATURE_FILES.contains(&fid)
    }

    /// Power-off and selecting another application clear these PINs' verified state too.
    pub(super) fn clear_security_status(&mut self) {
        self.common_pin.verified = false;
        self.juki_pin.verified = false;
    }
}

impl VirtualCard {
    /// EF `fid` of `app` on this card.
    pub(super) fn find_ef(&self, app: App, fid: u16) -> Option<Ef> {
        Ef::find(app, fid).filter(|_| !self.extras.lacks(app, fid))
    }

    /// Whether the user-authentication certificate is behind the auth PIN and the PIN is
    /// not verified (the Android credential).
    pub(super) fn auth_certificate_locked(&self) -> bool {
        self.extras.auth_certificate_needs_pin && !self.auth_pin.verified
    }

    /// The PIN state of `pin`, for VERIFY.
    pub(super) fn other_pin(&mut self, pin: OtherPin) -> (&mut PinState, u8) {
        (self.other_pin_mut(pin), common::PIN_TRIES)
    }
}

impl VirtualCardBuilder {
    /// Plays the JPKI smartphone credential on Android: token label `JPKIAPGPSETOKEN`, and the
    /// user-authentication certificate readable only after the auth PIN (as only jpki/myna
    /// reports, from a user's crash report).
    pub fn android_credential(mut self) -> Self {
        self.extras.auth_certificate_needs_pin = true;
        self.token_label(credential::ANDROID_TOKEN)
    }

    /// Plays the JPKI smartphone credential on iPhone: token label `JPKIAPIOSTOKEN` (nothing
    /// else is known to differ).
    pub fn iphone_credential(self) -> Self {
        self.token_label(credential::IPHONE_TOKEN)
    }

    /// A card without a signature certificate, as holders under 15 get: no signature
    /// certificate, key or PIN file (SELECT answers `6A82`), EF 0008 `00 8F 00`.
    pub fn without_signature_certificate(mut self) -> Self {
        self.extras.sign_certificate = false;
        self
    }

    /// EF 0006 as the 160-byte PKCS #11 token record myna-card reads off a real card (label
    /// first) instead of the 32-byte label alone.
    pub fn token_record(mut self, whole_record: bool) -> Self {
        self.extras.token_record = whole_record;
        self
    }

    /// Tries left on the common AP's PIN (at most 3; 0 = blocked).
    pub fn common_pin_tries_left(mut self, tries: u8) -> Self {
        self.extras.common_pin_tries = tries.min(common::PIN_TRIES);
        self
    }

    /// Tries left on the resident-registry AP's PIN (at most 3; 0 = blocked).
    pub fn juki_pin_tries_left(mut self, tries: u8) -> Self {
        self.extras.juki_pin_tries = tries.min(common::PIN_TRIES);
        self
    }

    /// The master file's identification objects answer `6700` to a short Le and need an
    /// extended one, as myna-card saw the card answer for its larger objects.
    pub fn master_file_needs_extended_le(mut self) -> Self {
        self.extras.master_file_extended_only = true;
        self
    }
}
