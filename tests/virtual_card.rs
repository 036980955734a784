//! The virtual card's protocol, asserted on status words and bytes: SELECT, READ BINARY,
//! VERIFY, COMPUTE DIGITAL SIGNATURE, power and reset, class and instruction errors.

use mynumbercard::virtual_card::VirtualCard;
use mynumbercard::{CertificateKind, KeyKind, PinKind};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use sha2::{Digest, Sha256};

const JPKI: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
const CARD_INFO: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];
const CARD_FACE: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02];
const COMMON: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00];
const OK: [u8; 2] = [0x90, 0x00];

fn select_aid(card: &mut VirtualCard, aid: &[u8]) -> Vec<u8> {
    let mut apdu = vec![0x00, 0xA4, 0x04, 0x0C, aid.len() as u8];
    apdu.extend_from_slice(aid);
    card.handle(&apdu)
}

fn select_ef(card: &mut VirtualCard, fid: u16) -> Vec<u8> {
    let [hi, lo] = fid.to_be_bytes();
    card.handle(&[0x00, 0xA4, 0x02, 0x0C, 0x02, hi, lo])
}

fn read(card: &mut VirtualCard, offset: u16, le: u8) -> Vec<u8> {
    let [p1, p2] = offset.to_be_bytes();
    card.handle(&[0x00, 0xB0, p1, p2, le])
}

fn verify(card: &mut VirtualCard, pin: &[u8]) -> Vec<u8> {
    let mut apdu = vec![0x00, 0x20, 0x00, 0x80];
    if !pin.is_empty() {
        apdu.push(pin.len() as u8);
        apdu.extend_from_slice(pin);
    }
    card.handle(&apdu)
}

fn jpki_file(card: &mut VirtualCard, fid: u16) {
    assert_eq!(select_aid(card, &JPKI), OK);
    assert_eq!(select_ef(card, fid), OK);
}

fn sign_apdu(digest_info: &[u8]) -> Vec<u8> {
    let mut apdu = vec![0x80, 0x2A, 0x00, 0x80, digest_info.len() as u8];
    apdu.extend_from_slice(digest_info);
    apdu.push(0x00);
    apdu
}

fn digest_info(message: &[u8]) -> Vec<u8> {
    mynumbercard::HashAlgorithm::Sha256
        .digest_info(&Sha256::digest(message))
        .expect("a SHA-256 digest")
}

/// Reads a whole file in 256-byte chunks until 6B00 or a short chunk.
fn read_file(card: &mut VirtualCard) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let response = read(card, out.len() as u16, 0x00);
        let (data, sw) = response.split_at(response.len() - 2);
        if sw == [0x6B, 0x00] {
            return out;
        }
        assert_eq!(sw, OK);
        out.extend_from_slice(data);
        if data.len() < 256 {
            return out;
        }
    }
}

#[test]
fn selects_the_applications_and_refuses_unknown_ones() {
    let mut card = VirtualCard::new();
    for aid in [JPKI, CARD_INFO, CARD_FACE, COMMON] {
        assert_eq!(select_aid(&mut card, &aid), OK);
    }
    assert_eq!(
        select_aid(&mut card, &[0xD3, 0x92, 0xF0, 0x00]),
        [0x6A, 0x82]
    );
    assert_eq!(select_aid(&mut card, &[0xA0; 10]), [0x6A, 0x82]);
    // P1 = 09 (select by path) fails; P2 must be 0C.
    assert_eq!(
        card.handle(&[0x00, 0xA4, 0x09, 0x0C, 0x02, 0x00, 0x0A]),
        [0x6A, 0x86]
    );
    assert_eq!(
        card.handle(&[0x00, 0xA4, 0x04, 0x00, 0x02, 0xD3, 0x92]),
        [0x6A, 0x86]
    );
    // A file id must be two bytes.
    assert_eq!(
        card.handle(&[0x00, 0xA4, 0x02, 0x0C, 0x01, 0x0A]),
        [0x67, 0x00]
    );
}

