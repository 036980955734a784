"""The pyscard transport against the virtual card served to pcscd by the crate's virtual
reader (a second, independent PC/SC stack under the library):

    scripts/with-virtual-reader.sh env MYNUMBERCARD_PCSC=1 \\
        target/python-venv/bin/python -m pytest bindings/python/tests

Skipped unless MYNUMBERCARD_PCSC=1 (CI sets it). The served card keeps its state for the
whole run, so these tests only ever give the right PINs.
"""

import os

import pytest

from mynumbercard import (
    CardKind,
    CertificateKind,
    KeyKind,
    LastTry,
    MyNumberCard,
    SecretStatus,
    SignInput,
    VirtualCard,
)

pytestmark = pytest.mark.skipif(
    os.environ.get("MYNUMBERCARD_PCSC") != "1",
    reason="needs pcscd with the virtual reader (MYNUMBERCARD_PCSC=1, scripts/with-virtual-reader.sh)",
)

READER = os.environ.get("MYNUMBERCARD_TEST_READER", "Virtual PCD 00 00")


@pytest.fixture
def session():
    from mynumbercard.pcsc import PyscardTransport

    transport = PyscardTransport(READER)
    card = MyNumberCard(transport)
    yield card
    card.end_session()


def test_identify_and_read_certificates(session):
    assert session.identify() == CardKind.MY_NUMBER_CARD()
    reference = VirtualCard()
    for kind in (CertificateKind.AUTH, CertificateKind.AUTH_CA, CertificateKind.SIGN_CA):
        certificate = session.read_certificate(kind, None, LastTry.REFUSE)
        assert certificate.der == reference.certificate_der(kind)
    sign = session.read_certificate(CertificateKind.SIGN, bytearray(b"ABC123"), LastTry.REFUSE)
    assert sign.holder.name == "仮想　太郎"


def test_statuses_spend_no_try(session):
    statuses = session.secret_statuses()
    assert statuses.auth_pin == SecretStatus.REMAINING(tries=3)
    assert statuses.sign_pin == SecretStatus.REMAINING(tries=5)


def test_sign_through_pcscd_equals_the_rust_only_signature(session):
    data = SignInput.MESSAGE(message=b"signed through pcscd")
    pin = bytearray(b"1234")
    signature = session.verify_and_sign(KeyKind.AUTH, pin, data, LastTry.REFUSE)
    pin[:] = bytes(len(pin))
    reference = MyNumberCard.over_virtual_card(VirtualCard())
    assert signature == reference.verify_and_sign(KeyKind.AUTH, b"1234", data, LastTry.REFUSE)


def test_eligibility_check_pin_mode(session):
    # The library checks the card's signature against the certificate it read.
    evidence = session.eligibility_check_pin(b"1234", b"nonce over pcscd", LastTry.REFUSE)
    assert evidence.certificate.kind == CertificateKind.AUTH
    assert len(evidence.signature) == 256
