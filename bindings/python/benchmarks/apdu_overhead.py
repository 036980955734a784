"""What one APDU costs through the foreign transport from Python, against the card object
over the virtual card on the Rust side (no callback). Not a test: a loop with a warm-up,
outside the suite:

    bindings/generate.sh --release --test-card python
    target/python-venv/bin/python bindings/python/benchmarks/apdu_overhead.py

Paths, each timing the same call from Python:
- rust card: MyNumberCard.over_virtual_card, the virtual card answers in Rust;
- python replay: a Python transport answering from the recorded responses (the cost of the
  callback itself: Rust calls Python for every APDU);
- python -> rust card: a Python transport forwarding to the virtual card (callback, then a
  call back into Rust, as the tests do).
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from mynumbercard import (  # noqa: E402
    CardInterface,
    CardTransport,
    MyNumberCard,
    SecretKind,
    TransportCapabilities,
    VirtualCard,
)

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from conftest import VirtualTransport  # noqa: E402


class ReplayTransport(CardTransport):
    """Forwards to the virtual card while recording, then replays the recording in a loop."""

    def __init__(self, card):
        self.card = card
        self.recording = True
        self.script = []
        self.next = 0

    def transceive(self, command):
        if self.recording:
            response = self.card.transceive(command)
            self.script.append((bytes(command), response))
            return response
        expected, response = self.script[self.next]
        self.next = (self.next + 1) % len(self.script)
        if expected != command:
            raise AssertionError("the call sent other commands than recorded")
        return response

    def capabilities(self):
        return TransportCapabilities(
            max_command_len=261, max_response_len=258, extended_length=False,
            interface=CardInterface.CONTACT, exclusive=True,
        )

    def close(self, unpower):
        pass


def nanos_per_call(call, iterations):
    rounds = []
    for _ in range(11):
        start = time.perf_counter_ns()
        for _ in range(iterations):
            call()
        rounds.append((time.perf_counter_ns() - start) / iterations)
    return sorted(rounds[2:])[4]  # median of the last nine


def main():
    card = VirtualCard()
    print("A call from Python into Rust that does nothing (`VirtualCard.is_powered()`): %.0f ns"
          % nanos_per_call(card.is_powered, 20_000))
    print()
    ops = [
        ("secret_status(AUTH_PIN)", 5_000, lambda s: s.secret_status(SecretKind.AUTH_PIN)),
        ("secret_statuses()", 500, lambda s: s.secret_statuses()),
    ]
    print("| call | APDUs | rust card (ns/call) | python replay (ns/call) | python -> rust card (ns/call) | foreign transport per APDU (ns) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, iterations, op in ops:
        rust = MyNumberCard.over_virtual_card(VirtualCard())
        for _ in range(3):
            op(rust)
        before = rust.apdus_sent()
        op(rust)
        apdus = rust.apdus_sent() - before

        replay = ReplayTransport(VirtualCard())
        replayed = MyNumberCard(replay)
        op(replayed)
        op(replayed)
        replay.script.clear()
        op(replayed)
        replay.recording = False
        replay.next = 0

        forwarded = MyNumberCard(VirtualTransport(VirtualCard()))
        for _ in range(3):
            op(forwarded)

        t_rust = nanos_per_call(lambda: op(rust), iterations)
        t_replay = nanos_per_call(lambda: op(replayed), iterations)
        t_forward = nanos_per_call(lambda: op(forwarded), iterations)
        print("| `%s` | %d | %.0f | %.0f | %.0f | %.0f |"
              % (name, apdus, t_rust, t_replay, t_forward, (t_replay - t_rust) / apdus))


if __name__ == "__main__":
    main()
