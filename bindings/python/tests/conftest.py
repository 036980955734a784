"""Shared helpers: a Python transport over the library's virtual card (feature test-card),
as an app's transport would be, with a lost tag on demand."""

import threading
from typing import Callable, Optional

import pytest

from mynumbercard import (
    CardInterface,
    CardTransport,
    MyNumberCard,
    TransportCapabilities,
    TransportError,
    VirtualCard,
    VirtualCardConfig,
)

VERIFY = 0x20
SIGN = 0x2A


def is_verify_with_pin(command: bytes) -> bool:
    return len(command) > 5 and command[1] == VERIFY


def is_sign(command: bytes) -> bool:
    return len(command) > 1 and command[1] == SIGN


class VirtualTransport(CardTransport):
    """A foreign (Python) transport: forwards each APDU to the virtual card unless
    ``lose_when`` says the tag is lost first (the command never reaches the card)."""

    def __init__(self, card: VirtualCard) -> None:
        self.card = card
        self.lose_when: Optional[Callable[[bytes], bool]] = None
        self.forwarded = 0
        self.closed_with: Optional[bool] = None
        self.threads = set()

    def transceive(self, command: bytes) -> bytes:
        self.threads.add(threading.get_ident())
        if self.lose_when is not None and self.lose_when(command):
            raise TransportError.TagLost()
        self.forwarded += 1
        return self.card.transceive(command)

    def capabilities(self) -> TransportCapabilities:
        return TransportCapabilities(
            max_command_len=261,
            max_response_len=258,
            extended_length=False,
            interface=CardInterface.CONTACTLESS,
            exclusive=True,
        )

    def close(self, unpower: bool) -> None:
        self.closed_with = unpower
        self.card.close(unpower)


def config(**fields) -> VirtualCardConfig:
    base = dict(
        auth_pin=None,
        sign_pin=None,
        card_info_pin=None,
        auth_tries_left=None,
        sign_tries_left=None,
        card_info_pin_tries_left=None,
        access_code_a_tries_left=None,
        access_code_b_tries_left=None,
        ecdsa_p384=None,
    )
    base.update(fields)
    return VirtualCardConfig(**base)


class Setup:
    def __init__(self, **fields) -> None:
        self.card = VirtualCard.with_config(config(**fields))
        self.transport = VirtualTransport(self.card)
        self.session = MyNumberCard(self.transport)

    def verifies_sent(self) -> int:
        return sum(1 for c in self.card.apdu_log() if is_verify_with_pin(c))


@pytest.fixture
def setup():
    return Setup


@pytest.fixture
def virtual():
    return Setup()
