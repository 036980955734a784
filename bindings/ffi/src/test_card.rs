//! The core's virtual My Number Card, exported for the bindings' own tests and benchmarks
//! (feature `test-card`; never in an app).
//!
//! `VirtualCard` is a [`CardTransport`] implemented in Rust: Kotlin or Python tests wrap it in
//! a class of their own that implements the foreign transport (to inject a lost tag, count
//! APDUs, cross the FFI as a real NFC transport does), or hand it to
//! `MyNumberCard.overVirtualCard` for the Rust-only path.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use mynumbercard::transport::{Capabilities, Transport, TransportError as CoreTransportError};
use mynumbercard::VirtualCard as CoreVirtualCard;

use crate::card::{Link, MyNumberCard};
use crate::transport::{CardTransport, TransportCapabilities, TransportError};
use crate::types::{CertificateKind, SecretKind};

/// What the virtual card is made with; every field left out keeps the card's default (auth
/// PIN `1234`, sign PIN `ABC123`, card-info PIN `1234`, full tries, access code A
/// `123456789018`, access code B `02010120351234`).
#[derive(Clone, Debug, Default, uniffi::Record)]
pub struct VirtualCardConfig {
    /// The auth PIN.
    #[uniffi(default = None)]
    pub auth_pin: Option<String>,
    /// The sign PIN.
    #[uniffi(default = None)]
    pub sign_pin: Option<String>,
    /// The card-info PIN.
    #[uniffi(default = None)]
    pub card_info_pin: Option<String>,
    /// Tries left of the auth PIN.
    #[uniffi(default = None)]
    pub auth_tries_left: Option<u8>,
    /// Tries left of the sign PIN.
    #[uniffi(default = None)]
    pub sign_tries_left: Option<u8>,
    /// Tries left of the card-info PIN.
    #[uniffi(default = None)]
    pub card_info_pin_tries_left: Option<u8>,
    /// Tries left of access code A (both applications).
    #[uniffi(default = None)]
    pub access_code_a_tries_left: Option<u8>,
    /// Tries left of access code B (both applications).
    #[uniffi(default = None)]
    pub access_code_b_tries_left: Option<u8>,
    /// Tries left of the card-face application's birth-date key.
    #[uniffi(default = None)]
    pub birth_date_key_tries_left: Option<u8>,
    /// A card whose face photo was changed after the card face was signed.
    #[uniffi(default = false)]
    pub photo_replaced_after_signing: bool,
    /// A clone: the genuine records, the challenge answered by another key.
    #[uniffi(default = false)]
    pub cloned: bool,
    /// Plays the Android smartphone credential (token `JPKIAPGPSETOKEN`, the auth
    /// certificate behind the auth PIN).
    #[uniffi(default = false)]
    pub android_credential: bool,
    /// Plays a card without a signature certificate (a holder under 15).
    #[uniffi(default = false)]
    pub without_signature_certificate: bool,
    /// EF 0006 as the 160-byte PKCS #11 record instead of the 32-byte label.
    #[uniffi(default = false)]
    pub token_record: bool,
    /// The master file's objects answer `6700` to a short Le.
    #[uniffi(default = false)]
    pub master_file_needs_extended_le: bool,
    /// Behind a reader carrying short APDUs only (the default reader carries extended ones).
    #[uniffi(default = false)]
    pub short_only_reader: bool,
    /// Play an ECDSA P-384 credential (the next generation's key algorithm, test keys)
    /// instead of RSA-2048.
    #[uniffi(default = None)]
    pub ecdsa_p384: Option<bool>,
}

/// The core's virtual card behind a lock, so one card can serve several card objects (one
/// after another, as a card moves between sessions).
#[derive(Clone)]
pub(crate) struct SharedVirtualCard {
    card: Arc<Mutex<CoreVirtualCard>>,
    unpower_on_close: bool,
}

impl SharedVirtualCard {
    fn lock(&self) -> MutexGuard<'_, CoreVirtualCard> {
        self.card.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Transport for SharedVirtualCard {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, CoreTransportError> {
        Ok(self.lock().handle(command))
    }

    fn capabilities(&self) -> Capabilities {
        self.lock().capabilities()
    }

    fn unpower_on_close(&mut self) {
        self.unpower_on_close = true;
    }

    /// A disconnect: a session that verified a PIN power-cycles the card, clearing it.
    fn close(&mut self) -> Result<(), CoreTransportError> {
        if self.unpower_on_close {
            let mut card = self.lock();
            card.power_off();
            card.power_on();
        }
        Ok(())
    }
}

/// The virtual My Number Card (test feature): a transport in Rust, with what a test checks.
#[derive(uniffi::Object)]
pub struct VirtualCard {
    shared: SharedVirtualCard,
}

impl std::fmt::Debug for VirtualCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VirtualCard").finish_non_exhaustive()
    }
}