#[test]
fn selects_files_only_inside_an_application_that_has_them() {
    let mut card = VirtualCard::new();
    assert_eq!(select_ef(&mut card, 0x000A), [0x6A, 0x82], "no application");
    assert_eq!(select_aid(&mut card, &CARD_INFO), OK);
    assert_eq!(
        select_ef(&mut card, 0x000A),
        [0x6A, 0x82],
        "empty application"
    );
    assert_eq!(select_aid(&mut card, &JPKI), OK);
    for fid in [
        0x0001, 0x0002, 0x0006, 0x000A, 0x000B, 0x0017, 0x0018, 0x001A, 0x001B,
    ] {
        assert_eq!(select_ef(&mut card, fid), OK, "EF {fid:04X}");
    }
    assert_eq!(select_ef(&mut card, 0x0003), [0x6A, 0x82]);
    assert_eq!(select_ef(&mut card, 0x3F00), [0x6A, 0x82]);
}

#[test]
fn chunked_reads_reassemble_the_certificates_then_filler() {
    let mut card = VirtualCard::new();
    for kind in [
        CertificateKind::Auth,
        CertificateKind::AuthCa,
        CertificateKind::SignCa,
    ] {
        jpki_file(&mut card, mynumbercard::jpki::ef::certificate(kind));
        let file = read_file(&mut card);
        let der = card.certificate_der(kind).to_vec();
        assert_eq!(file.len(), 2560, "{kind:?} file size");
        assert_eq!(&file[..der.len()], der.as_slice(), "{kind:?}");
        assert!(
            file[der.len()..].iter().all(|&b| b == 0xFF),
            "{kind:?} filler"
        );
    }
}

#[test]
fn reads_stop_at_the_end_of_the_file() {
    let mut card = VirtualCard::new();
    jpki_file(&mut card, 0x000A);
    assert_eq!(read(&mut card, 2560, 0x01), [0x6B, 0x00]);
    assert_eq!(read(&mut card, 0x7FFF, 0x00), [0x6B, 0x00]);
    // A read running past the end returns the bytes up to the end.
    assert_eq!(read(&mut card, 2559, 0x00), [0xFF, 0x90, 0x00]);
    let head = read(&mut card, 0, 4);
    assert_eq!(head[..4], card.certificate_der(CertificateKind::Auth)[..4]);
    assert_eq!(head.len(), 6);
}

#[test]
fn read_binary_refuses_keys_pins_and_no_file() {
    let mut card = VirtualCard::new();
    assert_eq!(read(&mut card, 0, 0), [0x69, 0x86], "no EF");
    for fid in [0x0017, 0x0018, 0x001A, 0x001B] {
        jpki_file(&mut card, fid);
        assert_eq!(read(&mut card, 0, 0), [0x69, 0x81], "EF {fid:04X}");
    }
}

