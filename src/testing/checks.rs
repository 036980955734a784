//! Checks on a [`Hostile`](super::Hostile) transport's records, shared by the tests and the
//! fuzz targets: how many PINs went out, and whether each went past the last-try guard, to the
//! file the library itself selected in the same transaction.

use super::Record;
use crate::pin::LastTry;

/// Whether `command` is a VERIFY carrying a PIN or access code (`00 20 00 80 Lc …`).
pub fn is_pin_verify(command: &[u8]) -> bool {
    command.starts_with(&[0x00, 0x20, 0x00, 0x80]) && command.len() > 4
}

/// The VERIFY commands carrying a secret among `records` (the library's: another program
/// sends none).
pub fn pin_verifies(records: &[Record]) -> usize {
    records
        .iter()
        .filter(|r| !r.other_program && is_pin_verify(&r.command))
        .count()
}

/// The application and EF a secret lives in, as [`check_guard_on`] expects them selected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecretFile<'a> {
    /// The application's AID.
    pub aid: &'a [u8],
    /// The EF holding the secret.
    pub fid: u16,
}

/// Checks the last-try guard on `records`: every VERIFY carrying a secret comes right after
/// the exchange of an empty VERIFY (or of the GET RESPONSE that completed it) whose status, as
/// the library saw it, allowed it: `9000`, or `63Cx` with x ≥ 2; also `63C1` and `6300` under
/// [`LastTry::Allow`]. Never after a blocked status (`63C0`, `6983`, `6984`).
///
/// And the VERIFY goes where the library itself pointed it, whatever another program did
/// between transactions: inside one transaction, the VERIFY follows a SELECT of an
/// application, then a SELECT of an EF (the last SELECT of any kind before the VERIFY), then
/// the empty VERIFY, all sent by the library in that same transaction and all answered
/// `9000` by the card and as the library saw it.
pub fn check_guard(records: &[Record], last_try: LastTry) -> Result<(), String> {
    check(records, None, last_try)
}

/// [`check_guard`], and each VERIFY's application and EF are those of `file`.
pub fn check_guard_on(
    records: &[Record],
    file: SecretFile<'_>,
    last_try: LastTry,
) -> Result<(), String> {
    check(records, Some(file), last_try)
}

fn check(
    records: &[Record],
    file: Option<SecretFile<'_>>,
    last_try: LastTry,
) -> Result<(), String> {
    for (i, record) in records.iter().enumerate() {
        if record.other_program || !is_pin_verify(&record.command) {
            continue;
        }
        let Some(before) = i.checked_sub(1).and_then(|j| records.get(j)) else {
            return Err(format!("VERIFY {i} with no status VERIFY before it"));
        };
        let status_exchange = !before.other_program
            && (before.command == EMPTY_VERIFY
                || before.command.starts_with(&[0x00, 0xC0, 0x00, 0x00]));
        let allowed = match before.seen_status() {
            Some(0x9000 | 0x63C2..=0x63CF) => true,
            Some(0x63C1 | 0x6300) => last_try == LastTry::Allow,
            _ => false,
        };
        if !status_exchange || !allowed {
            return Err(format!(
                "VERIFY {i} sent after {:02X?} answered {:02X?} ({last_try:?})",
                before.command, before.returned
            ));
        }
        check_selection(records, i, file)?;
    }
    Ok(())
}

const EMPTY_VERIFY: [u8; 4] = [0x00, 0x20, 0x00, 0x80];

/// Whether the card answered `9000` and the library saw `9000`.
fn succeeded(record: &Record) -> bool {
    let card_ok = record
        .card_answer
        .as_deref()
        .is_some_and(|answer| answer.ends_with(&[0x90, 0x00]));
    card_ok && record.seen_status() == Some(0x9000)
}

/// The selection check of [`check_guard`] for the VERIFY at `i`.
fn check_selection(
    records: &[Record],
    i: usize,
    file: Option<SecretFile<'_>>,
) -> Result<(), String> {
    let Some(transaction) = records.get(i).and_then(|r| r.transaction) else {
        return Err(format!("VERIFY {i} sent outside a transaction"));
    };
    // The library's earlier commands of the same transaction, latest first.
    let mut earlier = records
        .get(..i)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .rev()
        .take_while(|(_, r)| r.transaction == Some(transaction) && !r.other_program);
    let mut status_verify = false;
    let (ef_at, ef) = loop {
        let Some((j, r)) = earlier.next() else {
            return Err(format!(
                "VERIFY {i}: no SELECT of its EF before it in transaction {transaction}"
            ));
        };
        status_verify |= r.command == EMPTY_VERIFY;
        if r.command.get(..2) == Some(&[0x00, 0xA4]) {
            break (j, r);
        }
    };
    let fid = match ef.command.as_slice() {
        [0x00, 0xA4, 0x02, 0x0C, 0x02, hi, lo] => u16::from_be_bytes([*hi, *lo]),
        other => {
            return Err(format!(
                "VERIFY {i}: the last SELECT before it ({ef_at}) is {other:02X?}, not of an EF"
            ))
        }
    };
    if !status_verify {
        return Err(format!(
            "VERIFY {i}: no empty VERIFY between the SELECT of EF {fid:04X} and it"
        ));
    }
    let (ap_at, ap) = loop {
        let Some((j, r)) = earlier.next() else {
            return Err(format!(
                "VERIFY {i}: no SELECT of an application before EF {fid:04X} in transaction \
                 {transaction}"
            ));
        };
        if r.command.starts_with(&[0x00, 0xA4, 0x04]) {
            break (j, r);
        }
    };
    let aid = ap.command.get(5..).unwrap_or_default();
    for (at, r) in [(ap_at, ap), (ef_at, ef)] {
        if !succeeded(r) {
            return Err(format!(
                "VERIFY {i}: SELECT {at} ({:02X?}) answered {:02X?}, seen {:02X?}",
                r.command, r.card_answer, r.returned
            ));
        }
    }
    if let Some(file) = file {
        if aid != file.aid || fid != file.fid {
            return Err(format!(
                "VERIFY {i} went to EF {fid:04X} of {aid:02X?}, not to EF {:04X} of {:02X?}",
                file.fid, file.aid
            ));
        }
    }
    Ok(())
}
