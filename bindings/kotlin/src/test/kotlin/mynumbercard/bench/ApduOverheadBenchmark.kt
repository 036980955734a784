package mynumbercard.bench

import mynumbercard.CardInterface
import mynumbercard.CardTransport
import mynumbercard.MyNumberCard
import mynumbercard.SecretKind
import mynumbercard.TransportCapabilities
import mynumbercard.VirtualCard
import mynumbercard.VirtualCardTransport

/**
 * What one APDU costs through the foreign transport from Kotlin, against the card object
 * over the virtual card on the Rust side (no callback). Not a test: a loop with a warm-up,
 * outside the suite (`-Drust.profile=release test-compile exec:exec@benchmark`).
 *
 * Paths, each timing the same call from Kotlin:
 * - `rust card`: `MyNumberCard.overVirtualCard`, the virtual card answers in Rust;
 * - `kotlin replay`: a Kotlin transport answering from the recorded responses (the cost of
 *   the callback itself: Rust calls Kotlin for every APDU);
 * - `kotlin -> rust card`: a Kotlin transport forwarding to the virtual card (callback, then a
 *   call back into Rust, as the tests do).
 */
object ApduOverheadBenchmark {
    /** Forwards to the virtual card while recording, then replays the recording in a loop. */
    class ReplayTransport(private val card: VirtualCard) : CardTransport {
        private val script = ArrayList<Pair<ByteArray, ByteArray>>()
        private var next = 0
        var recording = true
            set(value) {
                field = value
                next = 0
            }

        fun clear() = script.clear()

        override fun transceive(command: ByteArray): ByteArray {
            if (recording) {
                return card.transceive(command).also { script += command to it }
            }
            val (expected, response) = script[next]
            next = (next + 1) % script.size
            check(expected.contentEquals(command)) { "the call sent other commands than recorded" }
            return response
        }

        override fun capabilities() = TransportCapabilities(261u, 258u, false, CardInterface.CONTACT, true)

        override fun close(unpower: Boolean) {}
    }

    private class Op(val name: String, val iterations: Int, val call: (MyNumberCard) -> Unit)

    private fun nanosPerCall(session: MyNumberCard, op: Op): Double {
        val rounds = (0 until 11).map {
            val start = System.nanoTime()
            repeat(op.iterations) { op.call(session) }
            (System.nanoTime() - start).toDouble() / op.iterations
        }
        return rounds.drop(2).sorted()[4] // median of the last nine
    }

    @JvmStatic
    fun main(args: Array<String>) {
        val card = VirtualCard()
        val empty = Op("VirtualCard.isPowered()", 5_000) { card.isPowered() }
        val session = MyNumberCard.overVirtualCard(card)
        nanosPerCall(session, empty)
        println("A call from Kotlin into Rust that does nothing (`VirtualCard.isPowered()`): %.0f ns".format(nanosPerCall(session, empty)))
        println()
        val ops = listOf(
            Op("secretStatus(AUTH_PIN)", 2_000) { it.secretStatus(SecretKind.AUTH_PIN) },
            Op("secretStatuses()", 200) { it.secretStatuses() },
        )
        println("| call | APDUs | rust card (ns/call) | kotlin replay (ns/call) | kotlin -> rust card (ns/call) | foreign transport per APDU (ns) |")
        println("|---|---:|---:|---:|---:|---:|")
        for (op in ops) {
            val rust = MyNumberCard.overVirtualCard(VirtualCard())
            repeat(3) { op.call(rust) } // steady state: the applications selected as in the loop
            val before = rust.apdusSent()
            op.call(rust)
            val apdus = (rust.apdusSent() - before).toInt()

            val replay = ReplayTransport(VirtualCard())
            val replayed = MyNumberCard(replay)
            repeat(2) { op.call(replayed) }
            replay.clear()
            op.call(replayed)
            replay.recording = false

            val forwarded = MyNumberCard(VirtualCardTransport(VirtualCard()))
            repeat(3) { op.call(forwarded) }

            // Warm-up of all three, then the measured rounds.
            for (session in listOf(rust, replayed, forwarded)) nanosPerCall(session, op)
            val tRust = nanosPerCall(rust, op)
            val tReplay = nanosPerCall(replayed, op)
            val tForward = nanosPerCall(forwarded, op)
            println(
                "| `${op.name}` | $apdus | %.0f | %.0f | %.0f | %.0f |".format(
                    tRust, tReplay, tForward, (tReplay - tRust) / apdus,
                ),
            )
        }
    }
}