#[test]
fn short_file_identifiers_name_an_ef_without_its_select() {
    let mut card = VirtualCard::new();
    let der = card.certificate_der(CertificateKind::Auth).to_vec();
    assert_eq!(
        card.handle(&[0x00, 0xB0, 0x8A, 0x00, 0x04]),
        [0x6A, 0x82],
        "no application"
    );
    assert_eq!(select_aid(&mut card, &JPKI), OK);
    // READ BINARY P1 = 80 | 0A: EF 000A, offset in P2; the EF becomes current.
    let head = card.handle(&[0x00, 0xB0, 0x8A, 0x00, 0x04]);
    assert_eq!(head, [&der[..4], &OK[..]].concat());
    assert_eq!(read(&mut card, 4, 2), [&der[4..6], &OK[..]].concat());
    assert_eq!(card.handle(&[0x00, 0xB0, 0x8A, 0xFF, 0x01])[1..], OK);
    assert_eq!(card.handle(&[0x00, 0xB0, 0x9F, 0x00, 0x04]), [0x6A, 0x82]);
    assert_eq!(card.handle(&[0x00, 0xB0, 0xA0, 0x00, 0x04]), [0x6A, 0x86]);
    assert_eq!(card.handle(&[0x00, 0xB0, 0x97, 0x00, 0x04]), [0x69, 0x81]);
    // VERIFY P2 = 80 | 18: the auth PIN, whatever the current EF.
    jpki_file(&mut card, 0x000B);
    assert_eq!(card.handle(&[0x00, 0x20, 0x00, 0x98]), [0x63, 0xC3]);
    let mut verify_98 = vec![0x00, 0x20, 0x00, 0x98, 0x04];
    verify_98.extend_from_slice(b"1234");
    assert_eq!(card.handle(&verify_98), OK);
    assert!(card.is_verified(PinKind::Auth));
    assert_eq!(read(&mut card, 0, 2)[2..], OK, "EF 000B stays current");
    assert_eq!(card.handle(&[0x00, 0x20, 0x00, 0x9B]), [0x63, 0xC5]);
    assert_eq!(card.handle(&[0x00, 0x20, 0x00, 0x81]), [0x6A, 0x88]);
    // COMPUTE DIGITAL SIGNATURE P2 = 80 | 17: the auth key (myna-card's form).
    let info = digest_info(b"hello");
    let mut sign_97 = sign_apdu(&info);
    sign_97[3] = 0x97;
    let response = card.handle(&sign_97);
    assert_eq!(response[256..], OK);
    let mut sign_9a = sign_apdu(&info);
    sign_9a[3] = 0x9A;
    assert_eq!(
        card.handle(&sign_9a),
        [0x69, 0x82],
        "the sign PIN is not verified"
    );
    let mut sign_98 = sign_apdu(&info);
    sign_98[3] = 0x98;
    assert_eq!(card.handle(&sign_98), [0x69, 0x86], "EF 0018 is no key");
}

#[test]
fn token_file_holds_the_padded_label() {
    let mut card = VirtualCard::new();
    jpki_file(&mut card, 0x0006);
    let mut expected = b"JPKIAPICCTOKEN2".to_vec();
    expected.resize(32, b' ');
    expected.extend_from_slice(&OK);
    assert_eq!(read(&mut card, 0, 0x00), expected);
    assert_eq!(read(&mut card, 32, 0x01), [0x6B, 0x00]);

    let mut phone = VirtualCard::builder()
        .token_label(b"JPKIAPGPSETOKEN")
        .build();
    jpki_file(&mut phone, 0x0006);
    assert_eq!(&read(&mut phone, 0, 32)[..16], b"JPKIAPGPSETOKEN ");
}

#[test]
fn sign_certificate_needs_the_sign_pin() {
    let mut card = VirtualCard::new();
    jpki_file(&mut card, 0x0001);
    assert_eq!(read(&mut card, 0, 0), [0x69, 0x82]);
    assert_eq!(select_ef(&mut card, 0x001B), OK);
    assert_eq!(verify(&mut card, b"ABC123"), OK);
    assert_eq!(select_ef(&mut card, 0x0001), OK);
    let der = card.certificate_der(CertificateKind::Sign).to_vec();
    assert_eq!(&read_file(&mut card)[..der.len()], der.as_slice());
}

#[test]
fn wrong_auth_pins_count_down_then_block() {
    let mut card = VirtualCard::new();
    jpki_file(&mut card, 0x0018);
    assert_eq!(verify(&mut card, b""), [0x63, 0xC3]);
    assert_eq!(verify(&mut card, b"0000"), [0x63, 0xC2]);
    assert_eq!(verify(&mut card, b"0000"), [0x63, 0xC1]);
    assert_eq!(
        verify(&mut card, b"0000"),
        [0x63, 0xC0],
        "the exhausting try"
    );
    assert_eq!(verify(&mut card, b"0000"), [0x69, 0x84]);
    assert_eq!(verify(&mut card, b""), [0x69, 0x84]);
    assert_eq!(
        verify(&mut card, b"1234"),
        [0x69, 0x84],
        "blocked even if right"
    );
    assert_eq!(card.tries_left(PinKind::Auth), 0);
    assert_eq!(card.tries_left(PinKind::Sign), 5);
}

