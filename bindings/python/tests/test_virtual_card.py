"""Every call of the Python API against the virtual card, in process, through a Python
transport: the values, the exact errors, the lockout guard, a lost tag, threads."""

import hashlib
import threading

import pytest

from mynumbercard import (
    CardError,
    CardFaceSecret,
    CardInfoSecret,
    CardKind,
    CertificateKind,
    ChangeablePin,
    CalendarDate,
    DigestAlgorithm,
    KeyInfo,
    KeyKind,
    LastTry,
    MyNumberCard,
    SecretKind,
    SecretName,
    SecretStatus,
    Sex,
    SignInput,
    TransportError,
    VirtualCard,
    access_code_b,
)
from conftest import config, is_sign, is_verify_with_pin

JP2 = bytes([0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20])
PNG = b"\x89PNG\r\n\x1a\n"


def message(data: bytes = b"m") -> SignInput:
    return SignInput.MESSAGE(message=data)


def test_identify(virtual):
    assert virtual.session.identify() == CardKind.MY_NUMBER_CARD()
    reference = MyNumberCard.over_virtual_card(VirtualCard())
    reference.identify()
    # The foreign transport adds no APDU: as many as the Rust-only path sends.
    assert virtual.card.apdu_count() == reference.apdus_sent()
    assert virtual.transport.forwarded == reference.apdus_sent()


def test_certificates(virtual):
    auth = virtual.session.read_certificate(CertificateKind.AUTH, None, LastTry.REFUSE)
    assert auth.kind == CertificateKind.AUTH
    assert auth.der == virtual.card.certificate_der(CertificateKind.AUTH)
    assert "JPKI-VIRTUAL-TEST" in auth.issuer
    assert auth.key == KeyInfo.RSA(bits=2048)
    assert auth.holder is None
    assert auth.not_before < auth.not_after
    assert auth.fingerprint_sha256 == hashlib.sha256(auth.der).digest()
    for kind in (CertificateKind.AUTH_CA, CertificateKind.SIGN_CA):
        assert virtual.session.read_certificate(kind, None, LastTry.REFUSE).kind == kind

    before = virtual.card.apdu_count()
    with pytest.raises(CardError.InvalidFormat):
        virtual.session.read_certificate(CertificateKind.SIGN, None, LastTry.REFUSE)
    assert virtual.card.apdu_count() == before

    sign = virtual.session.read_certificate(CertificateKind.SIGN, bytearray(b"abc123"), LastTry.REFUSE)
    assert sign.holder.name == "仮想　太郎"
    assert sign.holder.sex == Sex.MALE()
    assert sign.holder.birth_date == CalendarDate(year=1990, month=1, day=1)
    assert sign.holder.address.startswith("東京都")


def test_statuses(setup):
    s = setup(sign_tries_left=2)
    statuses = s.session.secret_statuses()
    assert statuses.auth_pin == SecretStatus.REMAINING(tries=3)
    assert statuses.sign_pin == SecretStatus.REMAINING(tries=2)
    for name in (
        "card_info_pin",
        "card_info_access_code_a",
        "card_info_access_code_b",
        "card_face_access_code_a",
        "card_face_access_code_b",
    ):
        assert getattr(statuses, name) == SecretStatus.REMAINING(tries=3), name
    assert s.session.secret_status(SecretKind.SIGN_PIN) == SecretStatus.REMAINING(tries=2)
    assert s.verifies_sent() == 0


def test_verify_and_sign_is_the_rust_signature(virtual):
    # RSA PKCS#1 v1.5 is deterministic: the signature equals the one the Rust-only path makes.
    signature = virtual.session.verify_and_sign(KeyKind.AUTH, b"1234", message(b"hello"), LastTry.REFUSE)
    assert len(signature) == 256
    reference = MyNumberCard.over_virtual_card(VirtualCard())
    assert signature == reference.verify_and_sign(KeyKind.AUTH, b"1234", message(b"hello"), LastTry.REFUSE)
    digest = hashlib.sha256(b"hello").digest()
    assert signature == reference.verify_and_sign(
        KeyKind.AUTH, b"1234", SignInput.DIGEST(algorithm=DigestAlgorithm.SHA256, digest=digest), LastTry.REFUSE
    )
    assert virtual.verifies_sent() == 1

    sha512 = hashlib.sha512(b"document").digest()
    signature = virtual.session.verify_and_sign(
        KeyKind.SIGN, b"ABC123", SignInput.DIGEST(algorithm=DigestAlgorithm.SHA512, digest=sha512), LastTry.REFUSE
    )
    assert len(signature) == 256

    with pytest.raises(CardError.InvalidFormat):
        virtual.session.verify_and_sign(
            KeyKind.SIGN, b"ABC123", SignInput.DIGEST(algorithm=DigestAlgorithm.SHA256, digest=b"\0" * 31), LastTry.REFUSE
        )
    assert virtual.verifies_sent() == 2, "a bad digest sends no PIN"


