package android.nfc;

/**
 * Stub of android.nfc.Tag with Android's public methods ({@code getId}, {@code getTechList}).
 * On Android the system makes tags; here the tests make one over a {@link StubBackend} (the
 * one addition, absent from Android), which the stub IsoDep talks to.
 */
public final class Tag {
    /** Test hook, not in Android: what the card in the field answers. */
    public interface StubBackend {
        /** One ISO-DEP exchange; throws TagLostException when the card leaves. */
        byte[] transceive(byte[] command, int timeoutMillis) throws java.io.IOException;

        /** The most bytes a transceive may carry. */
        int maxTransceiveLength();

        /** Whether extended-length APDUs pass. */
        boolean extendedLengthApduSupported();
    }

    private final byte[] id;
    private final StubBackend backend;

    /** Test hook, not in Android. */
    public Tag(byte[] id, StubBackend backend) {
        this.id = id.clone();
        this.backend = backend;
    }

    public byte[] getId() {
        return id.clone();
    }

    public String[] getTechList() {
        return new String[] {"android.nfc.tech.IsoDep", "android.nfc.tech.NfcB"};
    }

    /** Test hook, not in Android. */
    public StubBackend stubBackend() {
        return backend;
    }
}
