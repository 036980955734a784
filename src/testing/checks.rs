//! Checks on a [`Hostile`](super::Hostile) transport's records, shared by the tests and the
//! fuzz targets: how many PINs went out, and whether each went past the last-try guard, to the
//! file the library itself addressed in the same transaction.

use super::Record;
use crate::pin::LastTry;

/// Whether `command` is a VERIFY carrying a PIN or access code: an interindustry VERIFY
/// (`INS 20`) with a body, whatever its P1-P2 — the current EF's (`00 20 00 80 Lc …`), one
/// named by a short file identifier (`00 20 00 80|SFI Lc …`, e.g. `00 20 00 98` for EF 0018),
/// or any other form, which [`check_guard`] then refuses.
pub fn is_pin_verify(command: &[u8]) -> bool {
    matches!(command, [cla, 0x20, _, _, _, ..] if cla & 0xF0 == 0)
}

/// The VERIFY commands carrying a secret among `records` (the library's: another program
/// sends none).
pub fn pin_verifies(records: &[Record]) -> usize {
    records
        .iter()
        .filter(|r| !r.other_program && is_pin_verify(&r.command))
        .count()
}

/// The application and EF a secret lives in, as [`check_guard_on`] expects them addressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecretFile<'a> {
    /// The application's AID.
    pub aid: &'a [u8],
    /// The EF holding the secret (its short file identifier is its low five bits).
    pub fid: u16,
}

/// Checks the last-try guard on `records`: every VERIFY carrying a secret comes right after
/// the exchange of an empty VERIFY of the same form (the same P1-P2; or of the GET RESPONSE
/// that completed it) whose status, as the library saw it, allowed it: `9000`, or `63Cx` with
/// x ≥ 2; also `63C1` and `6300` under [`LastTry::Allow`]. Never after a blocked status
/// (`63C0`, `6983`, `6984`).
///
/// And the VERIFY goes where the library itself pointed it, whatever another program did
/// between transactions: inside one transaction, all sent by the library, the VERIFY follows
/// a SELECT of an application answered `9000` (by the card; the library saw `9000` or `61xx`), then
/// either
/// - (by the current EF, P2 = `80`) a SELECT of an EF answered `9000` (the last SELECT of any
///   kind before the VERIFY), then the empty `00 20 00 80`; or
/// - (by short file identifier, P2 = `80|SFI`) the empty VERIFY with that same P2, naming the
///   EF itself: no SELECT of another application between.
///
/// Any other form of VERIFY carrying a secret fails the check.
pub fn check_guard(records: &[Record], last_try: LastTry) -> Result<(), String> {
    check(records, None, last_try)
}

/// [`check_guard`], and each VERIFY's application and EF are those of `file` (for a VERIFY by
/// short file identifier, the EF whose low five bits it names).
pub fn check_guard_on(
    records: &[Record],
    file: SecretFile<'_>,
    last_try: LastTry,
) -> Result<(), String> {
    check(records, Some(file), last_try)
}

/// How a VERIFY names its PIN's EF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// P2 = `80`: the current EF.
    Current,
    /// P2 = `80|SFI`: the EF of that short file identifier.
    ShortFileId(u8),
}

/// The form of a VERIFY (with a body or not), `None` for any other command or form.
fn form(command: &[u8]) -> Option<Form> {
    match command {
        [0x00, 0x20, 0x00, 0x80, ..] => Some(Form::Current),
        [0x00, 0x20, 0x00, p2, ..] if p2 & 0xE0 == 0x80 && (1..=30).contains(&(p2 & 0x1F)) => {
            Some(Form::ShortFileId(p2 & 0x1F))
        }
        _ => None,
    }
}

/// Whether `command` is an empty VERIFY (no body, no Le) with header `header`.
fn is_status_verify(command: &[u8], header: &[u8]) -> bool {
    command.len() == 4 && command == header
}

