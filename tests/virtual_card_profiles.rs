//! The kinds of card and reader the virtual card models, asserted on status words and bytes:
//! extended-length READ BINARY and short file identifiers, each taken or refused by a
//! profile; the reader carrying extended APDUs or not, apart from what the card takes; the
//! signature schemes of P1 `00`–`03`.

use mynumbercard::virtual_card::{Profile, Reader, VirtualCard};
use mynumbercard::{CertificateKind, KeyKind, PinKind, Transport, TransportError};
use rsa::Pkcs1v15Sign;
use sha2::{Digest, Sha256};

const OK: [u8; 2] = [0x90, 0x00];
const SELECT_JPKI: [u8; 15] = [
    0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01,
];
/// The size of a certificate EF on the virtual card (the DER, then filler).
const CERTIFICATE_FILE: usize = 2560;
/// SHA-256 DigestInfo prefix (RFC 8017, section 9.2, note 1).
const SHA256_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

fn card(profile: Profile) -> VirtualCard {
    VirtualCard::builder().profile(profile).build()
}

fn select_jpki_file(card: &mut VirtualCard, fid: u16) {
    assert_eq!(card.handle(&SELECT_JPKI), OK);
    let [hi, lo] = fid.to_be_bytes();
    assert_eq!(card.handle(&[0x00, 0xA4, 0x02, 0x0C, 0x02, hi, lo]), OK);
}

fn split(response: &[u8]) -> (&[u8], [u8; 2]) {
    let (data, sw) = response.split_at(response.len() - 2);
    (data, [sw[0], sw[1]])
}

fn sign_command(p1: u8, p2: u8, data: &[u8]) -> Vec<u8> {
    let mut apdu = vec![0x80, 0x2A, p1, p2, u8::try_from(data.len()).unwrap()];
    apdu.extend_from_slice(data);
    apdu.push(0x00);
    apdu
}

fn verify_auth_pin(card: &mut VirtualCard) {
    let mut verify = vec![0x00, 0x20, 0x00, 0x80, 0x04];
    verify.extend_from_slice(b"1234");
    select_jpki_file(card, 0x0018);
    assert_eq!(card.handle(&verify), OK);
}

#[test]
fn an_extended_le_reads_the_whole_file_on_a_card_that_takes_it() {
    for profile in Profile::ALL {
        let mut card = card(profile);
        let der = card.certificate_der(CertificateKind::Auth).to_vec();
        select_jpki_file(&mut card, 0x000A);
        // Le = 00 0A 00 (2,560) and Le = 00 00 (65,536): what is left of the file, within Le.
        for le in [[0x0A, 0x00], [0x00, 0x00]] {
            let response = card.handle(&[0x00, 0xB0, 0x00, 0x00, 0x00, le[0], le[1]]);
            if profile.takes_extended_length() {
                let (data, sw) = split(&response);
                assert_eq!(sw, OK, "{profile:?}");
                assert_eq!(data.len(), CERTIFICATE_FILE, "{profile:?}");
                assert_eq!(&data[..der.len()], der.as_slice(), "{profile:?}");
                assert!(data[der.len()..].iter().all(|&b| b == 0xFF), "filler");
            } else {
                assert_eq!(response, [0x67, 0x00], "{profile:?}");
            }
        }
        // An extended Le from an offset: the rest of the file.
        let rest = card.handle(&[0x00, 0xB0, 0x05, 0x00, 0x00, 0x08, 0x00]);
        if profile.takes_extended_length() {
            assert_eq!(rest.len(), CERTIFICATE_FILE - 0x500 + 2, "{profile:?}");
        } else {
            assert_eq!(rest, [0x67, 0x00], "{profile:?}");
        }
        // Short reads work on every card, after a refusal too.
        let response = card.handle(&[0x00, 0xB0, 0x00, 0x00, 0x00]);
        let (head, sw) = split(&response);
        assert_eq!((head, sw), (&der[..256], OK), "{profile:?}");
    }
}

#[test]
fn a_card_refusing_extended_length_refuses_every_extended_command() {
    let mut card = card(Profile::RefusesExtendedLength);
    verify_auth_pin(&mut card);
    assert_eq!(card.handle(&[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x17]), OK);
    // COMPUTE DIGITAL SIGNATURE with an extended Lc and Le.
    let mut digest_info = SHA256_PREFIX.to_vec();
    digest_info.extend_from_slice(&Sha256::digest(b"abc"));
    let mut extended = vec![0x80, 0x2A, 0x00, 0x80, 0x00, 0x00, 0x33];
    extended.extend_from_slice(&digest_info);
    extended.extend_from_slice(&[0x01, 0x00]);
    assert_eq!(card.handle(&extended), [0x67, 0x00]);
    let mut on_default = VirtualCard::new();
    verify_auth_pin(&mut on_default);
    assert_eq!(
        on_default.handle(&[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x17]),
        OK
    );
    let response = on_default.handle(&extended);
    let (signature, sw) = split(&response);
    assert_eq!(
        (signature.len(), sw),
        (256, OK),
        "the default card takes it"
    );
}

