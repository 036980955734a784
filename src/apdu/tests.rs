//! The APDU codec against ISO 7816-4's cases, byte for byte.

use super::*;

fn hex(bytes: &[u8]) -> String {
    hex::encode_upper(bytes)
}

fn enc(cmd: &Command) -> String {
    hex(&cmd.encode().unwrap())
}

fn parse(s: &str) -> Result<Command, ApduError> {
    Command::parse(&hex::decode(s).unwrap())
}

#[test]
fn encodes_every_case_short() {
    // Case 1: header only.
    assert_eq!(enc(&Command::new(0x00, 0x20, 0x00, 0x80)), "00200080");
    // Case 2S.
    assert_eq!(enc(&Command::new(0, 0xB0, 0, 0).with_le(7)), "00B0000007");
    // Case 3S.
    let select = Command::new(0, 0xA4, 2, 0x0C).with_data([0x00, 0x0A]);
    assert_eq!(enc(&select), "00A4020C02000A");
    // Case 4S.
    let sign = Command::new(0x80, 0x2A, 0, 0x80)
        .with_data([1, 2, 3])
        .with_le(255);
    assert_eq!(enc(&sign), "802A008003010203FF");
}

#[test]
fn encodes_every_case_extended() {
    let ext = LengthEncoding::Extended;
    // Case 2E: 00 then a two-byte Le.
    let read = Command::new(0, 0xB0, 0, 0)
        .with_le(0x1234)
        .with_encoding(ext);
    assert_eq!(enc(&read), "00B00000001234");
    // Case 3E: 00 then a two-byte Lc.
    let put = Command::new(0, 0xDA, 0, 0)
        .with_data([0xAB])
        .with_encoding(ext);
    assert_eq!(enc(&put), "00DA00000000 01AB".replace(' ', ""));
    // Case 4E: two-byte Le after the data, with no second 00.
    let sign = Command::new(0x80, 0x2A, 0, 0x80)
        .with_data([0xAB, 0xCD])
        .with_le(0x0102)
        .with_encoding(ext);
    assert_eq!(enc(&sign), "802A0080000002ABCD0102");
    // Case 1 stays four bytes even when extended is forced.
    let case1 = Command::new(0, 0x20, 0, 0x80).with_encoding(ext);
    assert_eq!(enc(&case1), "00200080");
    assert_eq!(case1.is_extended(), Ok(false));
}

#[test]
fn encodes_the_largest_ne_as_zeros() {
    assert_eq!(enc(&Command::new(0, 0xB0, 0, 0).with_le(256)), "00B0000000");
    assert_eq!(
        enc(&Command::new(0, 0xB0, 0, 0).with_le(65_536)),
        "00B00000000000"
    );
    let sign = Command::new(0, 0x2A, 0, 0).with_data([9]).with_le(65_536);
    assert_eq!(
        enc(&sign.with_encoding(LengthEncoding::Extended)),
        "002A0000000001090000"
    );
}

#[test]
fn auto_switches_to_extended_only_when_needed() {
    let at_limit = Command::new(0, 0xD6, 0, 0)
        .with_data(vec![7; 255])
        .with_le(256);
    assert_eq!(at_limit.is_extended(), Ok(false));
    assert_eq!(at_limit.encode().unwrap().len(), 4 + 1 + 255 + 1);

    let long_data = Command::new(0, 0xD6, 0, 0).with_data(vec![7; 256]);
    assert_eq!(long_data.is_extended(), Ok(true));
    let bytes = long_data.encode().unwrap();
    assert_eq!(bytes.get(..7), Some(&[0, 0xD6, 0, 0, 0x00, 0x01, 0x00][..]));
    assert_eq!(bytes.len(), 7 + 256);

    let long_ne = Command::new(0, 0xB0, 0, 0).with_le(257);
    assert_eq!(long_ne.is_extended(), Ok(true));
    assert_eq!(enc(&long_ne), "00B00000000101");
}