def test_wrong_pin_then_the_guard_refuses_the_last_try(setup):
    s = setup(auth_tries_left=2)
    with pytest.raises(CardError.WrongPin) as wrong:
        s.session.verify_and_sign(KeyKind.AUTH, b"9999", message(), LastTry.REFUSE)
    assert wrong.value.tries_left == 1
    assert s.card.tries_left(SecretKind.AUTH_PIN) == 1
    with pytest.raises(CardError.LastTryRefused) as refused:
        s.session.verify_and_sign(KeyKind.AUTH, b"1234", message(), LastTry.REFUSE)
    assert refused.value.secret == SecretName.AUTH_PIN
    assert s.verifies_sent() == 1, "the last try was not sent"
    assert s.card.tries_left(SecretKind.AUTH_PIN) == 1
    s.session.verify_and_sign(KeyKind.AUTH, b"1234", message(), LastTry.ALLOW)
    assert s.card.tries_left(SecretKind.AUTH_PIN) == 3


def test_an_allowed_last_try_that_fails_blocks(setup):
    s = setup(auth_tries_left=1)
    with pytest.raises(CardError.BlockedByThisAttempt) as blocked:
        s.session.verify_and_sign(KeyKind.AUTH, b"9999", message(), LastTry.ALLOW)
    assert blocked.value.secret == SecretName.AUTH_PIN
    assert s.card.tries_left(SecretKind.AUTH_PIN) == 0


def test_blocked_and_invalid_formats_send_nothing(setup):
    s = setup(auth_tries_left=0)
    with pytest.raises(CardError.Blocked):
        s.session.verify_and_sign(KeyKind.AUTH, b"1234", message(), LastTry.ALLOW)
    assert s.verifies_sent() == 0
    before = s.card.apdu_count()
    for key, pin in [(KeyKind.AUTH, b"123"), (KeyKind.AUTH, b"12a4"), (KeyKind.SIGN, b"abc"), (KeyKind.SIGN, b"\xff\xfe12345")]:
        with pytest.raises(CardError.InvalidFormat) as invalid:
            s.session.verify_and_sign(key, pin, message(), LastTry.ALLOW)
        assert pin.decode("latin-1") not in invalid.value.reason
    assert s.card.apdu_count() == before


def test_a_tag_lost_in_verify_and_sign_costs_no_try(virtual):
    virtual.transport.lose_when = is_verify_with_pin
    with pytest.raises(CardError.CardRemoved):
        virtual.session.verify_and_sign(KeyKind.AUTH, b"9999", message(), LastTry.REFUSE)
    assert virtual.card.tries_left(SecretKind.AUTH_PIN) == 3
    assert virtual.verifies_sent() == 0

    virtual.transport.lose_when = is_sign
    with pytest.raises(CardError.CardRemoved):
        virtual.session.verify_and_sign(KeyKind.AUTH, b"1234", message(), LastTry.REFUSE)
    assert virtual.card.tries_left(SecretKind.AUTH_PIN) == 3

    virtual.transport.lose_when = None
    virtual.card.power_cycle()
    assert len(virtual.session.verify_and_sign(KeyKind.AUTH, b"1234", message(), LastTry.REFUSE)) == 256


def test_transport_errors():
    from conftest import VirtualTransport

    for raised, expected in [
        (TransportError.TagLost(), CardError.CardRemoved),
        (TransportError.Timeout(), CardError.Timeout),
        (TransportError.Other("nfc off"), CardError.Transport),
        (ValueError("a bug in the transport"), CardError.Transport),
    ]:
        transport = VirtualTransport(VirtualCard())

        def fail(_command, raised=raised):
            raise raised

        transport.transceive = fail
        with pytest.raises(expected):
            MyNumberCard(transport).identify()


def test_eligibility_check_both_modes(virtual):
    evidence = virtual.session.eligibility_check_pin(b"1234", b"nonce", LastTry.REFUSE)
    assert evidence.certificate.kind == CertificateKind.AUTH
    assert len(evidence.signature) == 256
    assert evidence.card_face is None
    # The Python transport declares a short-only reader: the reference card sits behind one.
    reference = MyNumberCard.over_virtual_card(VirtualCard.with_config(config(short_only_reader=True)))
    reference.eligibility_check_pin(b"1234", b"nonce", LastTry.REFUSE)
    assert virtual.card.apdu_count() == reference.apdus_sent()

    visual = virtual.session.eligibility_check_visual(None)
    assert visual.signature is None and visual.card_face is None

    code = access_code_b(CalendarDate(year=1990, month=1, day=1), 2035, b"1234")
    assert code == b"02010120351234"
    visual = virtual.session.eligibility_check_visual(code)
    assert visual.card_face.face_photo.startswith(JP2)
    assert visual.card_face.expiry.year == 2035
    assert visual.card_face.my_number_image is None


