package android.nfc;

import java.io.IOException;

/** Stub of android.nfc.TagLostException, same signatures (API level 10). */
public class TagLostException extends IOException {
    public TagLostException() {
    }

    public TagLostException(String message) {
        super(message);
    }
}