#[test]
fn refuses_lengths_it_cannot_encode() {
    let short = LengthEncoding::Short;
    let data = Command::new(0, 0xD6, 0, 0).with_data(vec![0; 256]);
    assert_eq!(
        data.with_encoding(short).encode(),
        Err(ApduError::DoesNotFitShort)
    );
    let ne = Command::new(0, 0xB0, 0, 0)
        .with_le(257)
        .with_encoding(short);
    assert_eq!(ne.encode(), Err(ApduError::DoesNotFitShort));
    assert_eq!(ne.encoded_len(), Err(ApduError::DoesNotFitShort));

    let too_long = Command::new(0, 0xD6, 0, 0).with_data(vec![0; 65_536]);
    assert_eq!(
        too_long.encode(),
        Err(ApduError::DataTooLong { len: 65_536 })
    );
    let max = Command::new(0, 0xD6, 0, 0).with_data(vec![0; 65_535]);
    assert_eq!(max.encode().unwrap().len(), 7 + 65_535);

    for ne in [0, 65_537] {
        let cmd = Command::new(0, 0xB0, 0, 0).with_le(ne);
        assert_eq!(cmd.encode(), Err(ApduError::NeOutOfRange { ne }));
        assert!(cmd.to_trace_hex().starts_with("<invalid command"));
    }
}

#[test]
fn parses_every_case() {
    let case1 = parse("00200080").unwrap();
    assert_eq!((case1.data(), case1.ne()), (&[][..], None));

    let case2s = parse("00B0010000").unwrap();
    assert_eq!((case2s.p1(), case2s.ne()), (0x01, Some(256)));
    assert_eq!(case2s.encoding(), LengthEncoding::Short);

    let case3s = parse("00A4040C0AD392F000260100000001").unwrap();
    assert_eq!(hex(case3s.data()), "D392F000260100000001");
    assert_eq!(case3s.ne(), None);

    let case4s = parse("802A008003010203FF").unwrap();
    assert_eq!((case4s.data(), case4s.ne()), (&[1, 2, 3][..], Some(255)));

    let case2e = parse("00B00000000000").unwrap();
    assert_eq!(case2e.ne(), Some(65_536));
    assert_eq!(case2e.encoding(), LengthEncoding::Extended);

    let case3e = parse("00DA00000000 01AB".replace(' ', "").as_str()).unwrap();
    assert_eq!((case3e.data(), case3e.ne()), (&[0xAB][..], None));

    let case4e = parse("802A0080000002ABCD0000").unwrap();
    assert_eq!(case4e.data(), [0xAB, 0xCD]);
    assert_eq!(case4e.ne(), Some(65_536));
    assert_eq!(case4e.header().name(), "COMPUTE DIGITAL SIGNATURE");
}

#[test]
fn refuses_malformed_commands() {
    assert_eq!(parse("00A404"), Err(ApduError::CommandTooShort { len: 3 }));
    assert_eq!(parse(""), Err(ApduError::CommandTooShort { len: 0 }));
    let malformed = |s: &str| {
        assert_eq!(
            parse(s),
            Err(ApduError::MalformedCommand { len: s.len() / 2 }),
            "{s}"
        )
    };
    malformed("00A4040C05D392"); // Lc 5, 2 data bytes
    malformed("00A4040C00000001"); // extended Lc 0
    malformed("00A4040C0000"); // 00 then one byte: neither 2S, 3S (Lc 0) nor 2E
    malformed("00A4020C02000A0000"); // 4S with an extra byte
    malformed("00DA0000000002AB"); // extended Lc 2, 1 data byte
    malformed("802A0080000002ABCD01"); // 4E with a one-byte Le
    malformed("802A0080000002ABCD010203"); // 4E with three Le bytes
}

#[test]
fn sensitive_data_never_shows() {
    let pin = Command::new(0, 0x20, 0, 0x80)
        .with_data(*b"1234")
        .sensitive();
    let debug = format!("{pin:?}");
    assert!(debug.contains("REDACTED (4 bytes)"), "{debug}");
    assert!(!debug.contains("31323334"), "{debug}");
    assert_eq!(pin.to_trace_hex(), "0020008004********");
    assert_eq!(hex(&pin.encode().unwrap()), "002000800431323334");

    let with_le = pin.clone().with_le(16);
    assert_eq!(with_le.to_trace_hex(), "0020008004********10");
    let extended = pin.with_le(16).with_encoding(LengthEncoding::Extended);
    assert_eq!(extended.to_trace_hex(), "00200080000004********0010");

    let plain = Command::new(0, 0x20, 0, 0x80).with_data(*b"1234");
    assert_eq!(plain.to_trace_hex(), "002000800431323334");
    assert!(format!("{plain:?}").contains("31323334"));
}

