package android.nfc;

import android.app.Activity;
import android.content.Context;
import android.os.Bundle;

/**
 * Stub of android.nfc.NfcAdapter: reader mode (API level 19), the flags and the extra with
 * Android's values. The stub records what reader mode was enabled with.
 */
public final class NfcAdapter {
    public static final int FLAG_READER_NFC_A = 0x1;
    public static final int FLAG_READER_NFC_B = 0x2;
    public static final int FLAG_READER_NFC_F = 0x4;
    public static final int FLAG_READER_NFC_V = 0x8;
    public static final int FLAG_READER_NFC_BARCODE = 0x10;
    public static final int FLAG_READER_SKIP_NDEF_CHECK = 0x80;
    public static final int FLAG_READER_NO_PLATFORM_SOUNDS = 0x100;
    public static final String EXTRA_READER_PRESENCE_CHECK_DELAY = "presence";

    public interface ReaderCallback {
        void onTagDiscovered(Tag tag);
    }

    private static final NfcAdapter DEFAULT = new NfcAdapter();

    private ReaderCallback callback;
    private int flags;
    private Bundle extras;

    private NfcAdapter() {
    }

    public static NfcAdapter getDefaultAdapter(Context context) {
        return DEFAULT;
    }

    public boolean isEnabled() {
        return true;
    }

    public void enableReaderMode(Activity activity, ReaderCallback callback, int flags, Bundle extras) {
        this.callback = callback;
        this.flags = flags;
        this.extras = extras;
    }

    public void disableReaderMode(Activity activity) {
        this.callback = null;
        this.flags = 0;
        this.extras = null;
    }

    /** Test hook, not in Android: the flags reader mode was enabled with. */
    public int stubFlags() {
        return flags;
    }

    /** Test hook, not in Android: the extras reader mode was enabled with. */
    public Bundle stubExtras() {
        return extras;
    }

    /** Test hook, not in Android: a tag enters the field. */
    public void stubDiscover(Tag tag) {
        if (callback != null) {
            callback.onTagDiscovered(tag);
        }
    }
}
