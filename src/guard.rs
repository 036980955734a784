//! The lockout guard every PIN and access code goes through. Inside one transaction it
//! selects the secret's application and file itself (whatever it believed was selected),
//! asks for the tries left with an empty VERIFY (which spends none), never sends a blocked
//! secret, refuses the last try unless the caller allows it, and sends the secret exactly
//! once.

use crate::apdu::StatusWord;
use crate::card::{status_error, Application, Card};
use crate::commands;
use crate::error::{Error, Result};
use crate::pin::{LastTry, PinStatus, Secret};
use crate::transport::Transport;

/// A secret on its way to the card: what it is, where it lives, its bytes.
pub(crate) struct Guarded<'a> {
    /// Which secret, for the errors.
    pub(crate) secret: Secret,
    /// Its application.
    pub(crate) application: Application,
    /// Its EF.
    pub(crate) file: u16,
    /// The bytes VERIFY sends.
    pub(crate) value: &'a [u8],
}

impl<T: Transport> Card<T> {
    /// The status of the PIN or access code in EF `fid` of `application`: SELECT AP and
    /// SELECT EF (unless selected), then an empty VERIFY, which spends no try (OpenSC,
    /// jpki/myna and myna-card all ask this way).
    pub(crate) fn reference_status(
        &mut self,
        application: Application,
        fid: u16,
    ) -> Result<PinStatus> {
        self.select_file(application, fid)?;
        self.selected_reference_status()
    }

    /// The empty VERIFY for the selected file.
    fn selected_reference_status(&mut self) -> Result<PinStatus> {
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

    /// Verifies a secret behind the guard, in the current transaction: SELECT of its
    /// application and file unless this transaction selected them, the empty status VERIFY,
    /// then VERIFY with the secret exactly once. Call inside one operation.
    pub(crate) fn verify_reference(
        &mut self,
        guarded: &Guarded<'_>,
        last_try: LastTry,
    ) -> Result<()> {
        let secret = guarded.secret;
        self.select_file_here(guarded.application, guarded.file)?;
        match (self.selected_reference_status()?, last_try) {
            (PinStatus::Blocked, _) => return Err(Error::Blocked { secret }),
            (PinStatus::Remaining(1), LastTry::Refuse) => {
                return Err(Error::LastTryRefused { secret })
            }
            (PinStatus::NotReported, LastTry::Refuse) => {
                return Err(Error::TriesUnknown { secret })
            }
            // A verified secret's counter is back at its maximum, so a wrong one costs one of
            // several tries.
            _ => {}
        }
        let command = commands::verify(guarded.value);
        // Before sending: even if the answer is lost, the session must end unpowered.
        self.note_pin_verified();
        let status = self.transmit(&command)?.status();
        match status {
            StatusWord::SUCCESS => Ok(()),
            // The status VERIFY said a try was left: this attempt spent the last one.
            StatusWord::REFERENCE_DATA_NOT_USABLE
            | StatusWord::AUTHENTICATION_METHOD_BLOCKED
            | StatusWord::VERIFICATION_FAILED_NO_TRIES => {
                Err(Error::BlockedByThisAttempt { secret })
            }
            StatusWord::VERIFICATION_FAILED => Err(Error::WrongSecretTriesUnknown { secret }),
            status => match status.verification_retries() {
                Some(tries_left) if secret.is_pin() => Err(Error::WrongPin { tries_left }),
                Some(tries_left) => Err(Error::WrongAccessCode { secret, tries_left }),
                None => Err(status_error(status, &command)),
            },
        }
    }

    /// Verifies the current secret behind the guard, then CHANGE REFERENCE DATA to `new`
    /// (`00 24 01 80`, as jpki/myna and myna-card send it). Each is sent once. Call inside
    /// one operation.
    pub(crate) fn change_reference(
        &mut self,
        current: &Guarded<'_>,
        new: &[u8],
        last_try: LastTry,
    ) -> Result<()> {
        self.verify_reference(current, last_try)?;
        self.transmit_ok(&commands::change_reference_data(new))?;
        Ok(())
    }
}
