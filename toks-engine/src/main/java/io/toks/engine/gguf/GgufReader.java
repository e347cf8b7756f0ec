package io.toks.engine.gguf;

import io.toks.engine.format.ModelFormatException;
import io.toks.engine.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses GGUF v2 and v3 (the format of llama.cpp's {@code gguf.md}): magic "GGUF", uint32
 * version, uint64 tensor count, uint64 metadata count, the metadata key-values, the tensor infos,
 * padding to {@code general.alignment} (default 32), then tensor data. All little-endian.
 * Every read is bounds-checked, so a corrupt or truncated file fails with the offset and field
 * that is wrong, never with an index exception or an attempt to allocate a huge array.
 */
public final class GgufReader {

    public static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
    private static final int DEFAULT_ALIGNMENT = 32;
    private static final int MAX_DIMS = 4;

    private final MemorySegment file;
    private final String source;
    private long pos;

    private GgufReader(MemorySegment file, String source) {
        this.file = file;
        this.source = source;
    }

    /** Maps the file read-only and parses it. The mapping lives as long as the returned object is reachable. */
    public static GgufFile read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
            return read(seg, path.toString());
        }
    }

    public static GgufFile read(MemorySegment file, String source) {
        return new GgufReader(file, source).parse();
    }

    /** True when the segment starts with the GGUF magic. */
    public static boolean hasMagic(MemorySegment file) {
        return file.byteSize() >= 4 && file.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0) == MAGIC;
    }

    private GgufFile parse() {
        if (!hasMagic(file)) throw error(0, "magic", "not a GGUF file (no 'GGUF' magic)");
        pos = 4;
        int version = u32("version");
        if (version < 2 || version > 3) {
            throw error(4, "version", "GGUF version " + version + " is not supported (2 and 3 are)");
        }
        long tensorCount = u64("tensor_count");
        long kvCount = u64("metadata_kv_count");
        // Each key-value takes at least 12 bytes and each tensor info at least 24: reject counts
        // the file cannot possibly hold before looping over them.
        checkCount(kvCount, 12, 16, "metadata_kv_count");
        checkCount(tensorCount, 24, 24, "tensor_count"); // 8B-class models have ~300, MoE files thousands

        Map<String, Object> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long at = pos;
            String key = string("metadata key " + i);
            int type = u32("type of '" + key + "'");
            metadata.put(key, value(type, key, at));
        }
        long alignment = DEFAULT_ALIGNMENT;
        if (metadata.get("general.alignment") instanceof Long a) {
            if (a <= 0 || Long.bitCount(a) != 1) {
                throw error(0, "general.alignment", "alignment " + a + " is not a power of two");
            }
            alignment = a;
        }

        List<GgufTensorInfo> relative = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            long at = pos;
            String name = string("tensor " + i + " name");
            int dims = u32("n_dims of tensor '" + name + "'");
            if (dims < 1 || dims > MAX_DIMS) throw error(at, "n_dims of tensor '" + name + "'", dims + " dimensions (1.." + MAX_DIMS + " allowed)");
            long[] shape = new long[dims];
            for (int d = 0; d < dims; d++) {
                shape[d] = u64("dimension " + d + " of tensor '" + name + "'");
                if (shape[d] <= 0 || shape[d] > (1L << 40)) throw error(pos - 8, "tensor '" + name + "'", "dimension " + d + " is " + shape[d]);
            }
            int typeId = u32("type of tensor '" + name + "'");
            GgmlType type = GgmlType.ofId(typeId);
            if (type == null) throw error(pos - 4, "type of tensor '" + name + "'", "unknown ggml type id " + typeId);
            long offset = u64("offset of tensor '" + name + "'");
            if (offset < 0 || offset > file.byteSize()) {
                throw error(pos - 8, "offset of tensor '" + name + "'", "offset " + offset + " lies beyond the end of the file (" + file.byteSize() + " bytes); truncated file?");
            }
            if (offset % alignment != 0) throw error(pos - 8, "offset of tensor '" + name + "'", "offset " + offset + " is not a multiple of the alignment " + alignment);
            if (shape[0] % type.blockSize() != 0) {
                throw error(at, "tensor '" + name + "'", "row length " + shape[0] + " is not a multiple of the " + type + " block size " + type.blockSize());
            }
            relative.add(new GgufTensorInfo(name, shape, type, offset));
        }
        long dataStart = (pos + alignment - 1) / alignment * alignment;
        Map<String, GgufTensorInfo> tensors = new LinkedHashMap<>();
        for (GgufTensorInfo r : relative) {
            var t = new GgufTensorInfo(r.name(), r.shape(), r.type(), dataStart + r.offset());
            long elements = checkedElements(t);
            long end = t.offset() + t.type().bytesFor(elements);
            if (end > file.byteSize()) {
                throw error(t.offset(), "data of tensor '" + t.name() + "'", "needs bytes up to " + end
                        + " but the file has " + file.byteSize() + "; truncated file?");
            }
            if (tensors.put(t.name(), t) != null) throw error(0, "tensor '" + t.name() + "'", "appears twice");
        }
        return new GgufFile(source, version, Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(tensors), alignment, file);
    }

    private long checkedElements(GgufTensorInfo t) {
        long n = 1;
        for (long d : t.shape()) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw error(t.offset(), "tensor '" + t.name() + "'", "shape " + java.util.Arrays.toString(t.shape()) + " has more elements than a long counts");
            }
            if (n > file.byteSize() * 4) throw error(t.offset(), "tensor '" + t.name() + "'", "shape " + java.util.Arrays.toString(t.shape()) + " is larger than the file");
        }
        return n;
    }

    private Object value(int type, String key, long at) {
        return switch (type) {
            case 0 -> (long) (u8(key) & 0xFF);
            case 1 -> (long) u8(key);
            case 2 -> (long) (i16(key) & 0xFFFF);
            case 3 -> (long) i16(key);
            case 4 -> u32(key) & 0xFFFFFFFFL;
            case 5 -> (long) u32(key);
            case 6 -> (double) Float.intBitsToFloat(u32(key));
            case 7 -> {
                byte b = u8(key);
                if (b != 0 && b != 1) throw error(pos - 1, key, "bool value " + b);
                yield b == 1;
            }
            case 8 -> string(key);
            case 9 -> array(key, at);
            case 10, 11 -> u64(key);
            case 12 -> Double.longBitsToDouble(u64(key));
            default -> throw error(at, key, "unknown metadata value type " + type);
        };
    }

    private List<Object> array(String key, long at) {
        int elementType = u32(key + " element type");
        if (elementType == 9) throw error(at, key, "nested arrays are not supported");
        long count = u64(key + " length");
        checkCount(count, minBytes(elementType), MAX_ARRAY_LOG2, key + " length");
        // Not pre-sized from the header: a count the file could hold can still be far more than needed so far.
        List<Object> list = new ArrayList<>((int) Math.min(count, 1 << 16));
        for (long i = 0; i < count; i++) list.add(value(elementType, key, at));
        return Collections.unmodifiableList(list);
    }

    private static int minBytes(int type) {
        return switch (type) {
            case 0, 1, 7 -> 1;
            case 2, 3 -> 2;
            case 4, 5, 6 -> 4;
            default -> 8;
        };
    }

    private void checkCount(long count, int minBytesEach, int maxLog2, String field) {
        long remaining = file.byteSize() - pos;
        if (count < 0 || count * minBytesEach > remaining) {
            throw error(pos - 8, field, "count " + count + " cannot fit in the " + remaining + " bytes left");
        }
        if (count >= (1L << maxLog2)) throw error(pos - 8, field, "count " + count + " is over the " + (1L << maxLog2) + " toks reads");
    }

    private String string(String field) {
        long at = pos;
        long len = u64(field + " length");
        if (len < 0 || len > file.byteSize() - pos) {
            throw error(at, field, "string length " + len + " runs past the end of the file");
        }
        if (len > MAX_STRING_BYTES) throw error(at, field, "string length " + len + " is over the " + MAX_STRING_BYTES + " bytes toks reads");
        byte[] bytes = file.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
        pos += len;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            // Some vocabularies hold pieces that are not valid UTF-8 on their own; keep them lossy.
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private byte u8(String field) {
        need(1, field);
        return file.get(ValueLayout.JAVA_BYTE, pos++);
    }

    private short i16(String field) {
        need(2, field);
        short v = file.get(LE_SHORT, pos);
        pos += 2;
        return v;
    }

    private int u32(String field) {
        need(4, field);
        int v = file.get(LE_INT, pos);
        pos += 4;
        return v;
    }

    private long u64(String field) {
        need(8, field);
        long v = file.get(LE_LONG, pos);
        pos += 8;
        return v;
    }

    private void need(long bytes, String field) {
        if (pos + bytes > file.byteSize()) {
            throw error(pos, field, "file ends here (size " + file.byteSize() + "); truncated file?");
        }
    }

    /**
     * Metadata arrays hold up to 2^26 elements (the largest real ones, vocabularies and merges,
     * hold a few hundred thousand): each element becomes an object, so a header's count is
     * capped before it can exhaust the heap.
     */
    static final int MAX_ARRAY_LOG2 = 26;
    /** Metadata strings up to 16 MiB (chat templates, the longest real ones, are kilobytes). */
    static final long MAX_STRING_BYTES = 16L << 20;

    private ModelFormatException error(long offset, String field, String problem) {
        return new ModelFormatException(source + ": offset " + offset + ": " + field + ": " + problem);
    }

    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
}
