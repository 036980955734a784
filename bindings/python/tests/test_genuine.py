"""The genuineness check, the age record and visual mode's verdict from Python, against the
virtual card through a Python transport: a genuine card proven only with test keys accepted,
a replaced photo and a clone caught by name, the birth-date key behind the guard."""

import pytest

from mynumbercard import (
    CalendarDate,
    CardError,
    GenuineOpener,
    Hierarchy,
    LastTry,
    NotProvenReason,
    SecretName,
    VirtualCard,
    VirtualCardConfig,
    age_on,
    birth_date_key,
    is_at_least,
)
from conftest import VirtualTransport

from mynumbercard import MyNumberCard


def session(config=None):
    card = VirtualCard.with_config(config) if config else VirtualCard()
    return card, MyNumberCard(VirtualTransport(card))


def test_the_virtual_card_is_genuine_only_with_test_keys_accepted():
    _, card = session()
    verdict = card.check_genuine(
        GenuineOpener.BIRTH_DATE, bytearray(b"020101"), True, b"challenge", False, LastTry.REFUSE
    )
    assert verdict.genuine, verdict.summary
    assert verdict.hierarchy == Hierarchy.TEST
    assert verdict.ca_key_id == "9000023/001"
    assert verdict.challenge_bytes == b"challenge"
    assert verdict.age_record.birth_date == CalendarDate(year=1990, month=1, day=1)

    production = card.check_genuine(
        GenuineOpener.BIRTH_DATE, bytearray(b"020101"), False, None, False, LastTry.REFUSE
    )
    assert not production.genuine
    assert production.first_failure == NotProvenReason.TEST_HIERARCHY_NOT_ACCEPTED
    assert not production.certificate.proven
    assert production.record.proven and production.challenge.proven


def test_a_replaced_photo_and_a_clone_are_caught():
    _, card = session(VirtualCardConfig(photo_replaced_after_signing=True))
    face = card.check_genuine(
        GenuineOpener.ACCESS_CODE_B, bytearray(b"02010120351234"), True, None, False, LastTry.REFUSE
    )
    assert face.first_failure == NotProvenReason.BAD_RECORD_SIGNATURE
    assert face.card_face is not None

    _, card = session(VirtualCardConfig(cloned=True))
    clone = card.check_genuine(
        GenuineOpener.BIRTH_DATE, bytearray(b"020101"), True, None, False, LastTry.REFUSE
    )
    assert clone.first_failure == NotProvenReason.WRONG_CHALLENGE_ANSWER
    assert clone.challenge.reason == NotProvenReason.WRONG_CHALLENGE_ANSWER


def test_visual_mode_carries_the_verdict():
    _, card = session()
    evidence = card.eligibility_check_visual_genuine(
        GenuineOpener.ACCESS_CODE_B, bytearray(b"02010120351234"), True, LastTry.REFUSE
    )
    assert evidence.genuineness.genuine
    assert evidence.card_face is not None
    assert card.eligibility_check_visual(None).genuineness is None


def test_the_birth_date_key_is_checked_and_guarded():
    virtual, card = session()
    with pytest.raises(CardError.InvalidFormat):
        card.check_genuine(
            GenuineOpener.BIRTH_DATE, bytearray(b"021301"), True, None, False, LastTry.REFUSE
        )
    assert virtual.apdu_count() == 0, "refused before anything is sent"
    with pytest.raises(CardError.WrongAccessCode) as wrong:
        card.check_genuine(
            GenuineOpener.BIRTH_DATE, bytearray(b"020102"), True, None, False, LastTry.REFUSE
        )
    assert wrong.value.secret == SecretName.BIRTH_DATE_KEY
    assert wrong.value.tries_left == 2
    assert virtual.birth_date_key_tries_left() == 2
    assert birth_date_key(CalendarDate(year=1990, month=1, day=1)) == b"020101"


def test_ages_as_japanese_law_counts_them():
    leap = CalendarDate(year=2004, month=2, day=29)
    assert age_on(leap, CalendarDate(year=2022, month=2, day=28)) == 17
    assert age_on(leap, CalendarDate(year=2022, month=3, day=1)) == 18
    assert is_at_least(leap, 18, CalendarDate(year=2022, month=3, day=1))
    assert not is_at_least(leap, 18, CalendarDate(year=2022, month=2, day=28))
    assert age_on(leap, CalendarDate(year=2000, month=1, day=1)) is None
