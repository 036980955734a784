//! A virtual My Number Card (stub: the API is fixed, the behaviour is being written).

use crate::jpki::PinKind;
use crate::transport::{Capabilities, Transport, TransportError};

/// A virtual My Number Card answering APDUs as the real card does.
#[derive(Debug, Default)]
pub struct VirtualCard {
    log: Vec<Vec<u8>>,
}

/// Builds a [`VirtualCard`] with chosen PINs, tries left and holder.
#[derive(Debug, Default)]
pub struct VirtualCardBuilder {}

impl VirtualCard {
    /// Default auth PIN.
    pub const DEFAULT_AUTH_PIN: &'static str = "1234";
    /// Default sign PIN.
    pub const DEFAULT_SIGN_PIN: &'static str = "ABC123";

    /// A card with the defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder.
    pub fn builder() -> VirtualCardBuilder {
        VirtualCardBuilder::default()
    }

    /// Answers one command APDU with data + SW1 SW2, recording it in the log.
    pub fn handle(&mut self, apdu: &[u8]) -> Vec<u8> {
        self.log.push(apdu.to_vec());
        vec![0x6D, 0x00]
    }

    /// Every command APDU received, in order.
    pub fn log(&self) -> &[Vec<u8>] {
        &self.log
    }

    /// Empties the log.
    pub fn clear_log(&mut self) {
        self.log.clear();
    }

    /// The ATR.
    pub fn atr(&self) -> &[u8] {
        &[0x3B, 0x00]
    }

    /// Cold: removes power (clears selection and security status).
    pub fn power_off(&mut self) {}

    /// Powers the card up.
    pub fn power_on(&mut self) {}

    /// Warm reset.
    pub fn reset(&mut self) {}

    /// Tries left for a PIN.
    pub fn tries_left(&self, _pin: PinKind) -> u8 {
        0
    }
}

impl VirtualCardBuilder {
    /// Builds the card.
    pub fn build(self) -> VirtualCard {
        VirtualCard::default()
    }
}

impl Transport for VirtualCard {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(self.handle(command))
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::default()
    }
}
