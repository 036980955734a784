package mynumbercard.android

import android.nfc.TagLostException
import android.nfc.tech.IsoDep
import java.io.IOException
import mynumbercard.CardInterface
import mynumbercard.CardTransport
import mynumbercard.TransportCapabilities
import mynumbercard.TransportException

/**
 * The My Number Card over Android NFC ([IsoDep], ISO 14443-4 Type B).
 *
 * It moves APDUs and nothing else; the library interprets status words and keeps the lockout
 * guard. Every call of the card object blocks, and so does [transceive]: use it from a worker
 * thread (the reader-mode callback's binder thread, or your own executor), never from the
 * main thread.
 *
 * - The card signs in about half a second or more (its frame waiting time can reach
 *   seconds), longer than Android's default IsoDep timeout: around COMPUTE DIGITAL SIGNATURE
 *   (`INS 2A`) the timeout is raised to at least [signTimeoutMillis] (5 s) and restored after.
 * - [TagLostException] (the card left the field) becomes `TransportException.TagLost`, which
 *   the library reports as `CardException.CardRemoved`; a command lost before it reached the
 *   card (a VERIFY among them) spends no try.
 * - Capabilities come from `getMaxTransceiveLength()` and `isExtendedLengthApduSupported()`.
 */
class IsoDepTransport(
    private val isoDep: IsoDep,
    private val signTimeoutMillis: Int = SIGN_TIMEOUT_MILLIS,
) : CardTransport {
    init {
        if (!isoDep.isConnected) {
            try {
                isoDep.connect()
            } catch (e: TagLostException) {
                throw TransportException.TagLost()
            } catch (e: IOException) {
                throw TransportException.Other("IsoDep.connect: ${e.javaClass.simpleName}")
            }
        }
    }

    override fun transceive(command: ByteArray): ByteArray {
        val signing = command.size >= 2 && command[1] == INS_COMPUTE_DIGITAL_SIGNATURE
        val previous = isoDep.timeout
        if (signing && previous < signTimeoutMillis) {
            isoDep.timeout = signTimeoutMillis
        }
        try {
            return isoDep.transceive(command)
        } catch (e: TagLostException) {
            throw TransportException.TagLost()
        } catch (e: IOException) {
            // Android reports a timeout as a plain IOException; its message names no APDU.
            throw TransportException.Other("IsoDep.transceive: ${e.message ?: e.javaClass.simpleName}")
        } finally {
            if (signing && isoDep.timeout != previous) {
                isoDep.timeout = previous
            }
        }
    }

    override fun capabilities(): TransportCapabilities {
        val extended = isoDep.isExtendedLengthApduSupported
        return TransportCapabilities(
            maxCommandLen = isoDep.maxTransceiveLength.coerceAtLeast(0).toUInt(),
            maxResponseLen = if (extended) 65_538u else 258u,
            extendedLength = extended,
            `interface` = CardInterface.CONTACTLESS,
            // Reader mode gives the card to this app alone.
            exclusive = true,
        )
    }

    /**
     * Closes the IsoDep connection. Android cannot unpower one card on its own; to clear a
     * verified PIN the app leaves reader mode ([MyNumberCardReader.disable]), which turns the
     * field off, or the holder takes the card away.
     */
    override fun close(unpower: Boolean) {
        try {
            isoDep.close()
        } catch (e: IOException) {
            throw TransportException.Other("IsoDep.close: ${e.javaClass.simpleName}")
        }
    }

    companion object {
        /** The timeout around signing, in milliseconds: at least 5 s. */
        const val SIGN_TIMEOUT_MILLIS: Int = 5_000

        private const val INS_COMPUTE_DIGITAL_SIGNATURE: Byte = 0x2A
    }
}
