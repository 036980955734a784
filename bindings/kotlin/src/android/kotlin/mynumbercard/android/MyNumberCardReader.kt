package mynumbercard.android

import android.app.Activity
import android.nfc.NfcAdapter
import android.nfc.Tag
import android.nfc.tech.IsoDep
import android.os.Bundle
import mynumbercard.MyNumberCard

/**
 * Reader mode for the My Number Card: ISO 14443 Type B only, no NDEF check (the card has no
 * NDEF; the check would send commands of its own), no platform sounds (the app says when
 * the card may be taken away).
 *
 * ```kotlin
 * MyNumberCardReader.enable(adapter, activity) { card ->
 *     // On the reader-mode callback's binder thread, never the main thread.
 *     val cert = card.readCertificate(CertificateKind.AUTH, null, LastTry.REFUSE)
 *     card.close()
 * }
 * ```
 */
object MyNumberCardReader {
    /** `FLAG_READER_NFC_B | FLAG_READER_SKIP_NDEF_CHECK | FLAG_READER_NO_PLATFORM_SOUNDS`. */
    const val FLAGS: Int = NfcAdapter.FLAG_READER_NFC_B or
        NfcAdapter.FLAG_READER_SKIP_NDEF_CHECK or
        NfcAdapter.FLAG_READER_NO_PLATFORM_SOUNDS

    /** Presence checks no more often than this (ms), so they do not delay a signature. */
    const val PRESENCE_CHECK_DELAY_MILLIS: Int = 1_000

    /**
     * Enables reader mode; [onCard] gets a card object for each card that enters the field,
     * on the callback's binder thread. Tags without IsoDep are ignored.
     */
    fun enable(adapter: NfcAdapter, activity: Activity, onCard: (MyNumberCard) -> Unit) {
        val extras = Bundle()
        extras.putInt(NfcAdapter.EXTRA_READER_PRESENCE_CHECK_DELAY, PRESENCE_CHECK_DELAY_MILLIS)
        adapter.enableReaderMode(activity, NfcAdapter.ReaderCallback { tag -> discovered(tag, onCard) }, FLAGS, extras)
    }

    /** Leaves reader mode (the field goes off: the card is unpowered). */
    fun disable(adapter: NfcAdapter, activity: Activity) {
        adapter.disableReaderMode(activity)
    }

    private fun discovered(tag: Tag, onCard: (MyNumberCard) -> Unit) {
        val isoDep = IsoDep.get(tag) ?: return
        onCard(MyNumberCard(IsoDepTransport(isoDep)))
    }
}