fn is_get_response(command: &[u8]) -> bool {
    command.starts_with(&[0x00, 0xC0, 0x00, 0x00])
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
        let Some(form) = form(&record.command) else {
            return Err(format!(
                "VERIFY {i} in an unknown form: {:02X?}",
                record.command.get(..4)
            ));
        };
        let header = record.command.get(..4).unwrap_or_default();
        let Some(before) = i.checked_sub(1).and_then(|j| records.get(j)) else {
            return Err(format!("VERIFY {i} with no status VERIFY before it"));
        };
        // The status exchange: the empty VERIFY of the same form, or the GET RESPONSEs that
        // completed it.
        let status_command = records
            .get(..i)
            .unwrap_or_default()
            .iter()
            .rev()
            .take_while(|r| !r.other_program && r.transaction == record.transaction)
            .find(|r| !is_get_response(&r.command));
        let status_exchange = !before.other_program
            && before.transaction == record.transaction
            && status_command.is_some_and(|r| is_status_verify(&r.command, header));
        let allowed = match before.seen_status() {
            Some(0x9000 | 0x63C2..=0x63CF) => true,
            Some(0x63C1 | 0x6300) => last_try == LastTry::Allow,
            _ => false,
        };
        if !status_exchange || !allowed {
            return Err(format!(
                "VERIFY {i} ({header:02X?}) sent after {:02X?} answered {:02X?} ({last_try:?})",
                before.command, before.returned
            ));
        }
        check_selection(records, i, form, file)?;
    }
    Ok(())
}

/// Whether the card answered `9000` and the library saw success: `9000`, or `61xx` (more
/// data waiting), which the exchange follows with GET RESPONSE and which cannot end as a
/// success unless the chain does.
fn succeeded(record: &Record) -> bool {
    let card_ok = record
        .card_answer
        .as_deref()
        .is_some_and(|answer| answer.ends_with(&[0x90, 0x00]));
    card_ok
        && record
            .seen_status()
            .is_some_and(|sw| sw == 0x9000 || sw >> 8 == 0x61)
}

