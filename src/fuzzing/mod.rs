//! Bodies of the fuzz targets, shared by `fuzz/` and the seed replay in `cargo test`.
//! Each must never panic on any input, except where it asserts an invariant.
//!
//! Input layouts (so that seeds can be written by hand) are documented on each function.

use std::sync::{Arc, Mutex};

#[cfg(feature = "virtual-card")]
mod cards;
mod parsers;

#[cfg(feature = "virtual-card")]
pub use cards::{operations, virtual_card};
pub use parsers::{
    age_record, card_face_record, card_info_record, certificate_view, common_record,
    cv_certificate, master_file_objects, signed_record, tlv, token_info,
};

/// The document the CMS fuzz seeds sign (`tests/fuzz_seeds.rs` writes them).
#[cfg(feature = "cms")]
pub const CMS_DOCUMENT: &[u8] = b"mynumbercard fuzz document\n";

/// Any bytes as a detached CMS signature over [`CMS_DOCUMENT`], checked against the virtual
/// card's RSA and P-384 signature roots at a fixed time (2026-03-01): the shape walk and
/// [`cms::verify_detached`](crate::cms::verify_detached) never panic, the shape walk decides
/// first, and a signature that verifies is a signature certificate's whose digest fails on any
/// other document. The input is the signature file itself.
#[cfg(feature = "cms")]
pub fn cms_verification(data: &[u8]) {
    use crate::cms::{verify_detached, DocumentCheck};
    use crate::virtual_card::fixtures;
    use std::sync::OnceLock;
    use std::time::{Duration, SystemTime};
    static ANCHORS: OnceLock<crate::trust::TrustAnchors> = OnceLock::new();
    let anchors = ANCHORS.get_or_init(|| {
        crate::trust::TrustAnchors::empty()
            .with_root(fixtures::SIGN_CA_CERT)
            .and_then(|anchors| anchors.with_root(fixtures::p384::SIGN_CA_CERT))
            .unwrap_or_default()
    });
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_323_200);
    crate::cms::fuzz_verify(data, CMS_DOCUMENT, anchors, at);
    if let Ok(verified) = verify_detached(data, CMS_DOCUMENT, anchors, at) {
        assert_eq!(
            verified.signer.kind(),
            Some(crate::certificate::CertificateKind::Sign)
        );
        assert_eq!(
            verify_detached(data, b"another document", anchors, at).err(),
            Some(DocumentCheck::DigestMismatch)
        );
    }
}

use crate::apdu::{ApduError, Command, LengthEncoding, Response, MAX_DATA_LEN, MAX_NE};
use crate::commands;
use crate::der_header::{sequence_len, DerHeaderError};
use crate::exchange::{Exchange, Limits, Trace};
use crate::transport::{Capabilities, Interface, Transport, TransportError};

/// Any bytes as a response APDU: parsing never panics, and re-encoding gives the input back.
pub fn response(data: &[u8]) {
    let parsed = Response::parse(data);
    let owned = Response::parse_vec(data.to_vec());
    assert_eq!(parsed, owned, "parse and parse_vec disagree");
    match parsed {
        Ok(r) => {
            assert_eq!(r.to_bytes(), data, "response does not round-trip");
            assert_eq!(r.data().len() + 2, data.len());
        }
        Err(e) => {
            assert!(data.len() < 2, "{e} on {} bytes", data.len());
            assert_eq!(e, ApduError::ResponseTooShort { len: data.len() });
        }
    }
}