#[uniffi::export]
impl VirtualCard {
    /// A card with the defaults.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Self::with_config(VirtualCardConfig::default())
    }

    /// A card made with `config`.
    #[uniffi::constructor]
    pub fn with_config(config: VirtualCardConfig) -> Arc<Self> {
        let mut builder = CoreVirtualCard::builder();
        if let Some(pin) = &config.auth_pin {
            builder = builder.auth_pin(pin);
        }
        if let Some(pin) = &config.sign_pin {
            builder = builder.sign_pin(pin);
        }
        if let Some(pin) = &config.card_info_pin {
            builder = builder.card_info_pin(pin);
        }
        if let Some(tries) = config.auth_tries_left {
            builder = builder.auth_tries_left(tries);
        }
        if let Some(tries) = config.sign_tries_left {
            builder = builder.sign_tries_left(tries);
        }
        if let Some(tries) = config.card_info_pin_tries_left {
            builder = builder.card_info_pin_tries_left(tries);
        }
        if let Some(tries) = config.access_code_a_tries_left {
            builder = builder.access_code_a_tries_left(tries);
        }
        if let Some(tries) = config.access_code_b_tries_left {
            builder = builder.access_code_b_tries_left(tries);
        }
        if let Some(tries) = config.birth_date_key_tries_left {
            builder = builder.birth_date_key_tries_left(tries);
        }
        if config.photo_replaced_after_signing {
            builder = builder.photo_replaced_after_signing();
        }
        if config.cloned {
            builder = builder.cloned();
        }
        if config.android_credential {
            builder = builder.android_credential();
        }
        if config.without_signature_certificate {
            builder = builder.without_signature_certificate();
        }
        if config.master_file_needs_extended_le {
            builder = builder.master_file_needs_extended_le();
        }
        builder = builder.token_record(config.token_record);
        if config.short_only_reader {
            builder = builder.reader(mynumbercard::virtual_card::Reader::ShortOnly);
        }
        if config.ecdsa_p384 == Some(true) {
            builder = builder.ecdsa_p384();
        }
        Arc::new(Self {
            shared: SharedVirtualCard {
                card: Arc::new(Mutex::new(builder.build())),
                unpower_on_close: false,
            },
        })
    }

    /// Tries left of a PIN or access code, read from the card's state (sends nothing).
    pub fn tries_left(&self, kind: SecretKind) -> u8 {
        let all = self.shared.lock().all_tries_left();
        let index = match kind {
            SecretKind::AuthPin => 0,
            SecretKind::SignPin => 1,
            SecretKind::CardInfoPin => 2,
            SecretKind::CardInfoAccessCodeA => 3,
            SecretKind::CardInfoAccessCodeB => 4,
            SecretKind::CardFaceAccessCodeA => 6,
            SecretKind::CardFaceAccessCodeB => 7,
        };
        all.get(index).copied().unwrap_or_default()
    }

    /// Tries left of the card-face application's birth-date key (sends nothing).
    pub fn birth_date_key_tries_left(&self) -> u8 {
        self.shared.lock().all_tries_left()[5]
    }

    /// Every command APDU the card received, in order (test data: VERIFY commands hold the
    /// virtual card's PINs).
    pub fn apdu_log(&self) -> Vec<Vec<u8>> {
        self.shared.lock().log().to_vec()
    }

    /// How many command APDUs the card received.
    pub fn apdu_count(&self) -> u64 {
        self.shared.lock().log().len() as u64
    }

    /// Forgets the APDU log.
    pub fn clear_log(&self) {
        self.shared.lock().clear_log();
    }

    /// Whether the card is powered.
    pub fn is_powered(&self) -> bool {
        self.shared.lock().is_powered()
    }

    /// Removes and re-inserts the card: power off and on, nothing selected or verified.
    pub fn power_cycle(&self) {
        let mut card = self.shared.lock();
        card.power_off();
        card.power_on();
    }

    /// The DER certificate the card holds.
    pub fn certificate_der(&self, kind: CertificateKind) -> Vec<u8> {
        self.shared.lock().certificate_der(kind.to_core()).to_vec()
    }
}

#[uniffi::export]
impl CardTransport for VirtualCard {
    fn transceive(&self, command: Vec<u8>) -> Result<Vec<u8>, TransportError> {
        Ok(self.shared.lock().handle(&command))
    }

    fn capabilities(&self) -> TransportCapabilities {
        TransportCapabilities::from_core(self.shared.lock().capabilities())
    }

    /// Power-cycles the card when asked to unpower it, as a reader does.
    fn close(&self, unpower: bool) -> Result<(), TransportError> {
        if unpower {
            self.power_cycle();
        }
        Ok(())
    }
}

#[uniffi::export]
impl MyNumberCard {
    /// A session over the virtual card on the Rust side, with no foreign transport: the
    /// Rust-only path of the benchmarks (test feature).
    #[uniffi::constructor]
    pub fn over_virtual_card(card: Arc<VirtualCard>) -> Arc<Self> {
        let mut shared = card.shared.clone();
        shared.unpower_on_close = false;
        Self::over(Link::Virtual(shared))
    }
}
