"""A PC/SC transport over pyscard (``pip install pyscard``), Python's usual PC/SC library,
through its thin ``smartcard.scard`` layer (SCardConnect, SCardTransmit, SCardDisconnect).

It moves APDUs and nothing else: the library interprets status words, follows ``61xx``,
bounds every length and keeps the lockout guard.

    from mynumbercard import MyNumberCard
    from mynumbercard.pcsc import PyscardTransport

    card = MyNumberCard(PyscardTransport("Virtual PCD 00 00"))
"""

from __future__ import annotations

from typing import List, Optional

from smartcard import scard

from .mynumbercard_ffi import (
    CardInterface,
    CardTransport,
    TransportCapabilities,
    TransportError,
)

_REMOVED = (scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_UNPOWERED_CARD)


def _same(a: int, b: int) -> bool:
    # pyscard gives HRESULTs signed or unsigned depending on the platform.
    return (a & 0xFFFFFFFF) == (b & 0xFFFFFFFF)


def _failure(what: str, hresult: int) -> TransportError:
    if any(_same(hresult, removed) for removed in _REMOVED):
        return TransportError.TagLost()
    if _same(hresult, scard.SCARD_E_TIMEOUT):
        return TransportError.Timeout()
    # The PC/SC error's name only, never an APDU.
    return TransportError.Other(f"{what}: {scard.SCardGetErrorMessage(hresult)}")


def reader_names() -> List[str]:
    """The PC/SC readers present."""
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        raise _failure("SCardEstablishContext", hresult)
    try:
        hresult, names = scard.SCardListReaders(context, [])
        if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
            return []
        if hresult != scard.SCARD_S_SUCCESS:
            raise _failure("SCardListReaders", hresult)
        return list(names)
    finally:
        scard.SCardReleaseContext(context)


class PyscardTransport(CardTransport):
    """A card in a PC/SC reader.

    ``reader``: the reader's name, or ``None`` for the first reader holding a card.
    ``exclusive``: connect with ``SCARD_SHARE_EXCLUSIVE`` (the default), so that no other
    application can send a command between a VERIFY and the signature it unlocks.
    ``contactless``: whether the reader reaches the card over NFC (only what is reported).
    """

    def __init__(self, reader: Optional[str] = None, exclusive: bool = True, contactless: bool = False) -> None:
        self._exclusive = exclusive
        self._contactless = contactless
        hresult, self._context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            raise _failure("SCardEstablishContext", hresult)
        self._card = None
        try:
            self._connect(reader)
        except BaseException:
            scard.SCardReleaseContext(self._context)
            raise

    def _connect(self, name: Optional[str]) -> None:
        names = reader_names()
        if name is not None:
            if name not in names:
                raise TransportError.Other(f"no reader named {name!r}")
            names = [name]
        mode = scard.SCARD_SHARE_EXCLUSIVE if self._exclusive else scard.SCARD_SHARE_SHARED
        last = scard.SCARD_E_NO_SMARTCARD
        for candidate in names:
            hresult, card, protocol = scard.SCardConnect(
                self._context, candidate, mode, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
            )
            if hresult == scard.SCARD_S_SUCCESS:
                self._card, self._protocol = card, protocol
                return
            last = hresult
        raise _failure("SCardConnect", last)

    def transceive(self, command: bytes) -> bytes:
        if self._card is None:
            raise TransportError.Other("disconnected")
        hresult, response = scard.SCardTransmit(self._card, self._protocol, list(command))
        if hresult != scard.SCARD_S_SUCCESS:
            raise _failure("SCardTransmit", hresult)
        return bytes(response)

    def capabilities(self) -> TransportCapabilities:
        return TransportCapabilities(
            max_command_len=261,
            max_response_len=258,
            extended_length=False,
            interface=CardInterface.CONTACTLESS if self._contactless else CardInterface.CONTACT,
            exclusive=self._exclusive,
        )

    def close(self, unpower: bool) -> None:
        """SCardDisconnect with SCARD_UNPOWER_CARD after a verified PIN (a reset does not
        clear it), SCARD_LEAVE_CARD otherwise."""
        card, self._card = self._card, None
        try:
            if card is not None:
                disposition = scard.SCARD_UNPOWER_CARD if unpower else scard.SCARD_LEAVE_CARD
                hresult = scard.SCardDisconnect(card, disposition)
                if hresult != scard.SCARD_S_SUCCESS:
                    raise _failure("SCardDisconnect", hresult)
        finally:
            scard.SCardReleaseContext(self._context)
