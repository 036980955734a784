//! The virtual card's common application (共通AP) and resident-registry application (住基AP),
//! as myna-card (`src/ap/common.rs`, `src/ap/juki.rs`) describes them, and READ RECORD.
//!
//! - Common AP: EF 0001 is record-structured; its record 1 is a simple-TLV object `01 1C` and
//!   28 ASCII digits: the manufacture serial number (15), the issuing municipality's code (5),
//!   the card's expiry date (`YYYYMMDD`) (myna-card only; jpki/myna reads the same record by
//!   short file identifier, `00 B2 01 0C 00`, and yuki-js's sc-tools-myna after SELECT EF).
//!   EF 001C is a 4-digit PIN (myna-card).
//! - Resident-registry AP: EF 001C is a 4-digit PIN, separate from the common AP's (myna-card;
//!   sc-tools-myna gives it 3 tries).
//! - READ RECORD `00 B2 P1 P2 Le`: P1 the record number, P2 = `SFI << 3 | 04` (SFI 0: the
//!   current EF) (ISO/IEC 7816-4; jpki/myna sends `00 B2 01 0C 00`, myna-card `00 B2 01 04 00`
//!   after SELECT); an EF named by short identifier becomes the current one.
//!
//! Choices (no source gives them): both PINs `1234` with 3 tries (the common AP's count is
//! not published); the serial number `900000000000001`, the municipality code `13999` (no
//! such Tokyo code, as in the card-face basic data) and the expiry date of the card-face
//! record; READ RECORD of a record other than 1 → `6A83`, of a file that is not a record file
//! → `6981`, with P2's low bits other than `100` → `6A86`, with an Le shorter than the record
//! → `6Cxx`; READ BINARY of the record file → `6981`; the other files myna-card lists (the
//! key reference EF 0002 of both, the common AP's internal-authentication key EF 0019) are
//! not modelled (`6A82`).

use super::apdu::{sw, Command, Reply};
use super::files::{Ef, OtherPin};
use super::{Holder, PinState, VirtualCard};

/// `6A83`: record not found.
const RECORD_NOT_FOUND: u16 = 0x6A83;
/// The virtual card's serial number (a choice).
pub const SERIAL_NUMBER: &[u8; 15] = b"900000000000001";
/// The virtual card's municipality code (a choice: no such Tokyo code).
pub const MUNICIPALITY_CODE: &[u8; 5] = b"13999";
/// Tries of a fresh (or just verified) PIN of either application.
pub const PIN_TRIES: u8 = 3;
/// Both PINs' value (a choice).
pub const DEFAULT_PIN: &str = "1234";

/// The card's expiry date as the card writes it: the holder's birthday in the expiry year
/// (the card-face record's choice).
pub fn expiry_yyyymmdd(holder: &Holder) -> String {
    let birth = holder.birth_date;
    format!(
        "{:04}{:02}{:02}",
        holder.card_expiry_year,
        birth.month(),
        birth.day()
    )
}

/// Record 1 of the common AP's EF 0001 for `holder`.
pub fn common_record(holder: &Holder) -> Vec<u8> {
    let mut value = SERIAL_NUMBER.to_vec();
    value.extend_from_slice(MUNICIPALITY_CODE);
    value.extend_from_slice(expiry_yyyymmdd(holder).as_bytes());
    let mut record = vec![0x01, value.len() as u8];
    record.extend_from_slice(&value);
    record
}

impl VirtualCard {
    /// READ RECORD (see the module docs).
    pub(super) fn read_record(&mut self, command: &Command) -> Reply {
        let Some(ne) = command.ne else {
            return Reply::status(sw::WRONG_LENGTH);
        };
        if !command.data.is_empty() {
            return Reply::status(sw::WRONG_LENGTH);
        }
        if command.p2 & 0x07 != 0x04 {
            return Reply::status(sw::INCORRECT_P1_P2);
        }
        let sfi = command.p2 >> 3;
        if sfi != 0 {
            let Some(ef) = self.ef_by_sfi(sfi) else {
                return Reply::status(sw::FILE_NOT_FOUND);
            };
            self.ef = Some(ef);
        }
        match self.ef {
            None => Reply::status(sw::NO_CURRENT_EF),
            Some(Ef::CommonRecord) if command.p1 != 1 => Reply::status(RECORD_NOT_FOUND),
            Some(Ef::CommonRecord) => {
                let record = &self.extras.common_record;
                if record.len() > ne {
                    let len = u8::try_from(record.len()).unwrap_or(0);
                    return Reply::status(0x6C00 | u16::from(len));
                }
                Reply::with_data(record.clone(), sw::OK)
            }
            Some(_) => Reply::status(sw::INCOMPATIBLE_FILE_STRUCTURE),
        }
    }

    /// The state of the common or resident-registry PIN.
    pub(super) fn other_pin_mut(&mut self, pin: OtherPin) -> &mut PinState {
        match pin {
            OtherPin::Common => &mut self.extras.common_pin,
            OtherPin::Juki => &mut self.extras.juki_pin,
        }
    }

    /// Tries left of the common AP's PIN (EF 001C).
    pub fn common_pin_tries_left(&self) -> u8 {
        self.extras.common_pin.tries
    }

    /// Tries left of the resident-registry AP's PIN (EF 001C).
    pub fn juki_pin_tries_left(&self) -> u8 {
        self.extras.juki_pin.tries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_has_myna_cards_layout() {
        let record = common_record(&Holder::default());
        assert_eq!(&record[..2], &[0x01, 0x1C]);
        assert_eq!(&record[2..], b"9000000000000011399920350101");
    }
}
