package io.toks.engine.gguf;

import io.toks.engine.format.ModelFormatException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * A parsed GGUF file: its metadata key-values, its tensor directory, and the whole file as a
 * memory segment (mapped, so tensors are read in place without copying).
 * Metadata values are Java objects: integers of all widths as Long (unsigned 64-bit values that
 * do not fit stay negative), floats as Double, bool as Boolean, string as String, arrays as
 * List of those (or typed primitive arrays for long numeric arrays, see {@link GgufReader}).
 */
public record GgufFile(String source, int version, Map<String, Object> metadata,
                       Map<String, GgufTensorInfo> tensors, long alignment, MemorySegment data) {

    public String string(String key) {
        Object v = require(key);
        if (v instanceof String s) return s;
        throw wrongType(key, "string", v);
    }

    public String string(String key, String fallback) {
        return metadata.containsKey(key) ? string(key) : fallback;
    }

    public long integer(String key) {
        Object v = require(key);
        if (v instanceof Long l) return l;
        throw wrongType(key, "integer", v);
    }

    public long integer(String key, long fallback) {
        return metadata.containsKey(key) ? integer(key) : fallback;
    }

    public double real(String key, double fallback) {
        Object v = metadata.get(key);
        if (v == null) return fallback;
        if (v instanceof Double d) return d;
        if (v instanceof Long l) return l;
        throw wrongType(key, "number", v);
    }

    public boolean bool(String key, boolean fallback) {
        Object v = metadata.get(key);
        if (v == null) return fallback;
        if (v instanceof Boolean b) return b;
        throw wrongType(key, "bool", v);
    }

    public Object require(String key) {
        Object v = metadata.get(key);
        if (v == null) throw new ModelFormatException(source + ": metadata key '" + key + "' is missing");
        return v;
    }

    public GgufTensorInfo tensor(String name) {
        GgufTensorInfo t = tensors.get(name);
        if (t == null) throw new ModelFormatException(source + ": tensor '" + name + "' is missing");
        return t;
    }

    public MemorySegment tensorData(GgufTensorInfo t) {
        return data.asSlice(t.offset(), t.byteSize());
    }

    /** String array metadata (e.g. tokenizer.ggml.tokens). */
    public List<?> array(String key) {
        Object v = require(key);
        if (v instanceof List<?> l) return l;
        throw wrongType(key, "array", v);
    }

    private ModelFormatException wrongType(String key, String expected, Object v) {
        return new ModelFormatException(source + ": metadata key '" + key + "' should be " + expected
                + " but is " + v.getClass().getSimpleName());
    }
}
