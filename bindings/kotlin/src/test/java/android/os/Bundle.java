package android.os;

import java.util.HashMap;
import java.util.Map;

/** Stub of android.os.Bundle: the int values reader mode takes. Not Android. */
public final class Bundle {
    private final Map<String, Integer> ints = new HashMap<>();

    public Bundle() {
    }

    public void putInt(String key, int value) {
        ints.put(key, value);
    }

    public int getInt(String key) {
        Integer value = ints.get(key);
        return value == null ? 0 : value;
    }
}
