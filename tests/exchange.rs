//! The exchange layer against a scripted transport: what goes on the wire, how often, and
//! what comes back, for every status word the exchange acts on.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use mynumbercard::apdu::{ApduError, Command, LengthEncoding};
use mynumbercard::commands;
use mynumbercard::exchange::{Exchange, Limits, Stats, Trace};
use mynumbercard::transport::{Capabilities, Transport, TransportError};
use mynumbercard::{Error, StatusWord};

/// Records every command; answers with the canned responses in order.
struct Script {
    sent: Vec<String>,
    replies: VecDeque<Result<Vec<u8>, TransportError>>,
    capabilities: Capabilities,
}

impl Transport for Script {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.sent.push(hex::encode_upper(command));
        self.replies
            .pop_front()
            .expect("the exchange sent more commands than the script answers")
    }

    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }
}

fn script(replies: &[&str]) -> Exchange<Script> {
    script_with(Capabilities::default(), replies)
}

fn script_with(capabilities: Capabilities, replies: &[&str]) -> Exchange<Script> {
    Exchange::new(Script {
        sent: Vec::new(),
        replies: replies
            .iter()
            .map(|r| Ok(hex::decode(r).unwrap()))
            .collect(),
        capabilities,
    })
}

fn sent(exchange: &Exchange<Script>) -> Vec<&str> {
    exchange
        .transport()
        .sent
        .iter()
        .map(String::as_str)
        .collect()
}

const SELECT_JPKI: &str = "00A4040C0AD392F000260100000001";
const JPKI_AID: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];

fn read_256() -> Command {
    commands::read_binary(0, 256).unwrap()
}

#[test]
fn sends_each_command_once_on_success() {
    let mut ex = script(&["9000", "0102039000"]);
    let select = ex
        .transmit(&commands::select_application(&JPKI_AID))
        .unwrap();
    assert_eq!(select.status(), StatusWord::SUCCESS);
    let read = ex.transmit(&read_256()).unwrap();
    assert_eq!(read.data(), [1, 2, 3]);
    assert_eq!(sent(&ex), [SELECT_JPKI, "00B0000000"]);
}

#[test]
fn follows_61xx_with_get_response_and_concatenates() {
    let mut ex = script(&["AABB6104", "CCDDEEFF6102", "11229000"]);
    let r = ex.transmit(&read_256()).unwrap();
    assert_eq!(hex::encode_upper(r.data()), "AABBCCDDEEFF1122");
    assert_eq!(r.status(), StatusWord::SUCCESS);
    assert_eq!(sent(&ex), ["00B0000000", "00C0000004", "00C0000002"]);
}

#[test]
fn follows_6100_with_le_00() {
    let chunk = "5A".repeat(256) + "9000";
    let mut ex = script(&["6100", &chunk]);
    let r = ex.transmit(&read_256()).unwrap();
    assert_eq!(r.data().len(), 256);
    assert_eq!(sent(&ex), ["00B0000000", "00C0000000"]);
}

#[test]
fn bounds_the_61xx_chain() {
    let max = 3;
    let replies = vec!["016101"; max + 2];
    let mut ex = script(&replies);
    ex.set_limits(Limits::default().with_max_get_response(max));
    let err = ex.transmit(&read_256()).unwrap_err();
    assert!(matches!(err, Error::MalformedResponse(_)), "{err:?}");
    assert_eq!(sent(&ex).len(), max + 1);
    assert_eq!(ex.stats().commands, max as u64 + 1);
}

#[test]
fn bounds_the_total_response_data() {
    let first = "11".repeat(200) + "6164";
    let second = "22".repeat(100) + "9000";
    let mut ex = script(&[&first, &second]);
    ex.set_limits(Limits::default().with_max_response_data(255));
    let err = ex.transmit(&read_256()).unwrap_err();
    assert!(matches!(err, Error::MalformedResponse(_)), "{err:?}");
    assert_eq!(sent(&ex), ["00B0000000", "00C0000064"]);

    // The same chain within the limit succeeds.
    let mut ex = script(&[&first, &second]);
    assert_eq!(ex.transmit(&read_256()).unwrap().data().len(), 300);
}

#[test]
fn resends_once_on_6cxx_with_the_le_asked_for() {
    let mut ex = script(&["6C10", &("AB".repeat(16) + "9000")]);
    let r = ex.transmit(&read_256()).unwrap();
    assert_eq!(r.data(), [0xAB; 16]);
    assert_eq!(sent(&ex), ["00B0000000", "00B0000010"]);

    // A second 6Cxx is returned, not chased.
    let mut ex = script(&["6C10", "6C08"]);
    let r = ex.transmit(&read_256()).unwrap();
    assert_eq!(r.status(), StatusWord::from_u16(0x6C08));
    assert_eq!(sent(&ex).len(), 2);
}

