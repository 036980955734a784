//! A reader shared with another program (the most common desktop setup: PC/SC in shared
//! mode). Between two of the library's transactions the other program may select any
//! application and any file; the library is not told. A VERIFY sent to what the session
//! *believes* is selected then spends a try of whatever secret the other program left
//! selected. The library must forget its selection at the start of every transaction on a
//! transport that does not declare exclusive access, and the guard must select the secret's
//! application and EF itself, in the transaction of the empty VERIFY and the VERIFY.
//!
//! [`SharedReader`] is that reader: a virtual card behind a transport that declares no
//! exclusivity, where the test queues the other program's commands; they reach the card when
//! the library begins its next transaction. Assertions are on the virtual card's counters and
//! on the exact transcript (the library's commands, the other program's, and the transaction
//! boundaries).
//!
//! Where the card takes short file identifiers, the guard names the PIN's EF in the VERIFYs
//! themselves (`00 20 00 80|SFI`) after selecting the application in the same transaction, so
//! no other program's selection of an EF matters; each test runs on such a card and on one
//! refusing short file identifiers, where the guard selects the EF itself.

mod flow_support;

use flow_support::{
    reads, select_ef, status_sfi, verify, verify_sfi, Wire, EMPTY_VERIFY, SELECT_CARD_INFO,
    SELECT_JPKI,
};
use mynumbercard::access_code::CardInfoPin;
use mynumbercard::card_info::CardInfoKey;
use mynumbercard::transport::{Capabilities, TransportError};
use mynumbercard::{
    AuthPin, Card, CertificateKind, Error, PinKind, PinStatus, SignPin, Transport, VirtualCard,
};

/// The tries left on a fresh virtual card, as [`VirtualCard::all_tries_left`] lists them: JPKI
/// auth (3), JPKI sign (5), card-info PIN (3), card-info access codes A and B, card-face birth
/// date, card-face access codes A and B.
fn fresh() -> [u8; 8] {
    let tries = VirtualCard::new().all_tries_left();
    assert_eq!(tries[..3], [3, 5, 3]);
    tries
}

/// A virtual card in a reader another program shares; see the module docs.
struct SharedReader {
    card: VirtualCard,
    /// The other program's commands, sent before the library's next transaction.
    queued: Vec<Vec<u8>>,
    /// What crossed the reader: `begin`, `end`, the library's commands in hex, and the other
    /// program's as `other HEX`.
    transcript: Vec<String>,
    capabilities: Capabilities,
    /// Whether the card refuses short file identifiers (`6A86` to a VERIFY with P2 =
    /// `80|SFI`, which then never reaches the card).
    refuse_sfi: bool,
}

impl SharedReader {
    /// A fresh virtual card, in a reader that declares no exclusive access and carries short
    /// APDUs only (so that files are read after their SELECT, and what is selected shows).
    fn new() -> Self {
        Self::with_card(short_reader_card())
    }

    /// A fresh virtual card refusing short file identifiers ([`SharedReader::new`] if not
    /// `refuse_sfi`).
    fn refusing_sfi(refuse_sfi: bool) -> Self {
        let mut reader = Self::new();
        reader.refuse_sfi = refuse_sfi;
        reader
    }

    fn with_card(card: VirtualCard) -> Self {
        // The virtual card's own capabilities, but shared: the in-process card declares
        // exclusive access, a reader another program uses cannot.
        let mut capabilities = card.capabilities();
        capabilities.exclusive = false;
        Self {
            card,
            queued: Vec::new(),
            transcript: Vec::new(),
            capabilities,
            refuse_sfi: false,
        }
    }
}

impl Transport for SharedReader {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.transcript.push(hex::encode_upper(command));
        if let [0x00, 0x20, 0x00, p2, ..] = command {
            if self.refuse_sfi && p2 & 0xE0 == 0x80 && *p2 != 0x80 {
                return Ok(vec![0x6A, 0x86]);
            }
        }
        Ok(self.card.handle(command))
    }

    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }

    /// The other program had the card until now: its commands reach the card first.
    fn begin_transaction(&mut self) -> Result<(), TransportError> {
        for command in std::mem::take(&mut self.queued) {
            let answer = self.card.handle(&command);
            assert_eq!(answer, [0x90, 0x00], "the other program's SELECT");
            self.transcript
                .push(format!("other {}", hex::encode_upper(&command)));
        }
        self.transcript.push("begin".into());
        Ok(())
    }

    fn end_transaction(&mut self) -> Result<(), TransportError> {
        self.transcript.push("end".into());
        Ok(())
    }
}