#[test]
fn short_file_identifiers_work_only_on_a_card_that_takes_them() {
    for profile in Profile::ALL {
        let mut card = card(profile);
        let der = card.certificate_der(CertificateKind::Auth).to_vec();
        assert_eq!(card.handle(&SELECT_JPKI), OK);
        let takes = profile.takes_short_file_ids();
        let refused = [0x6A, 0x86];
        // READ BINARY P1 = 80 | 0A, any offset in P2.
        let read = card.handle(&[0x00, 0xB0, 0x8A, 0x10, 0x04]);
        if takes {
            assert_eq!(read, [&der[0x10..0x14], &OK[..]].concat(), "{profile:?}");
        } else {
            assert_eq!(read, refused, "{profile:?}");
        }
        // The empty VERIFY P2 = 80 | 18 asks for the auth PIN's tries; the VERIFY spends one only
        // where the card takes the form.
        let status = card.handle(&[0x00, 0x20, 0x00, 0x98]);
        assert_eq!(
            status,
            if takes {
                vec![0x63, 0xC3]
            } else {
                refused.to_vec()
            }
        );
        let mut wrong = vec![0x00, 0x20, 0x00, 0x98, 0x04];
        wrong.extend_from_slice(b"0000");
        let answer = card.handle(&wrong);
        assert_eq!(
            answer,
            if takes {
                vec![0x63, 0xC2]
            } else {
                refused.to_vec()
            }
        );
        assert_eq!(card.tries_left(PinKind::Auth), if takes { 2 } else { 3 });
        // COMPUTE DIGITAL SIGNATURE P2 = 80 | 17 after the PIN.
        verify_auth_pin(&mut card);
        let mut digest_info = SHA256_PREFIX.to_vec();
        digest_info.extend_from_slice(&Sha256::digest(b"abc"));
        let response = card.handle(&sign_command(0x00, 0x97, &digest_info));
        if takes {
            assert_eq!((response.len(), split(&response).1), (258, OK));
        } else {
            assert_eq!(response, refused, "{profile:?}");
        }
        // Every card signs after a SELECT of the key, with P2 = 80.
        assert_eq!(card.handle(&[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x17]), OK);
        let response = card.handle(&sign_command(0x00, 0x80, &digest_info));
        assert_eq!(
            (response.len(), split(&response).1),
            (258, OK),
            "{profile:?}"
        );
    }
}

#[test]
fn a_card_refusing_both_answers_an_extended_read_by_identifier_with_wrong_length() {
    // The length is judged first: a probe that tries both forms learns that one is refused,
    // not which.
    let mut card = card(Profile::RefusesBoth);
    assert_eq!(card.handle(&SELECT_JPKI), OK);
    assert_eq!(
        card.handle(&[0x00, 0xB0, 0x8A, 0x00, 0x00, 0x0A, 0x00]),
        [0x67, 0x00]
    );
    let mut no_sfi = VirtualCard::builder()
        .profile(Profile::RefusesShortFileIds)
        .build();
    assert_eq!(no_sfi.handle(&SELECT_JPKI), OK);
    assert_eq!(
        no_sfi.handle(&[0x00, 0xB0, 0x8A, 0x00, 0x00, 0x0A, 0x00]),
        [0x6A, 0x86]
    );
    let mut default = VirtualCard::new();
    assert_eq!(default.handle(&SELECT_JPKI), OK);
    let response = default.handle(&[0x00, 0xB0, 0x8A, 0x00, 0x00, 0x0A, 0x00]);
    assert_eq!(response.len(), CERTIFICATE_FILE + 2);
}

