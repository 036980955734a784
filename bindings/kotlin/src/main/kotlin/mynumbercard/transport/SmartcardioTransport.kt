package mynumbercard.transport

import java.util.concurrent.ExecutionException
import java.util.concurrent.Executors
import java.util.concurrent.ThreadFactory
import javax.smartcardio.Card
import javax.smartcardio.CardException
import javax.smartcardio.CardTerminal
import javax.smartcardio.CommandAPDU
import javax.smartcardio.TerminalFactory
import mynumbercard.CardInterface
import mynumbercard.CardTransport
import mynumbercard.TransportCapabilities
import mynumbercard.TransportException

/**
 * A card in a PC/SC reader through the JDK's own PC/SC provider, `javax.smartcardio`.
 *
 * The JDK ties exclusive access (`Card.beginExclusive`, a PC/SC transaction) to the thread
 * that took it, while the card object may be called from any thread; so the transport owns one
 * thread that connects, holds exclusive access for the whole session, sends every APDU and
 * disconnects. Nothing else can reach the card between a VERIFY and the signature it unlocks.
 *
 * Set these before the JDK's provider loads (the Maven build does, for the tests), so the
 * JDK hands the library each response as the card sent it and the library follows `61xx`
 * and `6Cxx` itself, within its bounds:
 * `-Dsun.security.smartcardio.t0GetResponse=false -Dsun.security.smartcardio.t1GetResponse=false`;
 * on Linux the provider also needs
 * `-Dsun.security.smartcardio.library=/usr/lib/x86_64-linux-gnu/libpcsclite.so.1`.
 *
 * `javax.smartcardio` cannot unpower a card (`Card.disconnect` leaves or resets it): after a
 * verified PIN, [close] resets it, which clears the selection; cards that keep a verified PIN
 * across a reset need the holder to take the card out.
 */
class SmartcardioTransport private constructor(
    private val terminalName: String,
    private val contactless: Boolean,
) : CardTransport {
    private val worker = Executors.newSingleThreadExecutor(ThreadFactory { task ->
        Thread(task, "mynumbercard-smartcardio").apply { isDaemon = true }
    })
    private var card: Card? = null

    private fun <T> onWorker(what: String, task: () -> T): T {
        try {
            return worker.submit<T> { task() }.get()
        } catch (e: ExecutionException) {
            throw when (val cause = e.cause) {
                is TransportException -> cause
                is CardException -> failure(what, cause)
                is IllegalStateException -> TransportException.TagLost()
                else -> TransportException.Other("$what: ${cause?.javaClass?.simpleName}")
            }
        }
    }

    private fun connect(terminal: CardTerminal) = onWorker("connect") {
        val connected = terminal.connect("*")
        connected.beginExclusive()
        card = connected
    }

    override fun transceive(command: ByteArray): ByteArray = onWorker("transmit") {
        val connected = card ?: throw TransportException.Other("disconnected")
        // transmitControlCommand would bypass the protocol; CardChannel.transmit with the
        // GET RESPONSE handling off passes the bytes as they are.
        connected.basicChannel.transmit(CommandAPDU(command)).bytes
    }

    override fun capabilities(): TransportCapabilities = TransportCapabilities(
        maxCommandLen = 261u,
        maxResponseLen = 258u,
        extendedLength = false,
        `interface` = if (contactless) CardInterface.CONTACTLESS else CardInterface.CONTACT,
        exclusive = true,
    )

    override fun close(unpower: Boolean) {
        try {
            onWorker("disconnect") {
                val connected = card ?: return@onWorker
                card = null
                try {
                    connected.endExclusive()
                } finally {
                    // Reset when a PIN was verified: the closest javax.smartcardio comes to
                    // unpowering.
                    connected.disconnect(unpower)
                }
            }
        } finally {
            worker.shutdown()
        }
    }

    override fun toString(): String = "SmartcardioTransport($terminalName)"

    companion object {
        /**
         * Connects to the card in the reader named [reader], or in the first reader holding a
         * card when it is null.
         */
        @JvmStatic
        @JvmOverloads
        fun connect(reader: String? = null, contactless: Boolean = false): SmartcardioTransport {
            val terminals = try {
                TerminalFactory.getDefault().terminals().list()
            } catch (e: CardException) {
                throw failure("list readers", e)
            }
            val terminal = if (reader != null) {
                terminals.firstOrNull { it.name == reader }
                    ?: throw TransportException.Other("no reader named $reader")
            } else {
                terminals.firstOrNull { runCatching { it.isCardPresent }.getOrDefault(false) }
                    ?: throw TransportException.TagLost()
            }
            val transport = SmartcardioTransport(terminal.name, contactless)
            try {
                transport.connect(terminal)
            } catch (e: TransportException) {
                transport.worker.shutdown()
                throw e
            }
            return transport
        }

        /** The PC/SC error's name (the JDK puts it in the message), never an APDU. */
        private fun failure(what: String, e: CardException): TransportException {
            val text = generateSequence<Throwable>(e) { it.cause }.mapNotNull { it.message }.joinToString(" ")
            return when {
                "SCARD_W_REMOVED_CARD" in text || "SCARD_E_NO_SMARTCARD" in text ||
                    "SCARD_W_UNPOWERED_CARD" in text -> TransportException.TagLost()
                "SCARD_E_TIMEOUT" in text -> TransportException.Timeout()
                else -> TransportException.Other("$what: ${Regex("SCARD_[A-Z_]+").find(text)?.value ?: "PC/SC failure"}")
            }
        }
    }
}