/// The other program's SELECT of an application by AID (the library's own form, `00 A4 04
/// 0C`), and of an EF.
fn other(selects: &[&str]) -> Vec<Vec<u8>> {
    selects
        .iter()
        .map(|s| hex::decode(s).expect("hex"))
        .collect()
}

/// Queues the other program's commands for the gap before the library's next transaction.
fn another_program_sends(card: &mut Card<SharedReader>, selects: &[&str]) {
    card.transport_mut().queued.extend(other(selects));
}

/// The transcript from entry `from` on.
fn transcript_from(card: &Card<SharedReader>, from: usize) -> Vec<String> {
    card.transport()
        .transcript
        .get(from..)
        .unwrap_or_default()
        .to_vec()
}

fn tries(card: &Card<SharedReader>) -> [u8; 8] {
    card.transport().card.all_tries_left()
}

/// [`fresh`] with the try counter at `index` one lower.
fn one_try_spent(index: usize) -> [u8; 8] {
    let mut expected = fresh();
    expected[index] -= 1;
    expected
}

fn wrong_auth() -> AuthPin {
    AuthPin::new("0000").expect("valid")
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// What the guard must send for a wrong secret of EF `fid` of the application `select`, in
/// one transaction on a shared reader: SELECT of the application, then the status and the
/// VERIFY by short file identifier, or (on a card that refused that form earlier in the
/// session) SELECT EF, the status and the VERIFY of the current EF.
fn verify_transcript(select: &str, fid: u16, secret: &[u8], refuse_sfi: bool) -> Vec<String> {
    let mut expected = strings(&["begin", select]);
    if refuse_sfi {
        expected.extend([select_ef(fid), EMPTY_VERIFY.into(), verify(secret)]);
    } else {
        expected.extend([status_sfi(fid), verify_sfi(fid, secret)]);
    }
    expected.push("end".into());
    expected
}

/// [`verify_transcript`] for a wrong auth PIN.
fn auth_verify_transcript(refuse_sfi: bool) -> Vec<String> {
    verify_transcript(SELECT_JPKI, 0x0018, b"0000", refuse_sfi)
}

#[test]
fn another_program_selecting_the_sign_pin_does_not_make_an_auth_verify_spend_it() {
    for refuse_sfi in [false, true] {
        let mut card = Card::new(SharedReader::refusing_sfi(refuse_sfi));
        let status = card.jpki().pin_status(PinKind::Auth).expect("status");
        assert_eq!(status, PinStatus::Remaining(3));

        // Between our transactions: the JPKI application's signature PIN, EF 001B.
        another_program_sends(&mut card, &[&select_ef(0x001B)]);
        let from = card.transport().transcript.len();
        let result = card.jpki().verify_pin(&wrong_auth());

        assert!(
            matches!(result, Err(Error::WrongPin { tries_left: 2 })),
            "{result:?}"
        );
        assert_eq!(
            tries(&card),
            one_try_spent(0),
            "only the auth PIN lost a try"
        );
        let mut expected = vec![format!("other {}", select_ef(0x001B))];
        expected.extend(auth_verify_transcript(refuse_sfi));
        assert_eq!(transcript_from(&card, from), expected, "{refuse_sfi}");
    }
}

#[test]
fn another_program_selecting_the_card_info_pin_does_not_make_an_auth_verify_spend_it() {
    for refuse_sfi in [false, true] {
        let mut card = Card::new(SharedReader::refusing_sfi(refuse_sfi));
        card.jpki().pin_status(PinKind::Auth).expect("status");

        // The card-info application and its PIN, EF 0011.
        let theirs = [SELECT_CARD_INFO, &select_ef(0x0011)].map(str::to_owned);
        another_program_sends(&mut card, &[&theirs[0], &theirs[1]]);
        let from = card.transport().transcript.len();
        let result = card.jpki().verify_pin(&wrong_auth());

        assert!(
            matches!(result, Err(Error::WrongPin { tries_left: 2 })),
            "{result:?}"
        );
        assert_eq!(
            tries(&card),
            one_try_spent(0),
            "the card-info PIN kept its tries"
        );
        let mut expected: Vec<String> = theirs.iter().map(|c| format!("other {c}")).collect();
        expected.extend(auth_verify_transcript(refuse_sfi));
        assert_eq!(transcript_from(&card, from), expected, "{refuse_sfi}");
    }
}

#[test]
fn another_program_selecting_the_auth_pin_does_not_make_a_card_info_verify_spend_it() {
    for refuse_sfi in [false, true] {
        let mut card = Card::new(SharedReader::refusing_sfi(refuse_sfi));
        let status = card
            .card_info()
            .pin_status(CardInfoKey::Pin)
            .expect("status");
        assert_eq!(status, PinStatus::Remaining(3));

        let theirs = [SELECT_JPKI, &select_ef(0x0018)].map(str::to_owned);
        another_program_sends(&mut card, &[&theirs[0], &theirs[1]]);
        let from = card.transport().transcript.len();
        let result = card
            .card_info()
            .verify_pin(&CardInfoPin::new("0000").expect("valid"));

        assert!(
            matches!(result, Err(Error::WrongPin { tries_left: 2 })),
            "{result:?}"
        );
        assert_eq!(
            tries(&card),
            one_try_spent(2),
            "only the card-info PIN lost a try"
        );
        let mut expected: Vec<String> = theirs.iter().map(|c| format!("other {c}")).collect();
        expected.extend(verify_transcript(
            SELECT_CARD_INFO,
            0x0011,
            b"0000",
            refuse_sfi,
        ));
        assert_eq!(transcript_from(&card, from), expected, "{refuse_sfi}");
    }
}

#[test]
fn another_program_selecting_another_application_does_not_break_a_verify() {
    for refuse_sfi in [false, true] {
        let mut card = Card::new(SharedReader::refusing_sfi(refuse_sfi));
        card.jpki().pin_status(PinKind::Auth).expect("status");

        // Only the card-info application: no EF of it selected.
        another_program_sends(&mut card, &[SELECT_CARD_INFO]);
        let from = card.transport().transcript.len();
        let result = card.jpki().verify_pin(&wrong_auth());

        assert!(
            matches!(result, Err(Error::WrongPin { tries_left: 2 })),
            "{result:?}"
        );
        assert_eq!(tries(&card), one_try_spent(0));
        let mut expected = vec![format!("other {SELECT_CARD_INFO}")];
        expected.extend(auth_verify_transcript(refuse_sfi));
        assert_eq!(transcript_from(&card, from), expected, "{refuse_sfi}");
    }
}

#[test]
fn another_program_selecting_another_application_does_not_break_a_read() {
    let mut card = Card::new(SharedReader::new());
    let first = card
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .expect("read");

    another_program_sends(&mut card, &[SELECT_CARD_INFO]);
    let from = card.transport().transcript.len();
    let again = card
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .expect("read again");

    assert_eq!(again, first);
    let mut expected = strings(&[&format!("other {SELECT_CARD_INFO}"), "begin", SELECT_JPKI]);
    expected.push(select_ef(0x000A));
    expected.extend(reads(first.len()));
    expected.push("end".into());
    assert_eq!(transcript_from(&card, from), expected);
}

#[test]
fn the_right_pin_after_another_programs_selection_verifies_the_right_pin() {
    let mut card = Card::new(SharedReader::new());
    card.jpki().pin_status(PinKind::Sign).expect("status");

    // The session last selected the sign PIN; the other program leaves the auth PIN selected.
    another_program_sends(&mut card, &[&select_ef(0x0018)]);
    let pin = SignPin::new(VirtualCard::DEFAULT_SIGN_PIN).expect("valid");
    card.jpki().verify_pin(&pin).expect("verify");

    assert!(card.transport().card.is_verified(PinKind::Sign));
    assert!(!card.transport().card.is_verified(PinKind::Auth));
    assert_eq!(tries(&card), fresh());
    let der = card
        .jpki()
        .read_certificate_der(CertificateKind::Sign)
        .expect("the signature certificate, readable once its PIN is verified");
    assert_eq!(
        der,
        VirtualCard::new().certificate_der(CertificateKind::Sign)
    );
}

/// Two reads in two operations, and the APDUs of the second.
fn second_read_apdus<T: Transport>(card: &mut Card<T>) -> (u64, usize) {
    let ca = card
        .jpki()
        .read_certificate_der(CertificateKind::AuthCa)
        .expect("read");
    let before = card.stats().commands;
    let der = card
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .expect("read");
    assert_eq!(before, 2 + reads(ca.len()).len() as u64);
    (card.stats().commands - before, reads(der.len()).len())
}

#[test]
fn a_shared_reader_selects_the_application_again_in_every_operation() {
    let mut card = Card::new(SharedReader::new());
    let (apdus, reads) = second_read_apdus(&mut card);
    // SELECT AP, SELECT EF 000A, the reads.
    assert_eq!(apdus, 2 + reads as u64);
}

/// The default virtual card behind a short-APDU reader.
fn short_reader_card() -> VirtualCard {
    VirtualCard::builder()
        .reader(mynumbercard::virtual_card::Reader::ShortOnly)
        .build()
}

#[test]
fn an_exclusive_transport_keeps_the_selection_across_operations() {
    // The in-process virtual card is exclusive: nobody else reaches it.
    let mut vc = short_reader_card();
    assert!(vc.capabilities().exclusive);
    let mut card = Card::new(&mut vc);
    let (apdus, reads) = second_read_apdus(&mut card);
    // SELECT EF 000A and the reads: the JPKI application is still selected.
    assert_eq!(apdus, 1 + reads as u64);
    drop(card);
    assert_eq!(
        vc.log().first().map(hex::encode_upper).as_deref(),
        Some(SELECT_JPKI)
    );
    let jpki_selects = vc
        .log()
        .iter()
        .filter(|c| hex::encode_upper(c) == SELECT_JPKI)
        .count();
    assert_eq!(jpki_selects, 1);
}

/// Two status reads and a wrong auth PIN, in three operations: the APDUs of each.
fn status_status_verify<T: Transport>(card: &mut Card<T>) -> [u64; 3] {
    let mut counts = [0; 3];
    let mut last = 0;
    for (i, count) in counts.iter_mut().enumerate() {
        if i < 2 {
            let status = card.jpki().pin_status(PinKind::Auth).expect("status");
            assert_eq!(status, PinStatus::Remaining(3));
        } else {
            let result = card.jpki().verify_pin(&wrong_auth());
            assert!(
                matches!(result, Err(Error::WrongPin { tries_left: 2 })),
                "{result:?}"
            );
        }
        *count = card.stats().commands - last;
        last = card.stats().commands;
    }
    counts
}

#[test]
fn the_guard_selects_the_application_itself_even_on_an_exclusive_transport() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    // The second status trusts the selection (1 APDU: the empty VERIFY by short file
    // identifier); the guard does not (SELECT AP, empty VERIFY, VERIFY).
    assert_eq!(status_status_verify(&mut card), [2, 1, 3]);
    drop(card);
    let log: Vec<String> = vc.log().iter().map(hex::encode_upper).collect();
    let expected = [
        SELECT_JPKI.to_owned(),
        status_sfi(0x0018),
        status_sfi(0x0018),
        SELECT_JPKI.to_owned(),
        status_sfi(0x0018),
        verify_sfi(0x0018, b"0000"),
    ];
    assert_eq!(log, expected);
    assert_eq!(vc.all_tries_left(), one_try_spent(0));
}

