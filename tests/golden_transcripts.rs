//! Golden APDU transcripts: the command sequences other public implementations send to a My
//! Number Card, written out as literal hex from reading their code, and checked twice:
//!
//! - against the virtual card: each command, sent as is through `Transport::transmit`, gets the
//!   status word (and the shape of data) a card gives those implementations;
//! - against the library: the equivalent library operation on a fresh virtual card records
//!   exactly the literal sequence, or, where the library differs on purpose (no header-only
//!   read before a file, the guard's empty VERIFY before every VERIFY, a selection it
//!   remembers, a PIN or key named by its short file identifier instead of a SELECT of its EF),
//!   the library's own literal sequence, with the difference said.
//!
//! The virtual card takes short file identifiers, so the library names each PIN's EF in its
//! VERIFYs (`00 20 00 80|SFI`, e.g. `00 20 00 98` for EF 0018, the form jsapdu and myna-card
//! send) and, once VERIFY answered in that form, each key's EF in COMPUTE DIGITAL SIGNATURE
//! (`80 2A 00 97` / `9A`, myna-card's form); files are still read after a SELECT of their EF
//! (the virtual card's transport carries short APDUs only). On a card refusing short file
//! identifiers the library falls back to the SELECTs the peers send
//! (`library_on_a_card_refusing_short_file_identifiers_sends_the_peers_selects`).
//!
//! The implementations: OpenSC's JPKI driver and PKCS #15 emulator (`card-jpki.c`,
//! `pkcs15-jpki.c`, `jpki.h`), jpki/myna's Go library (`libmyna`), and soltia48/myna-card
//! (Rust). The lengths in the READ BINARY commands are those of the virtual card's fixture
//! files (auth certificate 1,547 bytes, sign certificate 1,765, card-info attributes 98,
//! card-info integrity record 336, card face 3,056: a real card's sizes), which is what those
//! implementations would ask for on this card.

use mynumbercard::access_code::{CardInfoPin, MyNumber};
use mynumbercard::virtual_card::Reader;
use mynumbercard::{
    AuthPin, Card, CardKind, CertificateKind, KeyKind, PinKind, PinStatus, SignPin,
};
use mynumbercard::{Transport, VirtualCard};
use rsa::Pkcs1v15Sign;
use sha2::{Digest, Sha256};

/// SHA-256 of `abc` (the FIPS 180-2 example), the digest every signing transcript signs.
const DIGEST_ABC: &str = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";