#[test]
fn a_correct_pin_restores_the_count_and_empty_verify_spends_nothing() {
    let mut card = VirtualCard::new();
    jpki_file(&mut card, 0x001B);
    assert_eq!(verify(&mut card, b"WRONG1"), [0x63, 0xC4]);
    for _ in 0..10 {
        assert_eq!(verify(&mut card, b""), [0x63, 0xC4]);
    }
    assert_eq!(verify(&mut card, b"ABC123"), OK);
    assert_eq!(card.tries_left(PinKind::Sign), 5);
    assert_eq!(verify(&mut card, b""), OK, "verified");
    assert_eq!(verify(&mut card, b"WRONG1"), [0x63, 0xC4]);
    assert!(
        !card.is_verified(PinKind::Sign),
        "a wrong PIN drops the verified state"
    );
}

#[test]
fn verify_needs_a_pin_file_and_its_parameters() {
    let mut card = VirtualCard::new();
    assert_eq!(verify(&mut card, b""), [0x69, 0x86], "no EF");
    jpki_file(&mut card, 0x000A);
    assert_eq!(verify(&mut card, b"1234"), [0x6A, 0x88]);
    assert_eq!(select_ef(&mut card, 0x0018), OK);
    assert_eq!(card.handle(&[0x00, 0x20, 0x00, 0x00]), [0x6A, 0x86]);
    assert_eq!(card.handle(&[0x00, 0x20, 0x00, 0xA0]), [0x6A, 0x86]);
    assert_eq!(card.handle(&[0x00, 0x20, 0x01, 0x80]), [0x6A, 0x86]);
    assert_eq!(card.tries_left(PinKind::Auth), 3);
}

#[test]
fn builder_sets_pins_and_tries() {
    let mut card = VirtualCard::builder()
        .auth_pin("9876")
        .auth_tries_left(1)
        .sign_tries_left(0)
        .build();
    jpki_file(&mut card, 0x0018);
    assert_eq!(verify(&mut card, b""), [0x63, 0xC1]);
    assert_eq!(verify(&mut card, b"1234"), [0x63, 0xC0]);
    let mut card = VirtualCard::builder().auth_pin("9876").build();
    jpki_file(&mut card, 0x0018);
    assert_eq!(verify(&mut card, b"9876"), OK);
    assert_eq!(select_ef(&mut card, 0x001B), OK);
    assert_eq!(verify(&mut card, b""), [0x63, 0xC5]);
    let mut blocked = VirtualCard::builder().sign_tries_left(0).build();
    jpki_file(&mut blocked, 0x001B);
    assert_eq!(verify(&mut blocked, b"ABC123"), [0x69, 0x84]);
}

