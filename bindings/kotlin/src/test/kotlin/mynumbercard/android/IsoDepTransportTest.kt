package mynumbercard.android

import android.app.Activity
import android.nfc.NfcAdapter
import android.nfc.Tag
import android.nfc.TagLostException
import android.nfc.tech.IsoDep
import mynumbercard.CardException
import mynumbercard.CardInterface
import mynumbercard.CardKind
import mynumbercard.KeyKind
import mynumbercard.LastTry
import mynumbercard.SecretKind
import mynumbercard.VirtualCard
import mynumbercard.isSign
import mynumbercard.isVerifyWithPin
import mynumbercard.message
import mynumbercard.pin
import mynumbercard.verifiesSent
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * The Android transport, compiled against stubs of android.nfc with Android's signatures and
 * run over the virtual card behind the stub's test backend: the signing timeout, a lost tag,
 * the capabilities, reader mode's flags.
 */
class IsoDepTransportTest {
    class Backend(
        val card: VirtualCard,
        private val maxTransceive: Int = 261,
        private val extended: Boolean = false,
    ) : Tag.StubBackend {
        val timeouts = mutableListOf<Pair<Byte, Int>>()

        @Volatile
        var loseWhen: ((ByteArray) -> Boolean)? = null

        override fun transceive(command: ByteArray, timeoutMillis: Int): ByteArray {
            timeouts += command[1] to timeoutMillis
            if (loseWhen?.invoke(command) == true) throw TagLostException("Tag was lost.")
            return card.transceive(command)
        }

        override fun maxTransceiveLength() = maxTransceive

        override fun extendedLengthApduSupported() = extended
    }

    private fun tag(backend: Backend) = Tag(byteArrayOf(1, 2, 3, 4), backend)

    @Test
    fun signingRunsWithAtLeastFiveSecondsAndTheTimeoutIsRestored() {
        val backend = Backend(VirtualCard())
        val isoDep = IsoDep.get(tag(backend))!!
        val card = mynumbercard.MyNumberCard(IsoDepTransport(isoDep))
        assertTrue(isoDep.isConnected)
        val evidence = card.eligibilityCheckPin(pin("1234"), "challenge".toByteArray(), LastTry.REFUSE)
        assertEquals(256, evidence.signature!!.size)
        val signing = backend.timeouts.filter { it.first == 0x2A.toByte() }
        assertEquals(1, signing.size)
        assertTrue(signing.single().second >= 5_000, "$signing")
        assertTrue(backend.timeouts.filter { it.first != 0x2A.toByte() }.all { it.second == 1_000 })
        assertEquals(1_000, isoDep.timeout, "restored after signing")
        card.endSession()
        assertFalse(isoDep.isConnected)
    }

    @Test
    fun aLongerTimeoutIsKept() {
        val backend = Backend(VirtualCard())
        val isoDep = IsoDep.get(tag(backend))!!
        isoDep.timeout = 8_000
        val card = mynumbercard.MyNumberCard(IsoDepTransport(isoDep))
        card.verifyAndSign(KeyKind.AUTH, pin("1234"), message(), LastTry.REFUSE)
        assertTrue(backend.timeouts.all { it.second == 8_000 })
    }

    @Test
    fun tagLostIsCardRemovedAndCostsNoTry() {
        val backend = Backend(VirtualCard())
        val card = mynumbercard.MyNumberCard(IsoDepTransport(IsoDep.get(tag(backend))!!))
        backend.loseWhen = ::isVerifyWithPin
        assertThrows<CardException.CardRemoved> {
            card.verifyAndSign(KeyKind.AUTH, pin("9999"), message(), LastTry.REFUSE)
        }
        assertEquals(3.toUByte(), backend.card.triesLeft(SecretKind.AUTH_PIN))
        assertEquals(0, backend.card.verifiesSent())
        backend.loseWhen = ::isSign
        assertThrows<CardException.CardRemoved> {
            card.verifyAndSign(KeyKind.AUTH, pin("1234"), message(), LastTry.REFUSE)
        }
        assertEquals(3.toUByte(), backend.card.triesLeft(SecretKind.AUTH_PIN))
    }

    @Test
    fun capabilitiesComeFromIsoDep() {
        val short = IsoDepTransport(IsoDep.get(tag(Backend(VirtualCard(), 261, false)))!!).capabilities()
        assertEquals(261u, short.maxCommandLen)
        assertEquals(258u, short.maxResponseLen)
        assertFalse(short.extendedLength)
        assertEquals(CardInterface.CONTACTLESS, short.`interface`)
        assertTrue(short.exclusive)
        val extended = IsoDepTransport(IsoDep.get(tag(Backend(VirtualCard(), 65_279, true)))!!).capabilities()
        assertEquals(65_279u, extended.maxCommandLen)
        assertTrue(extended.extendedLength)
    }

    @Test
    fun readerModeIsTypeBWithoutNdefCheckOrSounds() {
        val adapter = NfcAdapter.getDefaultAdapter(Activity())
        val found = mutableListOf<CardKind>()
        MyNumberCardReader.enable(adapter, Activity()) { card ->
            found += card.identify()
            card.close()
        }
        assertEquals(0x182, adapter.stubFlags())
        assertEquals(
            NfcAdapter.FLAG_READER_NFC_B or NfcAdapter.FLAG_READER_SKIP_NDEF_CHECK or NfcAdapter.FLAG_READER_NO_PLATFORM_SOUNDS,
            MyNumberCardReader.FLAGS,
        )
        assertEquals(1_000, adapter.stubExtras().getInt(NfcAdapter.EXTRA_READER_PRESENCE_CHECK_DELAY))
        adapter.stubDiscover(tag(Backend(VirtualCard())))
        assertEquals(listOf<CardKind>(CardKind.MyNumberCard), found)
        MyNumberCardReader.disable(adapter, Activity())
        assertEquals(0, adapter.stubFlags())
    }
}
