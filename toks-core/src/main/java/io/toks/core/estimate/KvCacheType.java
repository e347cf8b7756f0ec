package io.toks.core.estimate;

import java.util.Locale;

/** How a KV cache stores one key or value element (llama.cpp's {@code -ctk/-ctv} types). */
public enum KvCacheType {
    /** Floats as computed: what the toks engine kept before it had a choice. */
    F32(4),
    /** llama.cpp's, most servers' and the toks engine's default. */
    F16(2),
    /** 32 int8 values and one F16 scale per block: 34 bytes per 32 elements. */
    Q8_0(34.0 / 32);

    private final double bytesPerElement;

    KvCacheType(double bytesPerElement) {
        this.bytesPerElement = bytesPerElement;
    }

    public double bytesPerElement() {
        return bytesPerElement;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static KvCacheType ofKey(String key) {
        for (KvCacheType t : values()) if (t.key().equalsIgnoreCase(key.strip())) return t;
        throw new IllegalArgumentException("unknown cache type '" + key + "' (known: f32, f16, q8_0)");
    }
}
