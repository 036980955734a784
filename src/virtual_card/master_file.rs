//! The virtual card's master-file data objects answering GET DATA with no application
//! selected: the card identification number (`0045`, ASCII), the issuing municipality's code
//! (`00F0`, 5 ASCII digits) and the card's expiry date (`00F2`, `YYYYMMDD`), as myna-card found
//! them on a real card (yuki-js's sc-tools-myna reads `F0` and `F2` of the same "default
//! DF"). myna-card saw the card answer `6700` to a short Le for its larger objects and the
//! object to an extended Le; a builder option makes these objects answer so too.
//!
//! Choices: the identification number `VIRTUALCARD00001` (its real form is not published),
//! the municipality code and expiry of the common AP's record; with an application selected,
//! or for another tag, `6A88`; an Le shorter than the object → `6700`.

use super::apdu::{sw, Command, Reply};
use super::VirtualCard;

/// The virtual card's identification number (a choice).
pub const CARD_IDENTIFICATION_NUMBER: &[u8] = b"VIRTUALCARD00001";

/// The objects' values and how they answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MasterFileObjects {
    /// `0045`.
    pub card_identification_number: Vec<u8>,
    /// `00F0`.
    pub municipality_code: Vec<u8>,
    /// `00F2`.
    pub expiry: Vec<u8>,
    /// Whether a short Le is answered `6700` (the objects need an extended one).
    pub extended_only: bool,
}

impl MasterFileObjects {
    fn get(&self, tag: (u8, u8)) -> Option<&[u8]> {
        match tag {
            (0x00, 0x45) => Some(&self.card_identification_number),
            (0x00, 0xF0) => Some(&self.municipality_code),
            (0x00, 0xF2) => Some(&self.expiry),
            _ => None,
        }
    }
}

impl VirtualCard {
    /// GET DATA `00 CA P1 P2 Le` of the identification objects (see the module docs).
    pub(super) fn get_master_file_data(&mut self, command: &Command) -> Reply {
        let Some(ne) = command.ne else {
            return Reply::status(sw::WRONG_LENGTH);
        };
        if !command.data.is_empty() {
            return Reply::status(sw::WRONG_LENGTH);
        }
        if self.app.is_some() {
            return Reply::status(sw::REFERENCED_DATA_NOT_FOUND);
        }
        let objects = &self.extras.master_file;
        let Some(value) = objects.get((command.p1, command.p2)) else {
            return Reply::status(sw::REFERENCED_DATA_NOT_FOUND);
        };
        if (objects.extended_only && !command.extended) || value.len() > ne {
            return Reply::status(sw::WRONG_LENGTH);
        }
        Reply::with_data(value.to_vec(), sw::OK)
    }
}