#[test]
fn does_not_resend_on_6cxx_without_ne() {
    let mut ex = script(&["6C10"]);
    let r = ex
        .transmit(&commands::select_application(&JPKI_AID))
        .unwrap();
    assert_eq!(r.status(), StatusWord::from_u16(0x6C10));
    assert_eq!(sent(&ex), [SELECT_JPKI]);
}

/// A command whose data is marked sensitive, as the guard's VERIFY is (a VERIFY itself is
/// refused by the public `transmit`: see `refuses_secret_bearing_commands`).
fn sensitive_command() -> Command {
    Command::new(0x80, 0xCA, 0x00, 0x80)
        .with_data(*b"1234")
        .sensitive()
}

#[test]
fn never_resends_sensitive_data() {
    let command = sensitive_command().with_le(256);
    let mut ex = script(&["6C04"]);
    let r = ex.transmit(&command).unwrap();
    assert_eq!(r.status(), StatusWord::from_u16(0x6C04));
    assert_eq!(sent(&ex), ["80CA0080043132333400"]);
}

#[test]
fn refuses_secret_bearing_commands() {
    let secret_bearing = [
        Command::new(0x00, 0x20, 0x00, 0x80).with_data(*b"1234"),
        Command::new(0x80, 0x20, 0x00, 0x81).with_data(*b"1234"),
        Command::new(0x00, 0x24, 0x01, 0x80).with_data(*b"5678"),
        Command::new(0x00, 0x24, 0x00, 0x80),
        Command::new(0x00, 0x2C, 0x00, 0x80).with_data(*b"12345678"),
    ];
    for command in secret_bearing {
        let mut ex = script(&["9000"]);
        let err = ex.transmit(&command).unwrap_err();
        assert!(
            matches!(err, Error::SecretOutsideGuard { command: h } if h == command.header()),
            "{err:?}"
        );
        assert!(sent(&ex).is_empty(), "nothing was sent");
        assert_eq!(ex.stats(), Stats::default());
    }
    // The empty VERIFY asks for the tries left, spends none, and may be sent.
    let mut ex = script(&["63C3"]);
    let r = ex.transmit(&commands::verify_status()).unwrap();
    assert_eq!(r.status(), StatusWord::from_u16(0x63C3));
    assert_eq!(sent(&ex), ["00200080"]);
}

#[test]
fn refuses_a_response_without_status_word() {
    for reply in ["", "90"] {
        let mut ex = script(&[reply]);
        let err = ex.transmit(&read_256()).unwrap_err();
        assert!(
            matches!(err, Error::MalformedResponse(_)),
            "{reply}: {err:?}"
        );
    }
}

#[test]
fn refuses_more_data_than_ne() {
    let read_4 = commands::read_binary(0, 4).unwrap();
    let mut ex = script(&["01020304059000"]);
    let err = ex.transmit(&read_4).unwrap_err();
    assert!(matches!(err, Error::MalformedResponse(_)), "{err:?}");

    let mut ex = script(&["010203049000"]);
    assert_eq!(ex.transmit(&read_4).unwrap().data(), [1, 2, 3, 4]);
}

#[test]
fn reports_card_removed() {
    let mut ex = script(&[]);
    ex.transport_mut()
        .replies
        .push_back(Err(TransportError::CardRemoved));
    let err = ex.transmit(&read_256()).unwrap_err();
    assert!(matches!(err, Error::CardRemoved), "{err:?}");

    ex.transport_mut()
        .replies
        .push_back(Err(TransportError::Timeout));
    let err = ex.transmit(&read_256()).unwrap_err();
    assert!(
        matches!(err, Error::Transport(TransportError::Timeout)),
        "{err:?}"
    );
}

#[test]
fn refuses_what_the_transport_cannot_carry_before_sending() {
    let small = Capabilities::default().with_max_command_len(10);
    let mut ex = script_with(small, &["9000"]);
    let err = ex
        .transmit(&commands::select_application(&JPKI_AID))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidCommand(ApduError::TooLongForTransport { len: 15, max: 10 })
        ),
        "{err:?}"
    );
    assert!(sent(&ex).is_empty());

    // Extended on a short-only transport, though it would fit in the byte budget.
    let roomy_short = Capabilities::default()
        .with_max_command_len(70_000)
        .with_extended_length(false);
    let read_ext = Command::new(0, 0xB0, 0, 0).with_le(1000);
    let mut ex = script_with(roomy_short, &["9000"]);
    let err = ex.transmit(&read_ext).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidCommand(ApduError::TooLongForTransport { .. })
        ),
        "{err:?}"
    );
    assert!(sent(&ex).is_empty());
    assert_eq!(ex.stats(), Stats::default());

    let extended = roomy_short.with_extended_length(true);
    let mut ex = script_with(extended, &["9000"]);
    ex.transmit(&read_ext).unwrap();
    assert_eq!(sent(&ex), ["00B000000003E8"]);
}

