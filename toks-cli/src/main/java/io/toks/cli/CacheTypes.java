package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.core.estimate.KvCacheType;

/** The {@code --cache-type} flag's values: how the engine's KV cache stores keys and values. */
final class CacheTypes {

    /** The flag's help text, shared by every command that takes it. */
    static final String DESCRIPTION = "KV cache element type: f32, f16 or q8_0 (llama.cpp's -ctk/-ctv). Default: f16, as llama.cpp.";

    private CacheTypes() {}

    /** The type named, the engine's default when null; a one-line error naming the flag otherwise. */
    static KvCacheType parse(String name) {
        if (name == null) return io.toks.engine.model.InferenceSession.DEFAULT_CACHE;
        try {
            return KvCacheType.ofKey(name);
        } catch (IllegalArgumentException e) {
            throw new ToksException("--cache-type: " + e.getMessage());
        }
    }
}