#[test]
fn the_guard_selects_the_secret_itself_even_on_an_exclusive_transport() {
    // A card refusing short file identifiers: the SELECT path, one refused probe per session.
    let mut card = Card::new(Wire::refusing_sfi(VirtualCard::new()));
    assert!(card.transport().capabilities().exclusive);
    // The second status trusts the selection (1 APDU: the empty VERIFY); the guard does not
    // (SELECT AP, SELECT EF, empty VERIFY, VERIFY).
    assert_eq!(status_status_verify(&mut card), [4, 1, 4]);
    let expected = [
        SELECT_JPKI.to_owned(),
        status_sfi(0x0018),
        select_ef(0x0018),
        EMPTY_VERIFY.into(),
        EMPTY_VERIFY.into(),
        SELECT_JPKI.to_owned(),
        select_ef(0x0018),
        EMPTY_VERIFY.into(),
        verify(b"0000"),
    ];
    assert_eq!(card.transport().log(), expected);
    assert_eq!(card.transport().card().all_tries_left(), one_try_spent(0));
}

#[test]
fn on_a_shared_reader_every_status_selects_again() {
    let mut card = Card::new(SharedReader::new());
    // SELECT AP and the status by short file identifier, twice; then SELECT AP, status,
    // VERIFY.
    assert_eq!(status_status_verify(&mut card), [2, 2, 3]);
    assert_eq!(tries(&card), one_try_spent(0));

    // Refusing short file identifiers: the first status probes once (4), then SELECT AP,
    // SELECT EF and the status (3), and the guard adds the VERIFY (4).
    let mut card = Card::new(SharedReader::refusing_sfi(true));
    assert_eq!(status_status_verify(&mut card), [4, 3, 4]);
    assert_eq!(tries(&card), one_try_spent(0));
}