#[test]
fn signs_a_digest_info_only_after_the_pin() {
    let mut card = VirtualCard::new();
    let info = digest_info(b"hello");
    assert_eq!(card.handle(&sign_apdu(&info)), [0x69, 0x86], "no key EF");
    jpki_file(&mut card, 0x0017);
    assert_eq!(card.handle(&sign_apdu(&info)), [0x69, 0x82]);
    assert_eq!(select_ef(&mut card, 0x0018), OK);
    assert_eq!(verify(&mut card, b"1234"), OK);
    assert_eq!(select_ef(&mut card, 0x001A), OK);
    assert_eq!(
        card.handle(&sign_apdu(&info)),
        [0x69, 0x82],
        "sign key needs sign PIN"
    );
    assert_eq!(select_ef(&mut card, 0x0017), OK);
    let response = card.handle(&sign_apdu(&info));
    assert_eq!(response.len(), 258);
    assert_eq!(response[256..], OK);
    let key = VerifyingKey::<Sha256>::new(card.public_key(KeyKind::Auth));
    let signature = Signature::try_from(&response[..256]).unwrap();
    key.verify(b"hello", &signature).unwrap();
    // The `signature` crate's error is opaque by design (it says nothing of why a signature
    // failed, against side channels): there is no variant to assert.
    assert!(key.verify(b"other", &signature).is_err());
    // Too long for the key, wrong P1/P2 (04 and 05, PSS, are not modelled), wrong class.
    assert_eq!(card.handle(&sign_apdu(&[0x30; 246])), [0x67, 0x00]);
    for p1 in [0x04, 0x05, 0x06, 0x80] {
        let mut wrong_p1 = sign_apdu(&info);
        wrong_p1[2] = p1;
        assert_eq!(card.handle(&wrong_p1), [0x6A, 0x86], "P1 {p1:02X}");
    }
    let mut wrong_p2 = sign_apdu(&info);
    wrong_p2[3] = 0x00;
    assert_eq!(card.handle(&wrong_p2), [0x6A, 0x86], "P2 00");
    let mut wrong_cla = sign_apdu(&info);
    wrong_cla[0] = 0x00;
    assert_eq!(card.handle(&wrong_cla), [0x6D, 0x00]);
}

#[test]
fn power_off_and_another_application_clear_security_status_reset_keeps_it() {
    let mut card = VirtualCard::new();
    jpki_file(&mut card, 0x001B);
    assert_eq!(verify(&mut card, b"ABC123"), OK);

    card.reset();
    assert_eq!(
        select_ef(&mut card, 0x001B),
        [0x6A, 0x82],
        "reset clears the selection"
    );
    jpki_file(&mut card, 0x001B);
    assert_eq!(verify(&mut card, b""), OK, "reset keeps the verified PIN");

    assert_eq!(select_aid(&mut card, &JPKI), OK);
    assert!(
        card.is_verified(PinKind::Sign),
        "re-selecting the same AP keeps it"
    );
    assert_eq!(select_aid(&mut card, &CARD_INFO), OK);
    jpki_file(&mut card, 0x001B);
    assert_eq!(
        verify(&mut card, b""),
        [0x63, 0xC5],
        "another AP cleared it"
    );

    assert_eq!(verify(&mut card, b"ABC123"), OK);
    card.power_off();
    assert_eq!(select_aid(&mut card, &JPKI), [0x6F, 0x00], "unpowered");
    card.power_on();
    jpki_file(&mut card, 0x0001);
    assert_eq!(read(&mut card, 0, 0), [0x69, 0x82], "power-off cleared it");
}

#[test]
fn refuses_unknown_classes_instructions_and_malformed_apdus() {
    let mut card = VirtualCard::new();
    assert_eq!(card.handle(&[0x00, 0x0E, 0x00, 0x00, 0x00]), [0x6D, 0x00]);
    // GET DATA answers, but not for an object the card does not have.
    assert_eq!(card.handle(&[0x00, 0xCA, 0x00, 0x00, 0x00]), [0x6A, 0x88]);
    assert_eq!(card.handle(&[0x80, 0xB0, 0x00, 0x00, 0x00]), [0x6D, 0x00]);
    for cla in [0x0C, 0x08, 0x04, 0x10, 0x40, 0xFF, 0xA0] {
        assert_eq!(
            card.handle(&[cla, 0xB0, 0x00, 0x00, 0x00]),
            [0x6E, 0x00],
            "{cla:02X}"
        );
    }
    for cla in [0x01, 0x02, 0x03, 0x81] {
        assert_eq!(
            card.handle(&[cla, 0xA4, 0x04, 0x0C, 0x01, 0xD3]),
            [0x68, 0x81]
        );
    }
    assert_eq!(card.handle(&[0x00, 0xA4, 0x04]), [0x67, 0x00]);
    assert_eq!(
        card.handle(&[0x00, 0xA4, 0x04, 0x0C, 0x05, 0xD3]),
        [0x67, 0x00]
    );
    assert_eq!(card.handle(&[]), [0x67, 0x00]);
}
