//! The lockout guard every PIN and access code goes through: the tries left are asked with an
//! empty VERIFY (which spends none), a blocked secret is never sent, the last try is refused
//! unless the caller allows it, and the secret is sent exactly once.

use crate::apdu::StatusWord;
use crate::card::{status_error, Application, Card};
use crate::commands;
use crate::error::{Error, Result};
use crate::pin::{LastTry, PinStatus};
use crate::transport::Transport;

impl<T: Transport> Card<T> {
    /// The status of the PIN or access code in EF `fid` of `application`: SELECT AP and
    /// SELECT EF (unless selected), then an empty VERIFY, which spends no try \[agreed\].
    pub(crate) fn reference_status(
        &mut self,
        application: Application,
        fid: u16,
    ) -> Result<PinStatus> {
        self.select_file(application, fid)?;
        let command = commands::verify_status();
        let response = self.transmit(&command)?;
        Ok(match response.status() {
            StatusWord::SUCCESS => {
                // Verified by us or someone else: end the session by unpowering the card.
                self.note_pin_verified();
                PinStatus::Verified
            }
            StatusWord::REFERENCE_DATA_NOT_USABLE | StatusWord::AUTHENTICATION_METHOD_BLOCKED => {
                PinStatus::Blocked
            }
            StatusWord::VERIFICATION_FAILED => PinStatus::NotReported,
            status => match status.verification_retries() {
                Some(0) => PinStatus::Blocked,
                Some(n) => PinStatus::Remaining(n),
                None => return Err(status_error(status, &command)),
            },
        })
    }

    /// Verifies `secret` against EF `fid` of `application` behind the guard: the status
    /// first, then VERIFY exactly once. Call inside one operation (transaction).
    pub(crate) fn verify_reference(
        &mut self,
        application: Application,
        fid: u16,
        secret: &[u8],
        last_try: LastTry,
    ) -> Result<()> {
        match (self.reference_status(application, fid)?, last_try) {
            (PinStatus::Blocked, _) => return Err(Error::PinBlocked),
            (PinStatus::Remaining(1), LastTry::Refuse) => return Err(Error::LastTryRefused),
            (PinStatus::NotReported, LastTry::Refuse) => return Err(Error::PinTriesUnknown),
            // A verified secret's counter is back at its maximum, so a wrong one costs one of
            // several tries.
            _ => {}
        }
        let command = commands::verify(secret);
        // Before sending: even if the answer is lost, the session must end unpowered.
        self.note_pin_verified();
        let status = self.transmit(&command)?.status();
        match status {
            StatusWord::SUCCESS => Ok(()),
            StatusWord::REFERENCE_DATA_NOT_USABLE | StatusWord::AUTHENTICATION_METHOD_BLOCKED => {
                Err(Error::PinBlocked)
            }
            status => match status.verification_retries() {
                Some(tries_left) => Err(Error::WrongPin { tries_left }),
                None => Err(status_error(status, &command)),
            },
        }
    }

    /// Verifies `current` behind the guard, then CHANGE REFERENCE DATA to `new` (`00 24 01 80`)
    /// [myna (marked untested), myna-card]. Each is sent once. Call inside one operation.
    pub(crate) fn change_reference(
        &mut self,
        application: Application,
        fid: u16,
        current: &[u8],
        new: &[u8],
        last_try: LastTry,
    ) -> Result<()> {
        self.verify_reference(application, fid, current, last_try)?;
        self.transmit_ok(&commands::change_reference_data(new))?;
        Ok(())
    }
}