/// Two properties of the command codec.
///
/// 1. `Command::parse` of the raw input never panics and, when it succeeds, re-encodes to
///    exactly the input.
/// 2. The input read as a structured command, built, encoded, parsed back, gives the same
///    header, data and Ne, and encodes to the same bytes. Layout: `CLA INS P1 P2 FLAGS
///    LEN_HI LEN_LO NE_HI NE_LO DATA…`; FLAGS bits 0–1 pick the encoding (Auto, Short,
///    Extended, Auto), bit 2 sets Ne, bit 3 marks the data sensitive, bits 5–6 add 0–3 to
///    Ne (reaching 65,537 and more). The data length is LEN mod 512, or with bit 7 set (the
///    costly lengths, kept rare) 65,533 + (LEN mod 4) + bit 4 (reaching 65,536 and more).
///    The data is the remaining input repeated to the length asked for (long data: its
///    first byte repeated; zeros if none).
pub fn command_round_trip(data: &[u8]) {
    if let Ok(cmd) = Command::parse(data) {
        assert_eq!(cmd.encode().as_deref(), Ok(data), "parse → encode differs");
    }
    let Some((&[cla, ins, p1, p2, flags, len_hi, len_lo, ne_hi, ne_lo], rest)) =
        data.split_first_chunk::<9>()
    else {
        return;
    };
    let encoding = match flags & 0x03 {
        1 => LengthEncoding::Short,
        2 => LengthEncoding::Extended,
        _ => LengthEncoding::Auto,
    };
    let len = usize::from(u16::from_be_bytes([len_hi, len_lo]));
    let len = if flags & 0x80 != 0 {
        MAX_DATA_LEN - 2 + (len & 3) + usize::from((flags >> 4) & 1)
    } else {
        len % 512
    };
    // Long data is one byte repeated: cheap to build, so the fuzzer stays fast.
    let body: Vec<u8> = match rest {
        [] => vec![0; len],
        [fill, ..] if len > 512 => vec![*fill; len],
        _ => rest.iter().copied().cycle().take(len).collect(),
    };
    let ne = (flags & 0x04 != 0)
        .then(|| usize::from(u16::from_be_bytes([ne_hi, ne_lo])) + usize::from((flags >> 5) & 3));
    let mut cmd = Command::new(cla, ins, p1, p2)
        .with_data(body.clone())
        .with_encoding(encoding);
    if let Some(ne) = ne {
        cmd = cmd.with_le(ne);
    }
    if flags & 0x08 != 0 {
        cmd = cmd.sensitive();
    }
    check_built_command(&cmd, &body, ne, encoding);
}

/// The invariants of a command built from known parts.
fn check_built_command(cmd: &Command, body: &[u8], ne: Option<usize>, encoding: LengthEncoding) {
    let len = body.len();
    let needs_extended = len > 255 || ne.unwrap_or(0) > 256;
    let expected_error = if len > MAX_DATA_LEN {
        Some(ApduError::DataTooLong { len })
    } else if let Some(ne @ (0 | 65_537..)) = ne {
        Some(ApduError::NeOutOfRange { ne })
    } else if encoding == LengthEncoding::Short && needs_extended {
        Some(ApduError::DoesNotFitShort)
    } else {
        None
    };
    let bytes = match (cmd.encode(), expected_error) {
        (Err(e), Some(expected)) => {
            assert_eq!(e, expected);
            assert_eq!(cmd.encoded_len(), Err(expected));
            assert!(cmd.to_trace_hex().starts_with("<invalid command"));
            return;
        }
        (Ok(bytes), None) => bytes,
        (got, expected) => panic!("encode gave {got:?}, expected error {expected:?}"),
    };
    let extended = match encoding {
        LengthEncoding::Extended => len > 0 || ne.is_some(),
        _ => needs_extended,
    };
    assert_eq!(cmd.is_extended(), Ok(extended));
    let lc_len = match (len, extended) {
        (0, _) => 0,
        (_, false) => 1,
        (_, true) => 3,
    };
    let le_len = match (ne, extended, len) {
        (None, _, _) => 0,
        (Some(_), false, _) => 1,
        (Some(_), true, 0) => 3,
        (Some(_), true, _) => 2,
    };
    assert_eq!(bytes.len(), 4 + lc_len + len + le_len);
    assert_eq!(cmd.encoded_len(), Ok(bytes.len()));
    assert_eq!(cmd.encode_zeroizing().as_deref(), Ok(&bytes));

    let parsed = match Command::parse(&bytes) {
        Ok(parsed) => parsed,
        Err(e) => panic!("{e} parsing {}", hex::encode_upper(&bytes)),
    };
    assert_eq!(parsed.header(), cmd.header());
    assert_eq!(parsed.data(), body);
    assert_eq!(parsed.ne(), ne);
    assert_eq!(parsed.is_extended(), Ok(extended));
    assert_eq!(parsed.encode().as_deref(), Ok(&bytes[..]));

    if len > 512 {
        // Tracing 64 KiB as hex is slow and shows nothing the short lengths do not.
        return;
    }
    let trace = cmd.to_trace_hex();
    let debug = format!("{cmd:?}");
    if cmd.is_sensitive() && len > 0 {
        let start = 4 + lc_len;
        let expected = format!(
            "{}{}{}",
            hex::encode_upper(bytes.get(..start).unwrap_or_default()),
            "*".repeat(2 * len),
            hex::encode_upper(bytes.get(start + len..).unwrap_or_default())
        );
        assert_eq!(trace, expected, "sensitive data not masked");
        assert!(debug.contains("REDACTED"), "{debug}");
        if len >= 4 {
            assert!(!debug.contains(&hex::encode_upper(body)), "{debug}");
        }
    } else {
        assert_eq!(trace, hex::encode_upper(&bytes));
    }
}

