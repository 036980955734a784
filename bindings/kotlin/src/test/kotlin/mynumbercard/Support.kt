package mynumbercard

import java.io.ByteArrayInputStream
import java.security.PublicKey
import java.security.Signature
import java.security.cert.CertificateFactory
import java.util.Collections

/**
 * A foreign (Kotlin) transport over the library's virtual card: forwards every APDU unless
 * [loseWhen] says the tag is lost first (the command never reaches the card), and records
 * the threads it ran on.
 */
class VirtualCardTransport(val card: VirtualCard) : CardTransport {
    @Volatile
    var loseWhen: ((ByteArray) -> Boolean)? = null

    @Volatile
    var closedWith: Boolean? = null

    val threads: MutableSet<Long> = Collections.synchronizedSet(HashSet())

    override fun transceive(command: ByteArray): ByteArray {
        threads.add(Thread.currentThread().id)
        if (loseWhen?.invoke(command) == true) {
            throw TransportException.TagLost()
        }
        return card.transceive(command)
    }

    override fun capabilities() = TransportCapabilities(
        maxCommandLen = 261u,
        maxResponseLen = 258u,
        extendedLength = false,
        `interface` = CardInterface.CONTACTLESS,
        exclusive = true,
    )

    override fun close(unpower: Boolean) {
        closedWith = unpower
        card.close(unpower)
    }
}

fun isVerifyWithPin(command: ByteArray) = command.size > 5 && command[1] == 0x20.toByte()

fun isSign(command: ByteArray) = command.size > 1 && command[1] == 0x2A.toByte()

fun VirtualCard.verifiesSent() = apduLog().count(::isVerifyWithPin)

fun config(
    authTriesLeft: UByte? = null,
    signTriesLeft: UByte? = null,
) = VirtualCardConfig(
    authPin = null,
    signPin = null,
    cardInfoPin = null,
    authTriesLeft = authTriesLeft,
    signTriesLeft = signTriesLeft,
    cardInfoPinTriesLeft = null,
    accessCodeATriesLeft = null,
    accessCodeBTriesLeft = null,
)

class Setup(config: VirtualCardConfig = config()) {
    val card: VirtualCard = VirtualCard.withConfig(config)
    val transport = VirtualCardTransport(card)
    val session = MyNumberCard(transport)
}

fun publicKey(der: ByteArray): PublicKey =
    CertificateFactory.getInstance("X.509").generateCertificate(ByteArrayInputStream(der)).publicKey

fun verifies(der: ByteArray, algorithm: String, message: ByteArray, signature: ByteArray): Boolean =
    Signature.getInstance(algorithm).run {
        initVerify(publicKey(der))
        update(message)
        verify(signature)
    }

fun message(bytes: ByteArray = "m".toByteArray()) = SignInput.Message(bytes)

fun pin(text: String) = text.toByteArray(Charsets.US_ASCII)
