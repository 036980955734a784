//! The resident-registry application (住基AP), as myna-card describes it: a PIN in EF 001C,
//! separate from the common application's EF 001C although applications show the two as one
//! (個人番号カード用暗証番号), and files whose content is not understood. Four apps list its AID
//! for iOS (TRETJapanNFCReader, flutter_nfc_mynumber and others), and yuki-js's
//! sc-tools-myna gives the same PIN file with 3 tries. Only the PIN's tries are asked here,
//! with the empty VERIFY that spends none: nothing in this crate needs it verified, and its
//! format rests on myna-card alone, so no VERIFY is offered.
//!
//! ```
//! # #[cfg(feature = "virtual-card")] {
//! use mynumbercard::{Card, PinStatus, VirtualCard};
//! let mut card = Card::new(VirtualCard::new());
//! assert_eq!(card.juki().pin_status()?, PinStatus::Remaining(3));
//! # }
//! # Ok::<(), mynumbercard::Error>(())
//! ```

use crate::card::{Application, Card, OnReset};
use crate::error::Result;
use crate::pin::PinStatus;
use crate::transport::Transport;

/// DF name of the resident-registry application (myna-card; in the iOS AID lists of
/// TRETJapanNFCReader and flutter_nfc_mynumber).
pub const AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x01];

/// The resident-registry application, as the session selects it.
pub const APPLICATION: Application = Application::new("resident-registry", &AID);

/// Elementary files of the resident-registry application, as myna-card gives them.
pub mod ef {
    /// The PIN.
    pub const PIN: u16 = 0x001C;
}

/// The resident-registry application of a [`Card`]; borrow it with [`Card::juki`].
#[derive(Debug)]
pub struct Juki<'a, T> {
    card: &'a mut Card<T>,
}

impl<T: Transport> Juki<'_, T> {
    /// The tries left of the application's PIN (EF 001C): SELECT AP and SELECT EF (unless
    /// selected), then an empty VERIFY, which spends no try: 3 APDUs.
    pub fn pin_status(&mut self) -> Result<PinStatus> {
        self.card.operation(OnReset::Repeat, |card| {
            card.reference_status(APPLICATION, ef::PIN)
        })
    }
}

impl<T: Transport> Card<T> {
    /// The resident-registry application (住基AP).
    pub fn juki(&mut self) -> Juki<'_, T> {
        Juki { card: self }
    }
}
