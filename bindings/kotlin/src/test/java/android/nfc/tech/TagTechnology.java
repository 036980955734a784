package android.nfc.tech;

import android.nfc.Tag;
import java.io.Closeable;
import java.io.IOException;

/** Stub of android.nfc.tech.TagTechnology, same signatures. */
public interface TagTechnology extends Closeable {
    Tag getTag();

    void connect() throws IOException;

    @Override
    void close() throws IOException;

    boolean isConnected();
}