/// What the card must answer a step with.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// This status word and no data.
    Status(u16),
    /// Exactly these data bytes, then `9000`.
    Bytes(&'static str),
    /// Data of this length opening with these bytes, then `9000`.
    Head(&'static str, usize),
    /// Data of this length, then `9000`.
    Len(usize),
}

use Expect::{Bytes, Head, Len, Status};

const OK: Expect = Status(0x9000);

fn bytes(hex_text: &str) -> Vec<u8> {
    hex::decode(hex_text.replace(' ', "")).expect("literal hex")
}

/// Sends each command of `steps` with `Transport::transmit` and checks each answer; returns the
/// data of each answer.
fn play(card: &mut VirtualCard, name: &str, steps: &[(&str, Expect)]) -> Vec<Vec<u8>> {
    let mut all = Vec::with_capacity(steps.len());
    for (i, &(command, expect)) in steps.iter().enumerate() {
        let mut response = card
            .transmit(&bytes(command))
            .expect("the virtual card answers");
        let sw_bytes = response.split_off(response.len().saturating_sub(2));
        let sw = u16::from_be_bytes([sw_bytes[0], sw_bytes[1]]);
        let at = format!("{name} step {i}: {command}");
        match expect {
            Status(expected) => {
                assert_eq!(sw, expected, "{at}: status {sw:04X}");
                assert!(response.is_empty(), "{at}: no data expected");
            }
            Bytes(data) => {
                assert_eq!(sw, 0x9000, "{at}: status {sw:04X}");
                assert_eq!(hex::encode_upper(&response), data.replace(' ', ""), "{at}");
            }
            Head(head, len) => {
                assert_eq!(sw, 0x9000, "{at}: status {sw:04X}");
                assert!(
                    response.starts_with(&bytes(head)),
                    "{at}: data opens with {head}"
                );
                assert_eq!(response.len(), len, "{at}: data length");
            }
            Len(len) => {
                assert_eq!(sw, 0x9000, "{at}: status {sw:04X}");
                assert_eq!(response.len(), len, "{at}: data length");
            }
        }
        all.push(response);
    }
    all
}

/// A virtual card behind a reader that carries short APDUs only, as the peers' transports
/// are taken to be: the library then reads files after their SELECT in 256-byte reads, as the
/// peers do, and the transcripts compare command for command.
fn short_reader() -> VirtualCard {
    VirtualCard::builder().reader(Reader::ShortOnly).build()
}

/// The virtual card's log as upper-case hex, one command a line.
fn log(card: &VirtualCard) -> Vec<String> {
    card.log().iter().map(hex::encode_upper).collect()
}

fn assert_log(card: &VirtualCard, expected: &[&str], what: &str) {
    let expected: Vec<String> = expected.iter().map(|c| c.replace(' ', "")).collect();
    assert_eq!(log(card), expected, "{what}");
}

/// Checks a signature the card returned against the public key of `key`.
fn assert_signs_abc(card: &VirtualCard, key: KeyKind, signature: &[u8]) {
    let digest = bytes(DIGEST_ABC);
    card.public_key(key)
        .verify(Pkcs1v15Sign::new::<Sha256>(), &digest, signature)
        .expect("a PKCS #1 v1.5 signature over SHA-256(abc)");
    assert_eq!(Sha256::digest(b"abc").as_slice(), digest.as_slice());
}

fn digest_abc() -> [u8; 32] {
    Sha256::digest(b"abc").into()
}

// ---------------------------------------------------------------------------------------------
// OpenSC
// ---------------------------------------------------------------------------------------------

/// OpenSC `jpki_match_card` → `jpki_select_ap`: the card is recognised by a SELECT of the JPKI
/// DF name (`AID_JPKI` in `jpki.h`, P1 = 04, P2 = 0C, case 3).
const OPENSC_MATCH: &[(&str, Expect)] = &[("00A4040C0A D392F000260100000001", OK)];

/// OpenSC `sc_pkcs15emu_jpki_init`: SELECT of the application again (the driver's state says
/// "MF" after `jpki_init`), then for each PIN `jpki_pin_cmd(SC_PIN_CMD_GET_INFO)`: SELECT of its
/// EF (`JPKI_AUTH_PIN` 0018, `JPKI_SIGN_PIN` 001B) and a case-1 VERIFY with no data, whose SW1
/// must be 63.
const OPENSC_BIND: &[(&str, Expect)] = &[
    ("00A4040C0A D392F000260100000001", OK),
    ("00A4020C02 0018", OK),
    ("00200080", Status(0x63C3)),
    ("00A4020C02 001B", OK),
    ("00200080", Status(0x63C5)),
];

/// OpenSC `sc_pkcs15_read_file` of the auth certificate: `jpki_select_file` with a file out
/// SELECTs EF 000A and reads 4 bytes to size the file from the DER header (`30 82 LL LL`:
/// LL + 4 bytes), then `sc_read_binary` reads the file from offset 0 in chunks of
/// `sc_get_max_recv_size`, 256 for a short-APDU card on a reader that sets no smaller limit
/// (Le = 00), the last one short.
const OPENSC_READ_AUTH_CERT: &[(&str, Expect)] = &[
    ("00A4020C02 000A", OK),
    ("00B0000004", Bytes("30820607")),
    ("00B0000000", Head("30820607", 256)),
    ("00B0010000", Len(256)),
    ("00B0020000", Len(256)),
    ("00B0030000", Len(256)),
    ("00B0040000", Len(256)),
    ("00B0050000", Len(256)),
    ("00B006000B", Len(0x0B)),
];

/// OpenSC C_Login then C_Sign with the auth key: `jpki_pin_cmd(SC_PIN_CMD_VERIFY)` (SELECT of
/// EF 0018, VERIFY with the PIN, no status VERIFY first), `jpki_set_security_env` (SELECT of
/// the key EF 0017) and `jpki_compute_signature` (`80 2A 00 80`, case 4 short, Le = 00) over
/// the DigestInfo OpenSC builds in software (the driver declares `SC_ALGORITHM_RSA_HASH_NONE |
/// SC_ALGORITHM_RSA_PAD_PKCS1`).
const OPENSC_LOGIN_AND_SIGN: &[(&str, Expect)] = &[
    ("00A4020C02 0018", OK),
    ("0020008004 31323334", OK),
    ("00A4020C02 0017", OK),
    (
        "802A008033 3031300D060960864801650304020105000420 \
         BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD 00",
        Len(256),
    ),
];

#[test]
fn opensc_recognises_and_binds_the_card() {
    let mut card = VirtualCard::new();
    play(&mut card, "OpenSC match", OPENSC_MATCH);
    play(&mut card, "OpenSC bind", OPENSC_BIND);

    // The library: select, then the tries of both PINs. One SELECT of the application (the
    // library remembers it is selected where OpenSC's driver state does not carry over from
    // `jpki_match_card` to the bind), then each empty VERIFY naming the PIN's EF by its short
    // file identifier instead of OpenSC's SELECT of it.
    let mut vc = VirtualCard::new();
    let mut lib = Card::new(&mut vc);
    let mut jpki = lib.jpki();
    jpki.select().unwrap();
    assert_eq!(
        jpki.pin_status(PinKind::Auth).unwrap(),
        PinStatus::Remaining(3)
    );
    assert_eq!(
        jpki.pin_status(PinKind::Sign).unwrap(),
        PinStatus::Remaining(5)
    );
    assert_log(
        &vc,
        &["00A4040C0A D392F000260100000001", "00200098", "0020009B"],
        "library: select + two PIN statuses",
    );
}

#[test]
fn opensc_reads_the_auth_certificate() {
    let mut card = VirtualCard::new();
    play(&mut card, "OpenSC match", OPENSC_MATCH);
    let data = play(&mut card, "OpenSC read", OPENSC_READ_AUTH_CERT);
    let der = data[2..].concat();
    assert_eq!(der, card.certificate_der(CertificateKind::Auth));

    // The library reads the same chunks but sizes the file from its first 256-byte chunk, so
    // it sends no 4-byte header read: one APDU fewer than OpenSC.
    let mut vc = short_reader();
    let read = Card::new(&mut vc)
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .unwrap();
    assert_eq!(read, der);
    assert_log(
        &vc,
        &[
            "00A4040C0A D392F000260100000001",
            "00A4020C02 000A",
            "00B0000000",
            "00B0010000",
            "00B0020000",
            "00B0030000",
            "00B0040000",
            "00B0050000",
            "00B006000B",
        ],
        "library: auth certificate",
    );

    // Behind a reader carrying extended APDUs the library reads the whole file in one READ
    // BINARY, as Miena and c-3lab's mynumbercard-idp do, naming the EF by its short file
    // identifier (P1 = 80 | 0A) as jsapdu and myna-card do, with Le its 16 KiB cap.
    let mut vc = VirtualCard::new();
    let read = Card::new(&mut vc)
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .unwrap();
    assert_eq!(read, der);
    assert_log(
        &vc,
        &["00A4040C0A D392F000260100000001", "00B08A00 004000"],
        "library: auth certificate, extended",
    );
}

#[test]
fn opensc_logs_in_and_signs_with_the_auth_key() {
    let mut card = VirtualCard::new();
    play(&mut card, "OpenSC bind", OPENSC_BIND);
    let data = play(&mut card, "OpenSC sign", OPENSC_LOGIN_AND_SIGN);
    assert_signs_abc(&card, KeyKind::Auth, &data[3]);
    assert_eq!(card.tries_left(PinKind::Auth), 3);

    // The library sends the same VERIFY and COMPUTE DIGITAL SIGNATURE, plus the guard's empty
    // VERIFY before the VERIFY (the tries left, learnt in the same transaction), but names the
    // PIN (EF 0018) and then the key (EF 0017) by their short file identifiers instead of
    // OpenSC's SELECTs; and it selects the application, which OpenSC's bind did before.
    let mut vc = VirtualCard::new();
    let mut lib = Card::new(&mut vc);
    let mut jpki = lib.jpki();
    jpki.verify_pin(&AuthPin::new("1234").unwrap()).unwrap();
    let signature = jpki.sign_sha256(KeyKind::Auth, &digest_abc()).unwrap();
    assert_eq!(signature, data[3], "PKCS #1 v1.5 is deterministic");
    assert_log(
        &vc,
        &[
            "00A4040C0A D392F000260100000001",
            "00200098",
            "0020009804 31323334",
            "802A009733 3031300D060960864801650304020105000420 \
             BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD 00",
        ],
        "library: verify + sign",
    );
}

// ---------------------------------------------------------------------------------------------
// jpki/myna (Go, `libmyna`)
// ---------------------------------------------------------------------------------------------

/// jpki/myna `CheckCard`: `SelectJPKIAP` (`SelectDF`, `00 A4 04 0C`), `SelectEF("00 06")`, then
/// `JPKIAP.GetToken`, which SELECTs EF 0006 again and reads 0x20 bytes (`ReadBinary(0x20)`),
/// trimmed of spaces and compared with `JPKIAPICCTOKEN2`.
const MYNA_GO_CHECK_CARD: &[(&str, Expect)] = &[
    ("00A4040C0A D392F000260100000001", OK),
    ("00A4020C02 0006", OK),
    ("00A4020C02 0006", OK),
    (
        "00B0000020",
        Bytes("4A504B494150494343544F4B454E32 2020202020202020202020202020202020"),
    ),
];

/// jpki/myna `GetPinStatus`: the card-face AP's access codes A (EF 0013) and B (0012), the
/// card-info AP's PIN (0011) and codes A (0014) and B (0015), the JPKI auth (0018) and sign
/// (001B) PINs, each by `SelectEF` and `LookupPin` (`00 20 00 80`, no data).
const MYNA_GO_PIN_STATUS: &[(&str, Expect)] = &[
    ("00A4040C0A D3921000310001010402", OK),
    ("00A4020C02 0013", OK),
    ("00200080", Status(0x63C3)),
    ("00A4020C02 0012", OK),
    ("00200080", Status(0x63C3)),
    ("00A4040C0A D3921000310001010408", OK),
    ("00A4020C02 0011", OK),
    ("00200080", Status(0x63C3)),
    ("00A4020C02 0014", OK),
    ("00200080", Status(0x63C3)),
    ("00A4020C02 0015", OK),
    ("00200080", Status(0x63C3)),
    ("00A4040C0A D392F000260100000001", OK),
    ("00A4020C02 0018", OK),
    ("00200080", Status(0x63C3)),
    ("00A4020C02 001B", OK),
    ("00200080", Status(0x63C5)),
];

/// jpki/myna `GetJPKISignCert` (`GetJPKICert("00 01", pin)`): SELECT of the application,
/// `VerifySignPin` (SELECT 001B, VERIFY with the password), then `ReadCertificate`: SELECT of
/// EF 0001, a 7-byte read to parse the DER header, and `ReadBinary(size)` from offset 0 in
/// reads of at most 256 bytes (Le = 00 while more than 255 are left).
const MYNA_GO_SIGN_CERT: &[(&str, Expect)] = &[
    ("00A4040C0A D392F000260100000001", OK),
    ("00A4020C02 001B", OK),
    ("0020008006 414243313233", OK),
    ("00A4020C02 0001", OK),
    ("00B0000007", Head("308206E1", 7)),
    ("00B0000000", Head("308206E1", 256)),
    ("00B0010000", Len(256)),
    ("00B0020000", Len(256)),
    ("00B0030000", Len(256)),
    ("00B0040000", Len(256)),
    ("00B0050000", Len(256)),
    ("00B00600E5", Len(0xE5)),
];

/// jpki/myna `JPKISignSigner.Sign` (its own connection after the certificate read):
/// `SelectJPKIAP`, SELECT 001B and VERIFY, `SelectEF("00 1A")`, then `Signature`
/// (`80 2A 00 80 Lc <DigestInfo> 00`, the DigestInfo from `makeDigestInfo`).
const MYNA_GO_SIGN: &[(&str, Expect)] = &[
    ("00A4040C0A D392F000260100000001", OK),
    ("00A4020C02 001B", OK),
    ("0020008006 414243313233", OK),
    ("00A4020C02 001A", OK),
    (
        "802A008033 3031300D060960864801650304020105000420 \
         BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD 00",
        Len(256),
    ),
];

/// jpki/myna `GetMyNumber`, `GetAttrInfo` and `TextAP.ReadSignature` on the card-info AP:
/// `TextAP.VerifyPin` (SELECT 0011, VERIFY), `ReadMyNumber` (SELECT 0001, `ReadBinary(17)`),
/// `ReadAttributes` (SELECT 0002, a 7-byte header read, `ReadBinary(size)`) and
/// `ReadSignature` (SELECT 0003, `ReadBinary(336)`).
const MYNA_GO_CARD_INFO: &[(&str, Expect)] = &[
    ("00A4040C0A D3921000310001010408", OK),
    ("00A4020C02 0011", OK),
    ("0020008004 31323334", OK),
    ("00A4020C02 0001", OK),
    ("00B0000011", Bytes("FF100C 313233343536373839303138 FFFF")),
    ("00A4040C0A D3921000310001010408", OK),
    ("00A4020C02 0011", OK),
    ("0020008004 31323334", OK),
    ("00A4020C02 0002", OK),
    ("00B0000007", Bytes("FF205F DF210800")),
    ("00B0000062", Head("FF205F DF2108", 0x62)),
    ("00A4020C02 0003", OK),
    ("00B0000000", Head("FF3082014B DF3120", 256)),
    ("00B0010050", Len(0x50)),
];

/// jpki/myna `GetImageInfo` on the card-face AP: `ImageAP.VerifyPinA` (SELECT 0013, VERIFY with
/// the my number), then `GetImageInfo`: SELECT 0002, a 7-byte header read, `ReadBinary(size)`.
const MYNA_GO_CARD_FACE: &[(&str, Expect)] = &[
    ("00A4040C0A D3921000310001010402", OK),
    ("00A4020C02 0013", OK),
    ("002000800C 313233343536373839303138", OK),
    ("00A4020C02 0002", OK),
    ("00B0000007", Bytes("FF20820BEB DF21")),
    ("00B0000000", Head("FF20820BEB DF21", 256)),
    ("00B0010000", Len(256)),
    ("00B0020000", Len(256)),
    ("00B0030000", Len(256)),
    ("00B0040000", Len(256)),
    ("00B0050000", Len(256)),
    ("00B0060000", Len(256)),
    ("00B0070000", Len(256)),
    ("00B0080000", Len(256)),
    ("00B0090000", Len(256)),
    ("00B00A0000", Len(256)),
    ("00B00B00F0", Len(0xF0)),
];

#[test]
fn jpki_myna_checks_the_token() {
    let mut card = VirtualCard::new();
    play(&mut card, "jpki/myna CheckCard", MYNA_GO_CHECK_CARD);

    // The library's `identify`: one SELECT of EF 0006, the same 32-byte read.
    let mut vc = VirtualCard::new();
    let kind = Card::new(&mut vc).jpki().identify().unwrap();
    assert_eq!(kind, CardKind::MyNumberCard);
    assert_log(
        &vc,
        &[
            "00A4040C0A D392F000260100000001",
            "00A4020C02 0006",
            "00B0000020",
        ],
        "library: identify",
    );
}

#[test]
fn jpki_myna_reads_every_try_counter() {
    let mut card = VirtualCard::new();
    play(&mut card, "jpki/myna GetPinStatus", MYNA_GO_PIN_STATUS);
    assert_eq!(card.all_tries_left(), VirtualCard::new().all_tries_left());

    // The library, asked in the same order, sends the same SELECTs of the applications and
    // the same empty VERIFYs, each naming its EF by short file identifier (`80|SFI`) instead
    // of after a SELECT of it: 10 APDUs for jpki/myna's 17.
    use mynumbercard::card_face::CardFaceKey;
    use mynumbercard::card_info::CardInfoKey;
    let mut vc = VirtualCard::new();
    let mut lib = Card::new(&mut vc);
    lib.card_face()
        .code_status(CardFaceKey::AccessCodeA)
        .unwrap();
    lib.card_face()
        .code_status(CardFaceKey::AccessCodeB)
        .unwrap();
    lib.card_info().pin_status(CardInfoKey::Pin).unwrap();
    lib.card_info()
        .pin_status(CardInfoKey::AccessCodeA)
        .unwrap();
    lib.card_info()
        .pin_status(CardInfoKey::AccessCodeB)
        .unwrap();
    lib.jpki().pin_status(PinKind::Auth).unwrap();
    lib.jpki().pin_status(PinKind::Sign).unwrap();
    assert_log(
        &vc,
        &[
            "00A4040C0A D3921000310001010402",
            "00200093",
            "00200092",
            "00A4040C0A D3921000310001010408",
            "00200091",
            "00200094",
            "00200095",
            "00A4040C0A D392F000260100000001",
            "00200098",
            "0020009B",
        ],
        "library: the same seven statuses",
    );
}

#[test]
fn jpki_myna_reads_the_sign_certificate_and_signs() {
    let mut card = VirtualCard::new();
    let data = play(&mut card, "jpki/myna GetJPKISignCert", MYNA_GO_SIGN_CERT);
    assert_eq!(
        data[5..].concat(),
        card.certificate_der(CertificateKind::Sign)
    );
    let data = play(&mut card, "jpki/myna Sign", MYNA_GO_SIGN);
    assert_signs_abc(&card, KeyKind::Sign, &data[4]);

    // The library: the guard's empty VERIFY before the VERIFY, both naming EF 001B by its
    // short file identifier (`9B`), no 7-byte header read, and the signature in the same
    // session (no second SELECT and VERIFY) naming the key EF 001A the same way (`9A`).
    let mut vc = short_reader();
    let mut lib = Card::new(&mut vc);
    let mut jpki = lib.jpki();
    jpki.verify_pin(&SignPin::new("ABC123").unwrap()).unwrap();
    let der = jpki.read_certificate_der(CertificateKind::Sign).unwrap();
    let signature = jpki.sign_sha256(KeyKind::Sign, &digest_abc()).unwrap();
    assert_eq!(der, card.certificate_der(CertificateKind::Sign));
    assert_eq!(signature, data[4]);
    assert_log(
        &vc,
        &[
            "00A4040C0A D392F000260100000001",
            "0020009B",
            "0020009B06 414243313233",
            "00A4020C02 0001",
            "00B0000000",
            "00B0010000",
            "00B0020000",
            "00B0030000",
            "00B0040000",
            "00B0050000",
            "00B00600E5",
            "802A009A33 3031300D060960864801650304020105000420 \
             BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD 00",
        ],
        "library: verify, read, sign",
    );
}

#[test]
fn jpki_myna_reads_the_card_info_application() {
    let mut card = VirtualCard::new();
    play(&mut card, "jpki/myna card info", MYNA_GO_CARD_INFO);

    // The library: one VERIFY for all three files, the PIN (EF 0011) named by its short file
    // identifier (`91`), each file read from 256 bytes after its SELECT (the card returns what
    // is left), no header read.
    let mut vc = short_reader();
    let mut lib = Card::new(&mut vc);
    let mut info = lib.card_info();
    info.verify_pin(&CardInfoPin::new("1234").unwrap()).unwrap();
    let all = info.read_all().unwrap();
    assert_eq!(all.my_number.reveal(), "123456789018");
    assert_log(
        &vc,
        &[
            "00A4040C0A D3921000310001010408",
            "00200091",
            "0020009104 31323334",
            "00A4020C02 0001",
            "00B0000000",
            "00A4020C02 0002",
            "00B0000000",
            "00A4020C02 0003",
            "00B0000000",
            "00B0010050",
        ],
        "library: card-info read_all",
    );
}

#[test]
fn jpki_myna_reads_the_card_face() {
    let mut card = VirtualCard::new();
    let data = play(&mut card, "jpki/myna GetImageInfo", MYNA_GO_CARD_FACE);
    assert_eq!(data[5..].concat().len(), 3056);

    // The library reads the same chunks, sized from the first one; no 7-byte header read; the
    // access code A (EF 0013) named by its short file identifier (`93`) in the guard's empty
    // VERIFY and the VERIFY.
    let mut vc = short_reader();
    let mut lib = Card::new(&mut vc);
    let mut face = lib.card_face();
    face.verify_access_code_a(&MyNumber::new("123456789018").unwrap())
        .unwrap();
    face.read_record().unwrap();
    let mut expected = vec![
        "00A4040C0A D3921000310001010402",
        "00200093",
        "002000930C 313233343536373839303138",
        "00A4020C02 0002",
    ];
    expected.extend(MYNA_GO_CARD_FACE[5..].iter().map(|(c, _)| *c));
    assert_log(&vc, &expected, "library: card-face record");
}

// ---------------------------------------------------------------------------------------------
// soltia48/myna-card (Rust)
// ---------------------------------------------------------------------------------------------

/// myna-card `JpkiAp::select` (`Card::select_df`) and `read_auth_certificate_der`
/// (`JpkiAp::read_ef`: `Card::select_ef`, then `Card::read_binary_all`: one read of 256 bytes,
/// the BER header of what came back sizes the rest, read in chunks of at most 256).
const MYNA_CARD_READ_AUTH_CERT: &[(&str, Expect)] = &[
    ("00A4040C0A D392F000260100000001", OK),
    ("00A4020C02 000A", OK),
    ("00B0000000", Head("30820607", 256)),
    ("00B0010000", Len(256)),
    ("00B0020000", Len(256)),
    ("00B0030000", Len(256)),
    ("00B0040000", Len(256)),
    ("00B0050000", Len(256)),
    ("00B006000B", Len(0x0B)),
];

/// myna-card `auth_pin_retries` (SELECT 0018, `Card::pin_retries`: VERIFY with no data),
/// `verify_auth_pin` (SELECT 0018, `Card::verify`), then `sign_with_auth_key` with
/// `SignatureScheme::Verbatim`: COMPUTE DIGITAL SIGNATURE naming the key by its short file
/// identifier in P2 (`80 | 17` = `97`), with no SELECT of EF 0017.
const MYNA_CARD_VERIFY_AND_SIGN: &[(&str, Expect)] = &[
    ("00A4020C02 0018", OK),
    ("00200080", Status(0x63C3)),
    ("00A4020C02 0018", OK),
    ("0020008004 31323334", OK),
    (
        "802A009733 3031300D060960864801650304020105000420 \
         BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD 00",
        Len(256),
    ),
];

/// myna-card `verify_auth_pin` (SELECT 0018, VERIFY), then `sign_with_auth_key` with
/// `SignatureScheme::PreHashedDigestInfo`: P1 = 02, the bare 32-byte SHA-256 hash, which the
/// card wraps in a DigestInfo, and P2 = `80 | 17` naming the auth key by its short file
/// identifier (`80 2A 02 97 20 <SHA-256> 00`).
const MYNA_CARD_SIGN_BARE_HASH: &[(&str, Expect)] = &[
    ("00A4040C0A D392F000260100000001", OK),
    ("00A4020C02 0018", OK),
    ("0020008004 31323334", OK),
    (
        "802A029720 BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD 00",
        Len(256),
    ),
];

/// myna-card `read_token_type`: SELECT 0006, then `Card::read_binary_physical`, reads of 256
/// until one comes back short. On the virtual card the file is the 32-byte label; myna-card
/// reads EF 0006 of a real card as a 160-byte PKCS #11 `CK_TOKEN_INFO` whose first 32 bytes
/// are the label, so a real card's answer is longer (see the card's `files` module).
const MYNA_CARD_TOKEN: &[(&str, Expect)] = &[
    ("00A4020C02 0006", OK),
    ("00B0000000", Head("4A504B494150494343544F4B454E32", 32)),
];

/// myna-card `TextAp::select`, `verify_pin` (SELECT 0011, VERIFY), `read_my_number` and
/// `read_attributes` (`read_ef`: SELECT, `read_binary_all`).
const MYNA_CARD_TEXT: &[(&str, Expect)] = &[
    ("00A4040C0A D3921000310001010408", OK),
    ("00A4020C02 0011", OK),
    ("0020008004 31323334", OK),
    ("00A4020C02 0001", OK),
    ("00B0000000", Bytes("FF100C 313233343536373839303138 FFFF")),
    ("00A4020C02 0002", OK),
    ("00B0000000", Head("FF205F", 0x62)),
];

#[test]
fn myna_card_reads_the_auth_certificate_like_the_library() {
    let mut card = VirtualCard::new();
    let data = play(&mut card, "myna-card read", MYNA_CARD_READ_AUTH_CERT);
    assert_eq!(
        data[2..].concat(),
        card.certificate_der(CertificateKind::Auth)
    );

    // myna-card and the library read a certificate the same way: the very same commands.
    let mut vc = short_reader();
    Card::new(&mut vc)
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .unwrap();
    let literal: Vec<&str> = MYNA_CARD_READ_AUTH_CERT.iter().map(|(c, _)| *c).collect();
    assert_log(&vc, &literal, "library: auth certificate");
}

#[test]
fn myna_card_verifies_and_signs_by_short_file_identifier() {
    let mut card = VirtualCard::new();
    play(
        &mut card,
        "myna-card select",
        &MYNA_CARD_READ_AUTH_CERT[..1],
    );
    let data = play(&mut card, "myna-card sign", MYNA_CARD_VERIFY_AND_SIGN);
    assert_signs_abc(&card, KeyKind::Auth, &data[4]);
    play(&mut card, "myna-card token", MYNA_CARD_TOKEN);

    // The library checks the tries by naming the PIN's EF in the empty VERIFY (`00 20 00 98`)
    // instead of this transcript's SELECT. Its guard then SELECTs the application again
    // itself, in the transaction of the VERIFY, and learns the tries again there before
    // spending one, in the same form; the VERIFY having answered that form, it names the key
    // in P2 as myna-card does (`80 2A 00 97`). The signature is the same bytes.
    let mut vc = VirtualCard::new();
    let mut lib = Card::new(&mut vc);
    let mut jpki = lib.jpki();
    jpki.select().unwrap();
    assert_eq!(
        jpki.pin_status(PinKind::Auth).unwrap(),
        PinStatus::Remaining(3)
    );
    jpki.verify_pin(&AuthPin::new("1234").unwrap()).unwrap();
    let signature = jpki.sign_sha256(KeyKind::Auth, &digest_abc()).unwrap();
    assert_eq!(signature, data[4]);
    assert_log(
        &vc,
        &[
            "00A4040C0A D392F000260100000001",
            "00200098",
            "00A4040C0A D392F000260100000001",
            "00200098",
            "0020009804 31323334",
            "802A009733 3031300D060960864801650304020105000420 \
             BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD 00",
        ],
        "library: status, verify, sign",
    );
}

#[test]
fn myna_card_signs_a_bare_hash_by_short_file_identifier() {
    let mut card = VirtualCard::new();
    let data = play(
        &mut card,
        "myna-card sign (P1 = 02)",
        MYNA_CARD_SIGN_BARE_HASH,
    );
    // The signature verifies with the auth certificate's key over the same hash.
    assert_signs_abc(&card, KeyKind::Auth, &data[3]);
    // The same bytes as the library's `80 2A 00 80` over the DigestInfo (PKCS #1 v1.5 is
    // deterministic): the card built the DigestInfo the library sends.
    let mut vc = VirtualCard::new();
    let mut lib = Card::new(&mut vc);
    let mut jpki = lib.jpki();
    jpki.verify_pin(&AuthPin::new("1234").unwrap()).unwrap();
    assert_eq!(
        jpki.sign_sha256(KeyKind::Auth, &digest_abc()).unwrap(),
        data[3]
    );
}

#[test]
fn myna_card_reads_the_card_info_files_like_the_library() {
    let mut card = VirtualCard::new();
    let data = play(&mut card, "myna-card TextAp", MYNA_CARD_TEXT);
    assert_eq!(&data[4][3..15], b"123456789018");

    // The library reads each file the same way, adds the guard's empty VERIFY and names the PIN
    // (EF 0011) by its short file identifier in both instead of this transcript's SELECT, and
    // checks each file against the integrity record (EF 0003), which myna-card reads only
    // when asked.
    let mut vc = short_reader();
    let mut lib = Card::new(&mut vc);
    let mut info = lib.card_info();
    info.verify_pin(&CardInfoPin::new("1234").unwrap()).unwrap();
    info.read_my_number().unwrap();
    info.read_attributes().unwrap();
    assert_log(
        &vc,
        &[
            "00A4040C0A D3921000310001010408",
            "00200091",
            "0020009104 31323334",
            "00A4020C02 0001",
            "00B0000000",
            "00A4020C02 0003",
            "00B0000000",
            "00B0010050",
            "00A4020C02 0002",
            "00B0000000",
            "00A4020C02 0003",
            "00B0000000",
            "00B0010050",
        ],
        "library: card-info my number and attributes",
    );
}

/// The virtual card refusing short file identifiers (`6A86` to a VERIFY or COMPUTE DIGITAL
/// SIGNATURE with P2 = `80|SFI`, which never reaches it), with the log of every command sent.
struct RefusingShortFileIds {
    card: VirtualCard,
    sent: Vec<String>,
}

impl Transport for RefusingShortFileIds {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, mynumbercard::TransportError> {
        self.sent.push(hex::encode_upper(command));
        match command {
            [0x00, 0x20, 0x00, p2, ..] | [0x80, 0x2A, 0x00, p2, ..]
                if p2 & 0xE0 == 0x80 && *p2 != 0x80 =>
            {
                Ok(vec![0x6A, 0x86])
            }
            _ => self.card.transmit(command),
        }
    }

    fn capabilities(&self) -> mynumbercard::transport::Capabilities {
        self.card.capabilities()
    }
}

#[test]
fn library_on_a_card_refusing_short_file_identifiers_sends_the_peers_selects() {
    // OpenSC's and jpki/myna's forms: SELECT of the PIN's EF, `00 20 00 80`; SELECT of the
    // key's EF, `80 2A 00 80`. The library's probe (`00 20 00 98`) is refused once, then it
    // sends what OpenSC does plus the guard's empty VERIFY.
    let mut lib = Card::new(RefusingShortFileIds {
        card: VirtualCard::new(),
        sent: Vec::new(),
    });
    let mut jpki = lib.jpki();
    jpki.verify_pin(&AuthPin::new("1234").unwrap()).unwrap();
    jpki.sign_sha256(KeyKind::Auth, &digest_abc()).unwrap();
    let expected: Vec<String> = [
        "00A4040C0A D392F000260100000001",
        "00200098",
        "00A4020C02 0018",
        "00200080",
        "0020008004 31323334",
        "00A4020C02 0017",
        "802A008033 3031300D060960864801650304020105000420 \
         BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD 00",
    ]
    .iter()
    .map(|c| c.replace(' ', ""))
    .collect();
    assert_eq!(lib.transport().sent, expected);
    // Past the SELECT of the application, the probe and the guard's empty VERIFY: OpenSC's
    // login and signature, command for command.
    let past_guard: Vec<&String> = expected[2..].iter().filter(|c| *c != "00200080").collect();
    let opensc: Vec<String> = OPENSC_LOGIN_AND_SIGN
        .iter()
        .map(|(c, _)| c.replace(' ', ""))
        .collect();
    assert_eq!(past_guard, opensc.iter().collect::<Vec<_>>());
}

// ---------------------------------------------------------------------------------------------
// Malformed commands: what a card answers a broken APDU (ISO/IEC 7816-4 length rules)
// ---------------------------------------------------------------------------------------------

#[test]
fn malformed_apdus_get_wrong_length() {
    // A card that takes no extended lengths, so that a well-formed extended command is refused
    // with the same status word as a malformed one.
    let mut card = VirtualCard::builder()
        .profile(mynumbercard::virtual_card::Profile::RefusesExtendedLength)
        .build();
    play(&mut card, "select", OPENSC_MATCH);
    for command in [
        "00A4",                          // header cut short
        "00A4020C",                      // case 1 SELECT: no file id
        "00A4020C0300 0A",               // Lc 3, two data bytes
        "00A4020C01 000A",               // Lc 1, two data bytes and no Le of that length
        "00200080 0004 31323334",        // short Lc 0
        "00B0000000 0000",               // an extended Lc of 0 and no data
        "00B00000 000100",               // extended Le, 256, on a card refusing extended length
        "00200080000000 31323334",       // extended Lc 0
        "0020008000000431323334 000000", // extended case 4 with three Le bytes
    ] {
        let response = card.transmit(&bytes(command)).unwrap();
        assert_eq!(response, [0x67, 0x00], "{command}");
    }
    assert_eq!(card.tries_left(PinKind::Auth), 3, "no try spent");
}
