//! The lockout guard every PIN and access code goes through. Inside one transaction it
//! selects the secret's application and file itself (whatever it believed was selected),
//! asks for the tries left with an empty VERIFY (which spends none), never sends a blocked
//! secret, refuses the last try unless the caller allows it, and sends the secret exactly
//! once.

use crate::apdu::{Command, StatusWord};
use crate::card::{refuses_form, status_error, Application, Card, Support};
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

/// How a secret's file is addressed in one transaction: by the SELECT just sent, or by its
/// short file identifier in P2 of each VERIFY.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Selected,
    ShortFileId(u8),
}

/// Which selection a status VERIFY after SELECT EF may rely on: the session's (a status
/// alone, which sends no secret: on an exclusive transport, what an earlier transaction
/// selected), or only this transaction's (the guard, whatever the transport declares).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Trust {
    Session,
    Transaction,
}

impl<T: Transport> Card<T> {
    /// The status of the PIN or access code in EF `fid` of `application`: SELECT AP (unless
    /// selected), then an empty VERIFY, which spends no try (OpenSC, jpki/myna and myna-card
    /// all ask this way) — by the file's short file identifier (`00 20 00 80|SFI`) unless the
    /// card refused that form, else after SELECT EF.
    pub(crate) fn reference_status(
        &mut self,
        application: Application,
        fid: u16,
    ) -> Result<PinStatus> {
        self.select_application(application)?;
        self.status_in_some_form(application, fid, Trust::Session)
            .map(|(status, _)| status)
    }

    /// The empty VERIFY for EF `fid`, the application being selected: first by short file
    /// identifier, the safe probe (it spends no try); if the card refuses that form, after
    /// SELECT EF (as `trust` says).
    fn status_in_some_form(
        &mut self,
        application: Application,
        fid: u16,
        trust: Trust,
    ) -> Result<(PinStatus, Form)> {
        let sfi = commands::short_file_id(fid)
            .filter(|_| self.addressing().verify_short_file_ids != Support::Refused);
        let before = self.addressing();
        if let Some(sfi) = sfi {
            let command = commands::verify_status_sfi(sfi);
            let response = self.transmit(&command)?;
            self.forget_file();
            if refuses_form(response.status()) {
                log::debug!("the card refused a short file identifier in VERIFY: selecting");
                // Whatever it answered before: no such VERIFY again in this session.
                self.addressing_mut().refuse_unknown();
                self.addressing_mut().verify_short_file_ids = Support::Refused;
            } else {
                self.addressing_mut().verify_short_file_ids = Support::Works;
                let status = self.pin_status_from(response.status(), &command)?;
                return Ok((status, Form::ShortFileId(sfi)));
            }
        }
        let selected = self.status_selected(application, fid, trust);
        if sfi.is_some() && matches!(selected, Err(Error::FileNotFound { .. })) {
            // The file is missing (a card without a signature PIN, say), not the form
            // refused: what the session knew of the card stands.
            *self.addressing_mut() = before;
        }
        selected
    }

    /// The empty VERIFY after SELECT EF `fid` (unless selected, as `trust` says).
    fn status_selected(
        &mut self,
        application: Application,
        fid: u16,
        trust: Trust,
    ) -> Result<(PinStatus, Form)> {
        match trust {
            Trust::Session => self.select_file(application, fid)?,
            Trust::Transaction => self.select_file_here(application, fid)?,
        }
        let command = commands::verify_status();
        let status = self.transmit(&command)?.status();
        Ok((self.pin_status_from(status, &command)?, Form::Selected))
    }

    /// What an empty VERIFY's answer says.
    fn pin_status_from(&mut self, status: StatusWord, command: &Command) -> Result<PinStatus> {
        Ok(match status {
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
                None => return Err(status_error(status, command)),
            },
        })
    }

    /// [`Card::verify_reference`] as an operation of its own: one transaction, never
    /// repeated after a reset.
    pub(crate) fn verify_operation(
        &mut self,
        guarded: &Guarded<'_>,
        last_try: LastTry,
    ) -> Result<()> {
        self.operation(crate::card::OnReset::Fail, |card| {
            card.verify_reference(guarded, last_try)
        })
    }

    /// Verifies a secret behind the guard, in the current transaction: SELECT of its
    /// application unless this transaction selected it, the empty status VERIFY (by short
    /// file identifier, or after SELECT EF in this transaction), then VERIFY with the secret
    /// exactly once, in the form the status VERIFY was answered in. Call inside one
    /// operation.
    pub(crate) fn verify_reference(
        &mut self,
        guarded: &Guarded<'_>,
        last_try: LastTry,
    ) -> Result<()> {
        self.verify_in(guarded, last_try, true)
    }

    /// [`Card::verify_reference`]; `short_file_id` false keeps to SELECT EF, so that the
    /// secret's EF is the current one afterwards.
    fn verify_in(
        &mut self,
        guarded: &Guarded<'_>,
        last_try: LastTry,
        short_file_id: bool,
    ) -> Result<()> {
        let secret = guarded.secret;
        self.select_application_here(guarded.application)?;
        let (application, file) = (guarded.application, guarded.file);
        let (status, form) = if short_file_id {
            self.status_in_some_form(application, file, Trust::Transaction)?
        } else {
            self.status_selected(application, file, Trust::Transaction)?
        };
        match (status, last_try) {
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
        let command = match form {
            Form::Selected => commands::verify(guarded.value),
            Form::ShortFileId(sfi) => commands::verify_sfi(sfi, guarded.value),
        };
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
    /// (`00 24 01 80`, as jpki/myna and myna-card send it), which acts on the current EF: so
    /// the secret's EF is selected (no short file identifier). Each is sent once. Call inside
    /// one operation.
    pub(crate) fn change_reference(
        &mut self,
        current: &Guarded<'_>,
        new: &[u8],
        last_try: LastTry,
    ) -> Result<()> {
        self.verify_in(current, last_try, false)?;
        self.transmit_ok(&commands::change_reference_data(new))?;
        Ok(())
    }
}
