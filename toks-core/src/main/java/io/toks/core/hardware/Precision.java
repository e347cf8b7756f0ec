package io.toks.core.hardware;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A number format a peak throughput is quoted for; {@code INT8} peaks are operations, the rest FLOPs. */
public enum Precision {
    FP64, FP32, TF32, FP16, BF16, FP8, FP4, INT8;

    /** The name in the catalog and on the command line: {@code bf16}, {@code int8}, ... */
    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The precision named {@code key} (case-insensitive); IllegalArgumentException naming the known ones otherwise. */
    public static Precision ofKey(String key) {
        for (Precision p : values()) if (p.key().equalsIgnoreCase(key.strip())) return p;
        throw new IllegalArgumentException("unknown precision '" + key + "' (known: "
                + String.join(", ", java.util.Arrays.stream(values()).map(Precision::key).toList()) + ")");
    }

    @Override
    public String toString() {
        return key();
    }
}