def test_card_info(virtual):
    info = virtual.session.read_card_info(CardInfoSecret.PIN, b"1234", LastTry.REFUSE)
    assert info.my_number == b"123456789018"
    assert info.attributes.name == "仮想　太郎"
    assert info.attributes.sex == Sex.MALE()
    a = virtual.session.read_card_info(CardInfoSecret.ACCESS_CODE_A, b"123456789018", LastTry.REFUSE)
    assert a.my_number is not None and a.attributes is None
    b = virtual.session.read_card_info(CardInfoSecret.ACCESS_CODE_B, b"02010120351234", LastTry.REFUSE)
    assert b.my_number is None and b.attributes is not None
    before = virtual.card.apdu_count()
    with pytest.raises(CardError.InvalidFormat):
        virtual.session.read_card_info(CardInfoSecret.ACCESS_CODE_A, b"123456789010", LastTry.REFUSE)
    assert virtual.card.apdu_count() == before
    with pytest.raises(CardError.WrongAccessCode) as wrong:
        virtual.session.read_card_info(CardInfoSecret.ACCESS_CODE_B, b"02010120359999", LastTry.REFUSE)
    assert wrong.value.tries_left == 2
    assert wrong.value.secret == SecretName.ACCESS_CODE_B


def test_card_face(virtual):
    face = virtual.session.read_card_face(CardFaceSecret.ACCESS_CODE_A, b"123456789018", True, LastTry.REFUSE)
    assert face.my_number_image.startswith(PNG)
    assert face.name_image.startswith(PNG)
    assert face.birth_date == CalendarDate(year=1990, month=1, day=1)
    face = virtual.session.read_card_face(CardFaceSecret.ACCESS_CODE_B, b"02010120351234", False, LastTry.REFUSE)
    assert face.my_number_image is None
    with pytest.raises(CardError.InvalidFormat):
        virtual.session.read_card_face(CardFaceSecret.ACCESS_CODE_B, b"02010120351234", True, LastTry.REFUSE)


def test_change_pins(virtual):
    virtual.session.change_pin(ChangeablePin.AUTH, b"1234", b"4321", LastTry.REFUSE)
    virtual.session.change_pin(ChangeablePin.SIGN, b"ABC123", b"NEWPIN99", LastTry.REFUSE)
    virtual.session.change_pin(ChangeablePin.CARD_INFO, b"1234", b"0000", LastTry.REFUSE)
    with pytest.raises(CardError.InvalidFormat):
        virtual.session.change_pin(ChangeablePin.AUTH, b"4321", b"12", LastTry.REFUSE)
    virtual.card.power_cycle()
    virtual.session.verify_and_sign(KeyKind.AUTH, b"4321", message(), LastTry.REFUSE)
    with pytest.raises(CardError.WrongPin) as wrong:
        virtual.session.verify_and_sign(KeyKind.SIGN, b"ABC123", message(), LastTry.REFUSE)
    assert wrong.value.tries_left == 4


def test_close(virtual):
    virtual.session.identify()
    virtual.session.end_session()
    assert virtual.transport.closed_with is False
    with pytest.raises(CardError.Closed):
        virtual.session.identify()
    virtual.session.end_session()

    session = MyNumberCard(virtual.transport)
    session.eligibility_check_pin(b"1234", b"c", LastTry.REFUSE)
    session.end_session()
    assert virtual.transport.closed_with is True


def test_not_a_my_number_card():
    from conftest import VirtualTransport

    transport = VirtualTransport(VirtualCard())
    transport.transceive = lambda _command: b"\x6a\x82"
    session = MyNumberCard(transport)
    assert session.identify() == CardKind.NOT_MY_NUMBER_CARD()
    with pytest.raises(CardError.NotMyNumberCard):
        session.read_certificate(CertificateKind.AUTH, None, LastTry.REFUSE)
    with pytest.raises(CardError.NotFound):
        session.read_card_info(CardInfoSecret.PIN, b"1234", LastTry.REFUSE)


def test_calls_from_several_threads(virtual):
    errors = []

    def work(i):
        try:
            for _ in range(5):
                if i % 2 == 0:
                    sig = virtual.session.verify_and_sign(KeyKind.AUTH, b"1234", message(bytes([i])), LastTry.REFUSE)
                    assert len(sig) == 256
                else:
                    cert = virtual.session.read_certificate(CertificateKind.AUTH, None, LastTry.REFUSE)
                    assert cert.kind == CertificateKind.AUTH
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert virtual.verifies_sent() == 10
    assert virtual.card.tries_left(SecretKind.AUTH_PIN) == 3
    assert len(virtual.transport.threads) >= 2, "the transport ran on the callers' threads"