/// The selection check of [`check_guard`] for the VERIFY at `i`, of `form`.
fn check_selection(
    records: &[Record],
    i: usize,
    form: Form,
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
    let (ef_at, fid) = match form {
        Form::Current => {
            let mut status_verify = false;
            let (ef_at, ef) = loop {
                let Some((j, r)) = earlier.next() else {
                    return Err(format!(
                        "VERIFY {i}: no SELECT of its EF before it in transaction {transaction}"
                    ));
                };
                status_verify |= is_status_verify(&r.command, &[0x00, 0x20, 0x00, 0x80]);
                if r.command.get(..2) == Some(&[0x00, 0xA4]) {
                    break (j, r);
                }
            };
            let fid = match ef.command.as_slice() {
                [0x00, 0xA4, 0x02, 0x0C, 0x02, hi, lo] => u16::from_be_bytes([*hi, *lo]),
                other => {
                    return Err(format!(
                        "VERIFY {i}: the last SELECT before it ({ef_at}) is {other:02X?}, not of \
                         an EF"
                    ))
                }
            };
            if !status_verify {
                return Err(format!(
                    "VERIFY {i}: no empty VERIFY between the SELECT of EF {fid:04X} and it"
                ));
            }
            if !succeeded(ef) {
                return Err(format!(
                    "VERIFY {i}: SELECT {ef_at} ({:02X?}) answered {:02X?}, seen {:02X?}",
                    ef.command, ef.card_answer, ef.returned
                ));
            }
            (Some(ef_at), fid)
        }
        // The status VERIFY of the same form right before it was checked by the caller.
        Form::ShortFileId(sfi) => (None, u16::from(sfi)),
    };
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
    if !succeeded(ap) {
        return Err(format!(
            "VERIFY {i}: SELECT {ap_at} ({:02X?}) answered {:02X?}, seen {:02X?}",
            ap.command, ap.card_answer, ap.returned
        ));
    }
    if let Some(file) = file {
        let named = match form {
            Form::Current => fid == file.fid,
            Form::ShortFileId(sfi) => file.fid >> 5 == 0 && file.fid & 0x1F == u16::from(sfi),
        };
        if aid != file.aid || !named {
            return Err(format!(
                "VERIFY {i} went to EF {fid:04X} ({}) of {aid:02X?}, not to EF {:04X} of {:02X?}",
                match ef_at {
                    Some(at) => format!("selected at {at}"),
                    None => "by short file identifier".to_owned(),
                },
                file.fid,
                file.aid
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const JPKI: &[u8] = &[0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
    const AUTH: SecretFile<'static> = SecretFile {
        aid: JPKI,
        fid: 0x0018,
    };
    const SIGN: SecretFile<'static> = SecretFile {
        aid: JPKI,
        fid: 0x001B,
    };

    /// The library's command `hex`, answered `answer` (hex) in transaction `t`.
    fn ours(hex: &str, answer: &str, t: usize) -> Record {
        let answer = hex::decode(answer).expect("hex");
        Record {
            command: hex::decode(hex).expect("hex"),
            card_answer: Some(answer.clone()),
            returned: Ok(answer),
            fault: None,
            transaction: Some(t),
            other_program: false,
        }
    }

    const SELECT_JPKI: &str = "00A4040C0AD392F000260100000001";
    const SELECT_CARD_INFO: &str = "00A4040C0AD3921000310001010408";

    fn by_sfi(status: &str) -> Vec<Record> {
        vec![
            ours(SELECT_JPKI, "9000", 0),
            ours("00200098", status, 0),
            ours("002000980431323334", "9000", 0),
        ]
    }

    #[test]
    fn a_verify_by_short_file_identifier_after_its_status_passes() {
        let records = by_sfi("63C3");
        assert_eq!(pin_verifies(&records), 1);
        assert_eq!(check_guard(&records, LastTry::Refuse), Ok(()));
        assert_eq!(check_guard_on(&records, AUTH, LastTry::Refuse), Ok(()));
        assert!(check_guard_on(&records, SIGN, LastTry::Refuse).is_err());
    }

    #[test]
    fn the_last_try_and_a_blocked_status_fail_in_either_form() {
        assert!(check_guard(&by_sfi("63C1"), LastTry::Refuse).is_err());
        assert_eq!(check_guard(&by_sfi("63C1"), LastTry::Allow), Ok(()));
        assert!(check_guard(&by_sfi("63C0"), LastTry::Allow).is_err());
        assert!(check_guard(&by_sfi("6984"), LastTry::Allow).is_err());
    }

    #[test]
    fn a_status_of_another_form_or_file_does_not_count() {
        // The status asked for EF 001B, the VERIFY goes to EF 0018.
        let mut records = by_sfi("63C3");
        records[1] = ours("0020009B", "63C5", 0);
        assert!(check_guard(&records, LastTry::Refuse).is_err());
        // The status by short file identifier, the VERIFY to the current EF.
        let mut records = by_sfi("63C3");
        records[2] = ours("002000800431323334", "9000", 0);
        assert!(check_guard(&records, LastTry::Refuse).is_err());
    }

    #[test]
    fn a_verify_by_short_file_identifier_needs_the_application_selected_in_its_transaction() {
        // No SELECT of an application at all.
        let records = by_sfi("63C3").split_off(1);
        assert!(check_guard(&records, LastTry::Refuse).is_err());
        // Selected in an earlier transaction.
        let mut records = by_sfi("63C3");
        records[1].transaction = Some(1);
        records[2].transaction = Some(1);
        assert!(check_guard(&records, LastTry::Refuse).is_err());
        // Another application selected last: the VERIFY goes to its EF 0018.
        let mut records = by_sfi("63C3");
        records.insert(1, ours(SELECT_CARD_INFO, "9000", 0));
        assert!(check_guard_on(&records, AUTH, LastTry::Refuse).is_err());
        // The SELECT refused.
        let mut records = by_sfi("63C3");
        records[0] = ours(SELECT_JPKI, "6A82", 0);
        assert!(check_guard(&records, LastTry::Refuse).is_err());
        // Another program between the library's commands.
        let mut records = by_sfi("63C3");
        let mut theirs = ours(SELECT_CARD_INFO, "9000", 0);
        theirs.other_program = true;
        records.insert(1, theirs);
        assert!(check_guard(&records, LastTry::Refuse).is_err());
    }

    #[test]
    fn the_select_path_after_a_refused_probe_passes() {
        let records = vec![
            ours(SELECT_JPKI, "9000", 0),
            ours("00200098", "6A86", 0),
            ours("00A4020C020018", "9000", 0),
            ours("00200080", "63C3", 0),
            ours("002000800431323334", "63C2", 0),
        ];
        assert_eq!(check_guard_on(&records, AUTH, LastTry::Refuse), Ok(()));
        assert!(check_guard_on(&records, SIGN, LastTry::Refuse).is_err());
        // Without the SELECT of the EF: the VERIFY hits whatever is current.
        let mut no_ef = records.clone();
        no_ef.remove(2);
        assert!(check_guard(&no_ef, LastTry::Refuse).is_err());
    }

    #[test]
    fn any_other_form_of_verify_with_a_body_is_a_secret_and_fails() {
        for form in ["002000010431323334", "002000A004313233", "0020019804313233"] {
            let mut records = by_sfi("63C3");
            records[2] = ours(form, "9000", 0);
            assert_eq!(pin_verifies(&records), 1, "{form}");
            assert!(check_guard(&records, LastTry::Allow).is_err(), "{form}");
        }
    }
}
