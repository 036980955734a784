package android.nfc.tech;

import android.nfc.Tag;
import android.nfc.TagLostException;
import java.io.IOException;

/**
 * Stub of android.nfc.tech.IsoDep with Android's public signatures (API level 10 to 36),
 * behaving as documented: transceive needs connect, the timeout is in milliseconds, a card
 * that left the field raises {@link TagLostException}. It talks to the tag's test backend.
 */
public final class IsoDep implements TagTechnology {
    private final Tag tag;
    private boolean connected;
    private int timeout = 1000; // some default, in ms (the platform's varies by device)
    private int connects;

    private IsoDep(Tag tag) {
        this.tag = tag;
    }

    public static IsoDep get(Tag tag) {
        for (String tech : tag.getTechList()) {
            if (tech.equals("android.nfc.tech.IsoDep")) {
                return new IsoDep(tag);
            }
        }
        return null;
    }

    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    public int getTimeout() {
        return timeout;
    }

    public byte[] getHistoricalBytes() {
        return null;
    }

    public byte[] getHiLayerResponse() {
        return new byte[0];
    }

    public byte[] transceive(byte[] data) throws IOException {
        if (!connected) {
            throw new IllegalStateException("Call connect() first!");
        }
        return tag.stubBackend().transceive(data, timeout);
    }

    public int getMaxTransceiveLength() {
        return tag.stubBackend().maxTransceiveLength();
    }

    public boolean isExtendedLengthApduSupported() {
        return tag.stubBackend().extendedLengthApduSupported();
    }

    @Override
    public Tag getTag() {
        return tag;
    }

    @Override
    public void connect() throws IOException {
        connected = true;
        connects++;
    }

    @Override
    public void close() throws IOException {
        connected = false;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    /** Test hook, not in Android: how often connect() was called. */
    public int stubConnects() {
        return connects;
    }
}