/// xorshift64*: a deterministic stream, so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn random_commands_round_trip() {
    let mut rng = Rng(0x4D59_4E55_4D42_4552);
    let mut extended = 0;
    for i in 0..2_000 {
        let [cla, ins, p1, p2, ..] = rng.next().to_be_bytes();
        // Mostly short lengths, sometimes across the extended boundary.
        let len = match rng.below(4) {
            0 => 0,
            1 | 2 => rng.below(300),
            _ => rng.below(70_000),
        };
        let ne = match rng.below(4) {
            0 => None,
            1 => Some(1 + rng.below(256)),
            _ => Some(1 + rng.below(65_536)),
        };
        let encoding = [
            LengthEncoding::Auto,
            LengthEncoding::Short,
            LengthEncoding::Extended,
        ][rng.below(3)];
        let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let mut cmd = Command::new(cla, ins, p1, p2)
            .with_data(data.clone())
            .with_encoding(encoding);
        if let Some(ne) = ne {
            cmd = cmd.with_le(ne);
        }
        let fits_short = len <= 255 && ne.unwrap_or(0) <= 256;
        match cmd.encode() {
            Ok(bytes) => {
                assert!(len <= MAX_DATA_LEN, "iteration {i}");
                assert!(
                    fits_short || encoding != LengthEncoding::Short,
                    "iteration {i}"
                );
                let parsed = Command::parse(&bytes).unwrap();
                assert_eq!(parsed.header(), cmd.header(), "iteration {i}");
                assert_eq!(parsed.data(), data, "iteration {i}");
                assert_eq!(parsed.ne(), ne, "iteration {i}");
                assert_eq!(parsed.encode().unwrap(), bytes, "iteration {i}");
                extended += usize::from(cmd.is_extended().unwrap());
            }
            Err(ApduError::DataTooLong { len: l }) => assert!(l == len && len > MAX_DATA_LEN),
            Err(ApduError::DoesNotFitShort) => {
                assert!(!fits_short && encoding == LengthEncoding::Short)
            }
            Err(e) => panic!("iteration {i}: {e}"),
        }
    }
    assert!(
        extended > 100,
        "the loop must exercise extended lengths: {extended}"
    );
}

#[test]
fn responses_split_data_and_status() {
    let r = Response::parse(&[0xAA, 0x63, 0xC2]).unwrap();
    assert_eq!(
        (r.data(), r.status()),
        (&[0xAA][..], StatusWord::from_u16(0x63C2))
    );
    assert_eq!(r.to_bytes(), [0xAA, 0x63, 0xC2]);
    let owned = Response::parse_vec(vec![0x90, 0x00]).unwrap();
    assert_eq!(
        (owned.data(), owned.status()),
        (&[][..], StatusWord::SUCCESS)
    );
    assert_eq!(
        Response::parse_vec(vec![0x90]),
        Err(ApduError::ResponseTooShort { len: 1 })
    );
    assert_eq!(
        Response::parse(&[]),
        Err(ApduError::ResponseTooShort { len: 0 })
    );
    assert_eq!(
        format!("{r:?}"),
        "Response { data: AA, status: StatusWord(63C2) }"
    );
}

#[test]
fn zeroizing_buffers_grow_and_keep_their_bytes() {
    let mut buffer = zeroize::Zeroizing::new(Vec::with_capacity(2));
    super::extend_zeroizing(&mut buffer, &[1, 2]);
    assert_eq!(buffer.capacity(), 2, "no growth needed");
    super::extend_zeroizing(&mut buffer, &[3, 4, 5]);
    assert_eq!(*buffer, [1, 2, 3, 4, 5]);
    super::extend_zeroizing(&mut buffer, &[]);
    assert_eq!(*buffer, [1, 2, 3, 4, 5]);
    let response = Response::parse_vec(vec![0xAA, 0x90, 0x00]).unwrap();
    assert_eq!(*response.clone().into_data_zeroizing(), [0xAA]);
    assert_eq!(response.into_data(), [0xAA]);
}