/// Any bytes as the start of a certificate file, against several caps: `sequence_len` (the
/// `der` crate's decoder under a cap) never panics and gives exactly what the DER rules,
/// written out below on their own, give: the same length or the same error.
pub fn der_header(data: &[u8]) {
    for max in [0, 2, 127, 4096, 8192, MAX_NE, 0xFF_FFFF, usize::MAX] {
        let got = sequence_len(data, max);
        assert_eq!(got, reference_sequence_len(data, max), "on {data:02X?}");
        if let Ok(len) = got {
            assert!((2..=max).contains(&len), "{len} outside 2..={max}");
        }
    }
}

/// X.690's DER length rules for a SEQUENCE header, independently of `der`: definite, in the
/// fewest bytes (at most 4), total under `der`'s 256 MiB.
fn reference_sequence_len(data: &[u8], max: usize) -> Result<usize, DerHeaderError> {
    let (Some(&tag), first) = (data.first(), data.get(1)) else {
        return Err(DerHeaderError::Truncated);
    };
    if tag != 0x30 {
        return Err(DerHeaderError::NotASequence);
    }
    let first = *first.ok_or(DerHeaderError::Truncated)?;
    let len = match first {
        0x00..=0x7F => 2 + usize::from(first),
        0x81..=0x84 => {
            let n = usize::from(first & 0x7F);
            let bytes = data.get(2..2 + n).ok_or(DerHeaderError::Truncated)?;
            let content = bytes.iter().fold(0, |acc, b| (acc << 8) | usize::from(*b));
            let minimal = content >= 0x80 && bytes.first() != Some(&0);
            if !minimal || 2 + n + content > 0x0FFF_FFFF {
                return Err(DerHeaderError::InvalidLength);
            }
            2 + n + content
        }
        _ => return Err(DerHeaderError::InvalidLength),
    };
    if len > max {
        return Err(DerHeaderError::TooLong { len, max });
    }
    Ok(len)
}

