//! The master file's card-verifiable certificate chain: GET DATA `00 CA 00 F8` and
//! `00 CA 7F 21` return two certificates without their `7F21` template, the first signed by a
//! J-LIS master-file CA key (`5000020`, `6000020` for test cards), the second by the key the
//! first certifies (described only by myna-card, which saw the card answer `6700` to a short
//! Le for them, as they are over 256 bytes, and succeed with an extended one).
//!
//! ```
//! # #[cfg(feature = "virtual-card")] {
//! use mynumbercard::master_file::MasterFileChain;
//! use mynumbercard::virtual_card::Reader;
//! use mynumbercard::{Card, VirtualCard};
//! // Behind a reader of short APDUs the objects cannot be read.
//! let mut card = Card::new(VirtualCard::builder().reader(Reader::ShortOnly).build());
//! let chain = card.master_file().read_certificate_chain()?;
//! assert_eq!(chain, MasterFileChain::NeedsExtendedLength);
//! // Behind one carrying extended APDUs they can.
//! let mut card = Card::new(VirtualCard::new());
//! let MasterFileChain::Read(chain) = card.master_file().read_certificate_chain()? else {
//!     panic!("the virtual card answers");
//! };
//! assert_eq!(chain.len(), 2);
//! # }
//! # Ok::<(), mynumbercard::Error>(())
//! ```

use super::MasterFile;
use crate::apdu::StatusWord;
use crate::card::{Card, OnReset};
use crate::card_verifiable::CvCertificate;
use crate::data_object::DataObjectRead;
use crate::error::{Error, Result};
use crate::files::Content;
use crate::transport::Transport;

/// The data objects of the chain, top first (myna-card's names: the upper and the lower).
pub const CHAIN_TAGS: [u16; 2] = [0x00F8, 0x7F21];

/// The most bytes asked for with an extended Le (a certificate is 563 bytes).
const MAX_CERTIFICATE_LEN: usize = 4096;

/// What the master file gave.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MasterFileChain {
    /// The certificates, top first: `00F8`, then `7F21` unless the card has none (older
    /// cards, as myna-card reports).
    Read(Vec<CvCertificate>),
    /// The card answered `6700` to a short Le and the transport does not carry extended
    /// APDUs (or the card refused the extended one too): the chain cannot be read over it.
    NeedsExtendedLength,
    /// The card does not answer `00F8` here (`6A88`, `6A82` or `6A86`): an application is
    /// selected (the objects answer only before any is), or the card has no such object.
    NotAvailable(StatusWord),
}

impl<T: Transport> MasterFile<'_, T> {
    /// Reads the chain in one transaction, selecting nothing: GET DATA `00F8`, then `7F21`,
    /// each with a short Le and, on `6700`, an extended one where the transport carries it
    /// (see [`MasterFile::read_data_object`]): 3 APDUs on a card wanting an extended Le over a
    /// transport carrying one (the first object's retry, then the extended Le first), 2 on a
    /// card answering a short Le, 1 over a transport that cannot carry the extended Le.
    pub fn read_certificate_chain(&mut self) -> Result<MasterFileChain> {
        self.card
            .operation(OnReset::Repeat, |card| read_chain_in(card))
    }
}

/// Reads the chain inside an operation (also the genuineness check's first step).
pub(crate) fn read_chain_in<T: Transport>(card: &mut Card<T>) -> Result<MasterFileChain> {
    let mut chain = Vec::with_capacity(CHAIN_TAGS.len());
    for tag in CHAIN_TAGS {
        match card.get_data_object(tag, MAX_CERTIFICATE_LEN, Content::Public)? {
            DataObjectRead::Value(bytes) => chain.push(
                CvCertificate::parse(&bytes)
                    .map_err(|_| Error::MalformedResponse("master-file certificate"))?,
            ),
            // The upper object decides; a missing lower one leaves a chain of one.
            DataObjectRead::NotFound(_) if !chain.is_empty() => break,
            DataObjectRead::NotFound(status) => return Ok(MasterFileChain::NotAvailable(status)),
            DataObjectRead::NeedsExtendedLength => return Ok(MasterFileChain::NeedsExtendedLength),
        }
    }
    Ok(MasterFileChain::Read(chain))
}
