//! Checks on a [`Hostile`](super::Hostile) transport's records, shared by the tests and the
//! fuzz targets: how many PINs went out, and whether each went past the last-try guard.

use super::Record;
use crate::pin::LastTry;

/// Whether `command` is a VERIFY carrying a PIN or access code (`00 20 00 80 Lc …`).
pub fn is_pin_verify(command: &[u8]) -> bool {
    command.starts_with(&[0x00, 0x20, 0x00, 0x80]) && command.len() > 4
}

/// The VERIFY commands carrying a secret among `records`.
pub fn pin_verifies(records: &[Record]) -> usize {
    records.iter().filter(|r| is_pin_verify(&r.command)).count()
}

/// Checks the last-try guard on `records`: every VERIFY carrying a secret comes right after
/// the exchange of an empty VERIFY (or of the GET RESPONSE that completed it) whose status, as
/// the library saw it, allowed it: `9000`, or `63Cx` with x ≥ 2; also `63C1` and `6300` under
/// [`LastTry::Allow`]. Never after a blocked status (`63C0`, `6983`, `6984`).
pub fn check_guard(records: &[Record], last_try: LastTry) -> Result<(), String> {
    for (i, record) in records.iter().enumerate() {
        if !is_pin_verify(&record.command) {
            continue;
        }
        let Some(before) = i.checked_sub(1).and_then(|j| records.get(j)) else {
            return Err(format!("VERIFY {i} with no status VERIFY before it"));
        };
        let status_exchange = before.command == [0x00, 0x20, 0x00, 0x80]
            || before.command.starts_with(&[0x00, 0xC0, 0x00, 0x00]);
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
    }
    Ok(())
}
