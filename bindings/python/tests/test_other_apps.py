"""The reads beyond the JPKI, card-info and card-face tasks from Python: the common and
resident-registry applications, the master file's objects, the token info and the
certificate list, and the errors of a card without a signature certificate and of the
Android credential."""

import pytest

from mynumbercard import (
    CalendarDate,
    CardError,
    CardKind,
    CertificateKind,
    CertificatePresence,
    DataObject,
    KeyKind,
    LastTry,
    SecretKind,
    SecretStatus,
    SignInput,
)


def test_master_file_then_common_and_resident_registry(virtual):
    mf = virtual.session.read_master_file_data()
    assert mf.municipality == "13999"
    assert mf.expiry_date == CalendarDate(year=2035, month=1, day=1)
    assert mf.card_identification_number_text == "VIRTUALCARD00001"
    assert mf.expiry == DataObject.READ(value=b"20350101")
    record = virtual.session.read_common_record()
    assert record.serial_number == "900000000000001"
    assert record.prefecture_code == 13
    assert record.expiry == CalendarDate(year=2035, month=1, day=1)
    assert len(record.raw) == 30
    assert virtual.session.common_pin_status() == SecretStatus.REMAINING(tries=3)
    assert virtual.session.juki_pin_status() == SecretStatus.REMAINING(tries=3)
    # 3 GET DATA; SELECT AP + READ RECORD (by short file identifier); the empty VERIFY;
    # SELECT AP + the empty VERIFY.
    assert virtual.card.apdu_count() == 3 + 2 + 1 + 2
    # With an application selected the objects are not available.
    again = virtual.session.read_master_file_data()
    assert again.municipality_code == DataObject.NOT_AVAILABLE(status=0x6A88)
    assert again.municipality is None


def test_token_info_in_both_sizes(setup):
    plastic = setup(token_record=True)
    info = plastic.session.token_info()
    assert info.kind == CardKind.MY_NUMBER_CARD()
    assert info.label == "JPKIAPICCTOKEN2"
    assert len(info.raw) == 160
    assert info.manufacturer_id == "VIRTUAL CARD"
    android = setup(android_credential=True).session.token_info()
    assert android.kind == CardKind.ANDROID_CREDENTIAL()
    assert len(android.raw) == 32
    assert android.manufacturer_id is None


def test_a_card_without_a_signature_certificate(setup):
    under_15 = setup(without_signature_certificate=True)
    availability = under_15.session.certificate_availability()
    assert availability.sign == CertificatePresence.ABSENT()
    assert availability.auth == CertificatePresence.PRESENT()
    assert availability.raw == bytes([0x00, 0x8F, 0x00])
    with pytest.raises(CardError.NoSignatureCertificate):
        under_15.session.verify_and_sign(
            KeyKind.SIGN, b"ABC123", SignInput.MESSAGE(message=b"m"), LastTry.REFUSE
        )
    assert under_15.verifies_sent() == 0
    assert under_15.card.tries_left(SecretKind.SIGN_PIN) == 5
    full = setup().session.certificate_availability()
    assert full.sign == CertificatePresence.PRESENT()


def test_the_android_credential_needs_the_pin_for_its_certificate(setup):
    android = setup(android_credential=True)
    with pytest.raises(CardError.AuthCertificateNeedsPin):
        android.session.read_certificate(CertificateKind.AUTH, None, LastTry.REFUSE)
    with pytest.raises(CardError.AuthCertificateNeedsPin):
        android.session.eligibility_check_visual(None)
    evidence = android.session.eligibility_check_pin(b"1234", b"nonce", LastTry.REFUSE)
    assert evidence.certificate.der == android.card.certificate_der(CertificateKind.AUTH)
    assert evidence.signature is not None
    assert android.verifies_sent() == 1