#[test]
fn refuses_an_invalid_command_before_sending() {
    let mut ex = script(&["9000"]);
    let bad = Command::new(0, 0xB0, 0, 0).with_le(0);
    let err = ex.transmit(&bad).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidCommand(ApduError::NeOutOfRange { ne: 0 })
        ),
        "{err:?}"
    );
    let short = Command::new(0, 0xB0, 0, 0)
        .with_le(1000)
        .with_encoding(LengthEncoding::Short);
    let err = ex.transmit(&short).unwrap_err();
    assert!(
        matches!(err, Error::InvalidCommand(ApduError::DoesNotFitShort)),
        "{err:?}"
    );
    assert!(sent(&ex).is_empty());
}

#[test]
fn traces_both_ways_with_the_pin_masked() {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let mut ex = script(&["63C2", "AABB9000"]);
    ex.set_tracer(move |line: Trace<'_>| sink.lock().unwrap().push(line.to_string()));
    ex.transmit(&sensitive_command()).unwrap();
    ex.transmit(&commands::read_binary(0, 2).unwrap()).unwrap();
    assert_eq!(
        *lines.lock().unwrap(),
        [
            "> 80CA008004********",
            "< 63C2",
            "> 00B0000002",
            "< AABB9000"
        ]
    );
    // The card still got the data.
    assert_eq!(sent(&ex)[0], "80CA00800431323334");
}

/// The trace lines of `commands` sent through a script answering `replies`.
fn traced(replies: &[&str], commands: &[Command]) -> (Vec<String>, Vec<Vec<u8>>) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let mut ex = script(replies);
    ex.set_tracer(move |line: Trace<'_>| sink.lock().unwrap().push(line.to_string()));
    let data = commands
        .iter()
        .map(|c| ex.transmit(c).unwrap().into_data())
        .collect();
    let lines = lines.lock().unwrap().clone();
    (lines, data)
}

#[test]
fn personal_data_shows_as_its_length_only() {
    let (lines, data) = traced(&["AABB9000"], &[read_256().sensitive_response()]);
    assert_eq!(lines, ["> 00B0000000", "< <2 bytes of personal data>9000"]);
    assert_eq!(data, [vec![0xAA, 0xBB]]);
}

#[test]
fn a_get_response_inherits_the_masking_of_the_command_it_continues() {
    let (lines, data) = traced(
        &["AABB6102", "CCDD9000", "EEFF6101", "119000"],
        &[read_256().sensitive_response(), read_256()],
    );
    assert_eq!(
        lines,
        [
            "> 00B0000000",
            "< <2 bytes of personal data>6102",
            "> 00C0000002",
            "< <2 bytes of personal data>9000",
            // A command without the mark: its continuation shows in full.
            "> 00B0000000",
            "< EEFF6101",
            "> 00C0000001",
            "< 119000",
        ]
    );
    assert_eq!(data, [vec![0xAA, 0xBB, 0xCC, 0xDD], vec![0xEE, 0xFF, 0x11]]);
}

#[test]
fn a_6cxx_resend_inherits_the_masking_too() {
    let (lines, data) = traced(
        &["6C03", "A1A2A36101", "A49000"],
        &[read_256().sensitive_response()],
    );
    assert_eq!(
        lines,
        [
            "> 00B0000000",
            "< 6C03",
            "> 00B0000003",
            "< <3 bytes of personal data>6101",
            "> 00C0000001",
            "< <1 byte of personal data>9000",
        ]
    );
    assert_eq!(data, [vec![0xA1, 0xA2, 0xA3, 0xA4]]);
}

#[test]
fn counts_what_crossed_the_wire() {
    let mut ex = script(&["AABB6102", "CCDD9000", "9000"]);
    ex.transmit(&read_256()).unwrap();
    ex.transmit(&commands::select_file(0x000A)).unwrap();
    assert_eq!(ex.stats(), Stats::new(3, 5 + 5 + 7, 4 + 4 + 2));
}