/// Drives [`Exchange::transmit`] against a transport whose answers come from the input.
///
/// Layout: `CMD LIMITS CAPS` then responses, each `LEN_HI LEN_LO BYTES…` (a length with bit
/// 15 set makes the transport fail instead; running out of input removes the card). CMD
/// picks the command (mod 9), LIMITS bits 0–3 `max_get_response` and bits 4–6
/// `max_response_data`, bit 7 extended-length support; CAPS picks `max_command_len`.
/// Checks: it ends, never sends more than `2 + max_get_response` commands, sends a PIN at
/// most once, sends only the command, one resend of it, or GET RESPONSE, never sends what
/// the transport cannot carry, returns at most `max_response_data` bytes and no `61xx`,
/// counts what it sent, and traces every command with the PIN masked.
pub fn exchange(data: &[u8]) {
    let Some((&[cmd, limit_bits, caps], script)) = data.split_first_chunk::<3>() else {
        return;
    };
    let command = exchange_command(cmd);
    let limits = Limits {
        max_get_response: usize::from(limit_bits & 0x0F),
        max_response_data: [0, 1, 255, 256, 512, 4096, MAX_NE, usize::MAX]
            .get(usize::from((limit_bits >> 4) & 7))
            .copied()
            .unwrap_or(MAX_NE),
    };
    let capabilities = Capabilities {
        max_command_len: [4, 5, 7, 16, 261, 300, 65_544, usize::MAX]
            .get(usize::from(caps & 7))
            .copied()
            .unwrap_or(261),
        max_response_len: 65_538,
        extended_length: limit_bits & 0x80 != 0,
        interface: Interface::Unknown,
        exclusive: caps & 8 != 0,
    };
    let mut transport = Scripted {
        script,
        sent: Vec::new(),
        capabilities,
    };
    let traced = Arc::new(Mutex::new(Vec::new()));
    let mut exchange = Exchange::new(&mut transport);
    exchange.set_limits(limits);
    let sink = Arc::clone(&traced);
    exchange.set_tracer(move |line| {
        if let (Trace::Command(hex), Ok(mut lines)) = (line, sink.lock()) {
            lines.push(hex.to_owned());
        }
    });
    let result = exchange.transmit(&command);
    let stats = exchange.stats();
    drop(exchange);
    let sent = transport.sent;

    assert_eq!(stats.commands, sent.len() as u64);
    assert_eq!(
        stats.bytes_sent,
        sent.iter().map(Vec::len).sum::<usize>() as u64
    );
    assert!(
        sent.len() <= 2 + limits.max_get_response,
        "{} sent",
        sent.len()
    );
    let encoded = command.encode().ok();
    for (i, bytes) in sent.iter().enumerate() {
        assert!(bytes.len() <= capabilities.max_command_len);
        let Ok(parsed) = Command::parse(bytes) else {
            panic!("sent a malformed command {bytes:02X?}");
        };
        if !capabilities.extended_length {
            assert_ne!(parsed.encoding(), LengthEncoding::Extended);
        }
        let is_original = i == 0 && Some(bytes) == encoded.as_ref();
        let is_resend = i == 1
            && command.ne().is_some()
            && !command.is_sensitive()
            && parsed.header() == command.header()
            && parsed.data() == command.data();
        let is_get_response = i > 0 && matches!(bytes.as_slice(), [0x00, 0xC0, 0x00, 0x00, _]);
        assert!(
            is_original || is_resend || is_get_response,
            "sent {i}: {bytes:02X?}"
        );
    }
    if command.is_sensitive() {
        assert!(sent.iter().filter(|b| Some(*b) == encoded.as_ref()).count() <= 1);
    }
    if let Ok(lines) = traced.lock() {
        assert_eq!(lines.len(), sent.len());
        if command.is_sensitive() {
            let pin = hex::encode_upper(command.data());
            assert!(lines.iter().all(|l| !l.contains(&pin)), "{lines:?}");
        }
    }
    if let Ok(response) = result {
        assert!(response.data().len() <= limits.max_response_data);
        assert!(response.status().bytes_remaining().is_none());
        assert!(!sent.is_empty());
    }
}

/// The command [`exchange`] sends, picked by one byte.
fn exchange_command(pick: u8) -> Command {
    const JPKI_AID: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
    match pick % 9 {
        0 => commands::select_application(&JPKI_AID),
        1 => Command::new(0x00, 0xB0, 0x00, 0x00).with_le(256),
        2 => commands::verify(b"1234"),
        3 => commands::verify_status(),
        4 => commands::compute_digital_signature(&[0x30; 51]),
        5 => Command::new(0x00, 0x2A, 0x9E, 0x9A)
            .with_data(vec![0x5A; 300])
            .with_le(MAX_NE),
        6 => commands::get_response(usize::from(pick >> 3) + 1),
        7 => Command::new(0x00, 0xB0, 0x00, 0x00).with_le(MAX_NE),
        // A PIN command that expects data: `6Cxx` must still not resend it.
        _ => commands::verify(b"1234").with_le(16),
    }
}

/// A transport replaying responses cut from the fuzz input.
struct Scripted<'a> {
    script: &'a [u8],
    sent: Vec<Vec<u8>>,
    capabilities: Capabilities,
}

impl Transport for Scripted<'_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.sent.push(command.to_vec());
        let Some((&[hi, lo], rest)) = self.script.split_first_chunk::<2>() else {
            return Err(TransportError::CardRemoved);
        };
        let len = usize::from(u16::from_be_bytes([hi, lo]));
        if len & 0x8000 != 0 {
            self.script = rest;
            return Err(if len & 1 == 0 {
                TransportError::CardRemoved
            } else {
                TransportError::Timeout
            });
        }
        let (response, rest) = rest.split_at(len.min(rest.len()));
        self.script = rest;
        Ok(response.to_vec())
    }

    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }
}
