//! The master file's card-verifiable certificate chain: with no application selected (after
//! power-up), GET DATA `00 CA 00 F8` and `00 CA 7F 21` return two certificates, the first
//! signed by a J-LIS master-file CA key (`5000020`, `6000020` for test cards), the second by
//! the key the first certifies. Described only by myna-card, which also saw the card answer
//! `6700` to a short Le for these objects (they are over 256 bytes) and succeed with an
//! extended one; GET DATA returns the certificate without its `7F21` template.
//!
//! ```
//! # #[cfg(feature = "virtual-card")] {
//! use mynumbercard::master_file::MasterFileChain;
//! use mynumbercard::{Card, VirtualCard};
//! // The virtual card behind a short-APDU reader: the objects need an extended Le.
//! let mut card = Card::new(VirtualCard::new());
//! let chain = card.master_file().read_certificate_chain()?;
//! assert_eq!(chain, MasterFileChain::NeedsExtendedLength);
//! # }
//! # Ok::<(), mynumbercard::Error>(())
//! ```

use crate::apdu::StatusWord;
use crate::card::{status_error, Card, OnReset};
use crate::card_verifiable::CvCertificate;
use crate::commands;
use crate::error::{Error, Result};
use crate::transport::Transport;

/// The data objects of the chain, top first (myna-card's names: the upper and the lower).
pub const CHAIN_TAGS: [u16; 2] = [0x00F8, 0x7F21];

/// The most bytes asked for with an extended Le (a certificate is 561 bytes).
const MAX_OBJECT_LEN: usize = 4096;

/// What the master file gave.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MasterFileChain {
    /// The certificates, top first: `00F8`, then `7F21` unless the card has none (older
    /// cards, as myna-card reports).
    Read(Vec<CvCertificate>),
    /// The card answered `6700` to a short Le and the transport does not carry extended
    /// APDUs (or not one this long): the chain cannot be read over it.
    NeedsExtendedLength,
    /// The card does not answer `00F8` here (`6A88`, `6A82` or `6A86`): an application is
    /// selected (the objects answer only before any is), or the card has no such object.
    NotAvailable(StatusWord),
}

/// The master file of a [`Card`]; borrow it with [`Card::master_file`].
#[derive(Debug)]
pub struct MasterFile<'a, T> {
    card: &'a mut Card<T>,
}

impl<T: Transport> MasterFile<'_, T> {
    /// Reads the chain in one transaction, selecting nothing: GET DATA `00F8` with a short Le;
    /// on `6700`, once more with an extended Le where the transport carries one; then the same
    /// for `7F21`. 2 APDUs on a card that answers short Le, 4 with the extended retry, 1 when
    /// the transport cannot carry it.
    pub fn read_certificate_chain(&mut self) -> Result<MasterFileChain> {
        self.card
            .operation(OnReset::Repeat, |card| read_chain_in(card))
    }
}

impl<T: Transport> Card<T> {
    /// The master file's data objects (the card-verifiable certificate chain).
    pub fn master_file(&mut self) -> MasterFile<'_, T> {
        MasterFile { card: self }
    }
}

/// One object: `Ok(Ok(bytes))`, or `Ok(Err(chain))` with what to report instead.
fn get_object<T: Transport>(
    card: &mut Card<T>,
    tag: u16,
) -> Result<std::result::Result<Vec<u8>, MasterFileChain>> {
    let short = commands::get_data(tag, 256);
    let mut response = card.transmit(&short)?;
    let mut command = short;
    if response.status() == StatusWord::WRONG_LENGTH {
        let caps = card.capabilities();
        let ne = MAX_OBJECT_LEN.min(caps.max_response_len.saturating_sub(2));
        if !caps.extended_length || ne <= 256 {
            return Ok(Err(MasterFileChain::NeedsExtendedLength));
        }
        log::debug!("GET DATA {tag:04X}: 6700 to a short Le, asking again with an extended one");
        command = commands::get_data(tag, ne);
        response = card.transmit(&command)?;
    }
    match response.status() {
        StatusWord::SUCCESS => Ok(Ok(response.into_data())),
        status @ (StatusWord::REFERENCED_DATA_NOT_FOUND
        | StatusWord::FILE_NOT_FOUND
        | StatusWord::INCORRECT_P1_P2) => Ok(Err(MasterFileChain::NotAvailable(status))),
        StatusWord::WRONG_LENGTH => Ok(Err(MasterFileChain::NeedsExtendedLength)),
        status => Err(status_error(status, &command)),
    }
}

/// Reads the chain inside an operation (also the genuineness check's first step).
pub(crate) fn read_chain_in<T: Transport>(card: &mut Card<T>) -> Result<MasterFileChain> {
    let mut chain = Vec::with_capacity(CHAIN_TAGS.len());
    for tag in CHAIN_TAGS {
        match get_object(card, tag)? {
            Ok(bytes) => chain.push(
                CvCertificate::parse(&bytes)
                    .map_err(|_| Error::MalformedResponse("master-file certificate"))?,
            ),
            // The upper object decides; a missing lower one leaves a chain of one.
            Err(MasterFileChain::NotAvailable(_)) if !chain.is_empty() => break,
            Err(other) => return Ok(other),
        }
    }
    Ok(MasterFileChain::Read(chain))
}
