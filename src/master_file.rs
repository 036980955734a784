//! The master file's data objects, read by GET DATA with no application selected (after
//! power-up): the card identification number, the issuing municipality and the card's
//! expiry date, and the chain of card-verifiable certificates (`00F8`, `7F21`). myna-card found them by sweeping GET DATA tags on a real card, and saw the
//! card answer `6700` to a short Le for its larger objects and succeed with an extended one;
//! yuki-js's sc-tools-myna reads the municipality (`F0`) and expiry (`F2`) objects of the
//! same "default DF". With an application selected the objects do not answer (the
//! application's own answer instead, which myna-card warns of): read them first in a
//! session.
//!
//! ```
//! # #[cfg(feature = "virtual-card")] {
//! use mynumbercard::{Card, VirtualCard};
//! let mut card = Card::new(VirtualCard::new());
//! let data = card.master_file().read_card_data()?;
//! assert_eq!(data.municipality_code().map(|c| c.prefecture_code()), Some(13));
//! assert_eq!(data.expiry().map(|d| d.year()), Some(2035));
//! # }
//! # Ok::<(), mynumbercard::Error>(())
//! ```

mod chain;
mod objects;

use crate::card::Card;
use crate::transport::Transport;

pub(crate) use chain::read_chain_in;
pub use chain::{MasterFileChain, CHAIN_TAGS};
pub use objects::{tag, DataObject, MasterFileData};

/// The master file of a [`Card`]; borrow it with [`Card::master_file`].
#[derive(Debug)]
pub struct MasterFile<'a, T> {
    card: &'a mut Card<T>,
}

impl<T: Transport> Card<T> {
    /// The master file's data objects.
    pub fn master_file(&mut self) -> MasterFile<'_, T> {
        MasterFile { card: self }
    }
}
