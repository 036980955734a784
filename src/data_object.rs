//! GET DATA of one data object, with the retry a card was seen to need: myna-card found the
//! My Number Card answering `6700` (wrong length) to a short Le for its larger objects and
//! the object itself to the same command with an extended Le. The session sends the short
//! form first; only on `6700`, and only where the transport carries extended APDUs, it asks
//! again with an extended Le, and remembers for the session that this card wants one. Over a
//! short-only transport the object is reported as needing one, not as an error.

use zeroize::Zeroizing;

use crate::apdu::{Command, StatusWord, MAX_SHORT_NE};
use crate::card::{status_error, Card};
use crate::commands;
use crate::error::{Error, Result};
use crate::files::Content;
use crate::transport::Transport;

/// What GET DATA gave for one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DataObjectRead {
    /// The object's value, zeroized on drop.
    Value(Zeroizing<Vec<u8>>),
    /// The card answered `6700` to the short Le and the transport cannot carry an extended
    /// one (or the card refused that too).
    NeedsExtendedLength,
    /// The card has no such object here: `6A88` (referenced data not found), `6A82` or
    /// `6A86` (myna-card: which objects a card answers varies, and an absent one is an
    /// ordinary answer).
    NotFound(StatusWord),
}

/// That a GET DATA in this session answered `6700` to a short Le and the object to an
/// extended one: later objects are asked with an extended Le first.
#[derive(Default)]
struct WantsExtendedLe(bool);

impl<T: Transport> Card<T> {
    /// GET DATA `00 CA P1 P2 00` of the object `tag`; on `6700`, once more with an extended Le
    /// of `max` bytes (bounded by the transport) where the transport carries extended APDUs:
    /// 1 APDU, or 2 with the retry. Once an object of this session needed the retry, the
    /// next ones are asked with the extended Le first (1 APDU each), and with the short one
    /// should the card answer `6700` to that. `content` says whether traces mask the value.
    /// Call inside one operation.
    pub(crate) fn get_data_object(
        &mut self,
        tag: u16,
        max: usize,
        content: Content,
    ) -> Result<DataObjectRead> {
        let mark = |command: Command| match content {
            Content::Personal => command.sensitive_response(),
            Content::Public => command,
        };
        let caps = self.capabilities();
        let extended_ne = max.min(caps.max_response_len.saturating_sub(2));
        let can_extend = caps.extended_length && extended_ne > MAX_SHORT_NE;
        let extended = mark(commands::get_data(tag, extended_ne));
        let short = mark(commands::get_data(tag, MAX_SHORT_NE));
        let wants_extended = self.note::<WantsExtendedLe>().is_some_and(|note| note.0);
        let (mut command, mut response) = if can_extend && wants_extended {
            let response = self.transmit(&extended)?;
            if response.status() == StatusWord::WRONG_LENGTH {
                (short.clone(), self.transmit(&short)?)
            } else {
                (extended.clone(), response)
            }
        } else {
            (short.clone(), self.transmit(&short)?)
        };
        if response.status() == StatusWord::WRONG_LENGTH && command == short {
            if !can_extend {
                log::debug!(
                    "GET DATA {tag:04X}: 6700 to a short Le; the transport carries no extended one"
                );
                return Ok(DataObjectRead::NeedsExtendedLength);
            }
            log::debug!(
                "GET DATA {tag:04X}: 6700 to a short Le, asking again with an extended one"
            );
            command = extended;
            response = self.transmit(&command)?;
            if response.status() == StatusWord::SUCCESS {
                self.update_note(|note: &mut WantsExtendedLe| note.0 = true);
            }
        }
        match response.status() {
            StatusWord::SUCCESS if response.data().len() > max => {
                Err(Error::MalformedResponse("data object longer than its cap"))
            }
            StatusWord::SUCCESS => Ok(DataObjectRead::Value(response.into_data_zeroizing())),
            StatusWord::WRONG_LENGTH => Ok(DataObjectRead::NeedsExtendedLength),
            status @ (StatusWord::REFERENCED_DATA_NOT_FOUND
            | StatusWord::FILE_NOT_FOUND
            | StatusWord::INCORRECT_P1_P2) => Ok(DataObjectRead::NotFound(status)),
            status => Err(status_error(status, &command)),
        }
    }
}
