//! A virtual My Number Card (stub, being written).

use crate::transport::{Transport, TransportError};

/// A virtual card.
#[derive(Debug, Default)]
pub struct VirtualCard {}

impl Transport for VirtualCard {
    fn transmit(&mut self, _command: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(vec![0x6D, 0x00])
    }
}
