package io.toks.engine.gguf;

import io.toks.engine.tensor.GgmlType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF v3 files that {@link GgufReader} and llama.cpp read. Metadata values are mapped from
 * Java types the way llama.cpp's writer types them: String to string, Boolean to bool, Integer to
 * int32, Long to uint32 when it fits (llama.cpp's hyper-parameters are uint32) and else int64,
 * Float and Double to float32, List to an array typed by its first element.
 */
public final class GgufWriter {

    private static final int ALIGNMENT = 32;

    /**
     * A tensor to write; {@code data} is asked for its bytes only when the file is written, one
     * tensor at a time, so files larger than memory can be produced.
     */
    private record PendingTensor(String name, long[] shape, GgmlType type, long bytes, java.util.function.Supplier<MemorySegment> data) {}

    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();

    public GgufWriter put(String key, Object value) {
        metadata.put(key, value);
        return this;
    }

    public GgufWriter putAll(Map<String, Object> values) {
        metadata.putAll(values);
        return this;
    }

    /**
     * Adds a tensor. {@code shape[0]} is the innermost dimension (ggml order); data must hold
     * exactly the bytes the type and shape need.
     */
    public GgufWriter tensor(String name, long[] shape, GgmlType type, MemorySegment data) {
        return tensor(name, shape, type, () -> data);
    }

    /** Adds a tensor whose bytes are produced when the file is written. */
    public GgufWriter tensor(String name, long[] shape, GgmlType type, java.util.function.Supplier<MemorySegment> data) {
        long elements = 1;
        for (long d : shape) elements *= d;
        tensors.add(new PendingTensor(name, shape.clone(), type, type.bytesFor(elements), data));
        return this;
    }

    public void write(Path path) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
            write(out);
        }
    }

    public void write(OutputStream out) throws IOException {
        var header = new HeaderBuffer();
        header.u32(GgufReader.MAGIC);
        header.u32(3);
        header.u64(tensors.size());
        header.u64(metadata.size() + 1);
        header.string("general.alignment");
        header.u32(4);
        header.u32(ALIGNMENT);
        for (var e : metadata.entrySet()) {
            if (e.getKey().equals("general.alignment")) throw new IllegalArgumentException("general.alignment is set by the writer");
            header.string(e.getKey());
            header.value(e.getValue(), e.getKey());
        }
        long offset = 0;
        for (PendingTensor t : tensors) {
            header.string(t.name);
            header.u32(t.shape.length);
            for (long d : t.shape) header.u64(d);
            header.u32(t.type.id());
            header.u64(offset);
            offset = align(offset + t.bytes);
        }
        byte[] head = header.bytes();
        out.write(head);
        out.write(new byte[(int) (align(head.length) - head.length)]);
        byte[] chunk = new byte[1 << 20];
        for (PendingTensor t : tensors) {
            MemorySegment data = t.data.get();
            long size = data.byteSize();
            if (size != t.bytes) {
                throw new IllegalArgumentException("tensor " + t.name + ": " + t.type + " " + java.util.Arrays.toString(t.shape)
                        + " needs " + t.bytes + " bytes, got " + size);
            }
            for (long pos = 0; pos < size; pos += chunk.length) {
                int n = (int) Math.min(chunk.length, size - pos);
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, chunk, 0, n);
                out.write(chunk, 0, n);
            }
            out.write(new byte[(int) (align(size) - size)]);
        }
    }

    private static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Growable little-endian buffer for the header. */
    private static final class HeaderBuffer {
        private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private void ensure(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n)).order(ByteOrder.LITTLE_ENDIAN);
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        void u32(int v) { ensure(4); buf.putInt(v); }
        void u64(long v) { ensure(8); buf.putLong(v); }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            ensure(b.length);
            buf.put(b);
        }

        void value(Object v, String key) {
            int type = typeOf(v, key);
            u32(type);
            payload(type, v, key);
        }

        private void payload(int type, Object v, String key) {
            switch (type) {
                case 4, 5 -> u32(((Number) v).intValue());
                case 6 -> { ensure(4); buf.putFloat(((Number) v).floatValue()); }
                case 7 -> { ensure(1); buf.put((byte) (((Boolean) v) ? 1 : 0)); }
                case 8 -> string((String) v);
                case 11 -> u64(((Number) v).longValue());
                case 9 -> {
                    List<?> list = (List<?>) v;
                    int elementType = list.isEmpty() ? 4 : typeOf(list.get(0), key);
                    u32(elementType);
                    u64(list.size());
                    for (Object o : list) {
                        if (typeOf(o, key) != elementType && !(elementType == 11 && o instanceof Long)) {
                            throw new IllegalArgumentException("array " + key + " mixes element types");
                        }
                        payload(elementType, o, key);
                    }
                }
                default -> throw new IllegalStateException();
            }
        }

        private static int typeOf(Object v, String key) {
            return switch (v) {
                case String s -> 8;
                case Boolean b -> 7;
                case Integer i -> 5;
                case Long l -> l >= 0 && l <= 0xFFFFFFFFL ? 4 : 11;
                case Float f -> 6;
                case Double d -> 6;
                case List<?> l -> 9;
                default -> throw new IllegalArgumentException("metadata " + key + ": cannot write a " + v.getClass().getSimpleName());
            };
        }

        byte[] bytes() {
            byte[] out = new byte[buf.position()];
            buf.flip();
            buf.get(out);
            return out;
        }
    }
}