#[test]
fn the_signature_schemes_sign_the_same_digest_info_whoever_hashes() {
    let mut card = VirtualCard::new();
    verify_auth_pin(&mut card);
    let message = b"the message";
    let hash = Sha256::digest(message);
    let mut digest_info = SHA256_PREFIX.to_vec();
    digest_info.extend_from_slice(&hash);
    let mut sign = |p1: u8, data: &[u8]| {
        let response = card.handle(&sign_command(p1, 0x97, data));
        let (signature, sw) = split(&response);
        assert_eq!(sw, OK, "P1 {p1:02X}");
        signature.to_vec()
    };
    let given = sign(0x00, &digest_info);
    let bare_hash = sign(0x02, &hash);
    let on_card = sign(0x03, message);
    let bare = sign(0x01, message);
    // PKCS #1 v1.5 is deterministic: the same DigestInfo, the same bytes.
    assert_eq!(given, bare_hash, "02: the card builds the DigestInfo");
    assert_eq!(given, on_card, "03: the card hashes the message");
    let key = card.public_key(KeyKind::Auth);
    key.verify(Pkcs1v15Sign::new::<Sha256>(), &hash, &given)
        .expect("a SHA-256 PKCS #1 v1.5 signature");
    // 01 signs the bare hash, with no DigestInfo.
    key.verify(Pkcs1v15Sign::new_unprefixed(), &hash, &bare)
        .expect("a signature over the bare hash");
    // A 02 hash of another length, an empty 03 message, a PSS P1: refused.
    assert_eq!(
        card.handle(&sign_command(0x02, 0x97, &hash[..31])),
        [0x67, 0x00]
    );
    assert_eq!(card.handle(&[0x80, 0x2A, 0x03, 0x97, 0x00]), [0x67, 0x00]);
    assert_eq!(card.handle(&sign_command(0x04, 0x97, &hash)), [0x6A, 0x86]);
}

#[test]
fn the_reader_carries_extended_apdus_or_not_apart_from_the_card() {
    let extended_read = [0x00, 0xB0, 0x00, 0x00, 0x00, 0x0A, 0x00];
    for reader in Reader::ALL {
        for profile in Profile::ALL {
            let mut card = VirtualCard::builder()
                .profile(profile)
                .reader(reader)
                .build();
            let caps = card.capabilities();
            assert_eq!(caps, reader.capabilities());
            assert!(caps.exclusive);
            assert_eq!(caps.extended_length, reader == Reader::Extended);
            card.transmit(&SELECT_JPKI).unwrap();
            card.transmit(&[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A])
                .unwrap();
            card.clear_log();
            match (reader, card.transmit(&extended_read)) {
                // The reader carries it; the card answers as its profile says.
                (Reader::Extended, Ok(response)) => {
                    let expected = if profile.takes_extended_length() {
                        CERTIFICATE_FILE + 2
                    } else {
                        2
                    };
                    assert_eq!(response.len(), expected, "{profile:?}");
                    assert_eq!(card.log().len(), 1);
                }
                // A short-only reader fails it, and the card never sees it.
                (Reader::ShortOnly, Err(TransportError::Other(_))) => {
                    assert!(card.log().is_empty(), "{profile:?}");
                }
                (reader, other) => panic!("{reader:?} {profile:?}: {other:?}"),
            }
            // Short APDUs pass either reader.
            let response = card.transmit(&[0x00, 0xB0, 0x00, 0x00, 0x00]).unwrap();
            assert_eq!(response.len(), 258);
        }
    }
    assert_eq!(VirtualCard::new().reader(), Reader::Extended);
    assert_eq!(
        VirtualCard::new().profile(),
        Profile::ExtendedAndShortFileIds
    );
}

#[test]
fn the_files_have_a_real_cards_sizes() {
    // A JPKI test card issued in 2025: auth certificate 1,590 bytes, sign certificate 1,758,
    // CA certificates 1,316-1,333 (the published roots 1,301-1,319), card face 3,070. The
    // virtual card's are within a few percent, and take as many 256-byte reads.
    let card = VirtualCard::new();
    let face = card
        .record_len(mynumbercard::card_face::APPLICATION.aid(), 0x0002)
        .unwrap();
    for (what, len, real) in [
        (
            "auth",
            card.certificate_der(CertificateKind::Auth).len(),
            1590,
        ),
        (
            "sign",
            card.certificate_der(CertificateKind::Sign).len(),
            1758,
        ),
        (
            "auth CA",
            card.certificate_der(CertificateKind::AuthCa).len(),
            1333,
        ),
        (
            "sign CA",
            card.certificate_der(CertificateKind::SignCa).len(),
            1318,
        ),
        ("card face", face, 3070),
    ] {
        println!("{what}: {len} bytes (real card: {real})");
        assert!(
            len.abs_diff(real) * 100 <= real * 5,
            "{what}: {len} against {real}"
        );
        assert_eq!(
            len.div_ceil(256),
            real.div_ceil(256),
            "{what}: 256-byte reads"
        );
    }
}
