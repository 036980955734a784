"""Signatures by the key's algorithm (RSA-2048, ECDSA P-384) and signed documents (detached
CMS) through the Python API, over the virtual card in process."""

import datetime

import pytest

from mynumbercard import (
    CertificateKind,
    DigestAlgorithm,
    DocumentError,
    KeyAlgorithm,
    KeyKind,
    LastTry,
    verify_document,
)
from conftest import is_sign

WHEN = datetime.datetime(2026, 3, 1, tzinfo=datetime.timezone.utc)
DOCUMENT = "契約書: the parties agree.\n".encode()


@pytest.mark.parametrize(
    "ecdsa, algorithm, raw_len",
    [(False, KeyAlgorithm.RSA(bits=2048), 256), (True, KeyAlgorithm.ECDSA_P384(), 96)],
)
def test_sign_message_follows_the_key(setup, ecdsa, algorithm, raw_len):
    card = setup(ecdsa_p384=ecdsa)
    signature = card.session.sign_message(
        KeyKind.SIGN, bytearray(b"ABC123"), b"message", LastTry.REFUSE
    )
    assert signature.algorithm == algorithm
    assert len(signature.raw) == raw_len
    # DER for ECDSA (a SEQUENCE), the plain signature for RSA.
    assert (signature.der == signature.raw) != ecdsa
    assert signature.certificate == card.card.certificate_der(CertificateKind.SIGN)
    signs = [c for c in card.card.apdu_log() if is_sign(c)]
    assert len(signs) == 1
    # The card got a DigestInfo (RSA, 51 bytes) or the bare SHA-384 (ECDSA, 48 bytes).
    assert signs[0][4] == (48 if ecdsa else 51)
    assert card.verifies_sent() == 1


@pytest.mark.parametrize(
    "ecdsa, algorithm, digest",
    [
        (False, KeyAlgorithm.RSA(bits=2048), DigestAlgorithm.SHA256),
        (True, KeyAlgorithm.ECDSA_P384(), DigestAlgorithm.SHA384),
    ],
)
def test_a_signed_document_verifies_and_a_changed_one_fails(setup, ecdsa, algorithm, digest):
    card = setup(ecdsa_p384=ecdsa)
    p7s = card.session.sign_document(bytearray(b"ABC123"), DOCUMENT, WHEN, LastTry.REFUSE)
    root = card.card.certificate_der(CertificateKind.SIGN_CA)
    verified = verify_document(p7s, DOCUMENT, False, [root], WHEN)
    assert verified.key_algorithm == algorithm
    assert verified.digest_algorithm == digest
    assert verified.signing_time == WHEN
    assert verified.signer.kind == CertificateKind.SIGN
    assert verified.signing_certificate_bound
    assert verified.root_generation is None and not verified.test_root
    changed = bytearray(DOCUMENT)
    changed[-1] ^= 1
    with pytest.raises(DocumentError.DigestMismatch):
        verify_document(p7s, bytes(changed), False, [root], WHEN)
    # Without the virtual root, the J-LIS roots do not know the virtual card.
    with pytest.raises(DocumentError.Untrusted):
        verify_document(p7s, DOCUMENT, True, [], WHEN)


def test_the_eligibility_check_reports_the_p384_key(setup):
    card = setup(ecdsa_p384=True)
    evidence = card.session.eligibility_check_pin(bytearray(b"1234"), b"nonce", LastTry.REFUSE)
    assert evidence.key_algorithm == KeyAlgorithm.ECDSA_P384()
    assert evidence.signature[0] == 0x30  # DER
