package io.toks.engine.gguf;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.engine.format.ModelFormatException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headers at the 2^31 edges and counts far larger than anything real, in files that are big
 * enough to hold them (sparse: no disk is used): each is a named error, never an exception from
 * the JDK or an OutOfMemoryError.
 */
class GgufLimitsTest {

    /** A GGUF v3 header with one metadata key whose value starts with {@code value}, in a sparse file of {@code size} bytes. */
    static Path file(Path dir, String name, byte[] value, long size) throws IOException {
        byte[] key = "general.x".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(64 + value.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(3).putLong(0).putLong(1);
        b.putLong(key.length).put(key).put(value);
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(b.array(), 0, b.position());
            f.setLength(size);
        }
        return p;
    }

    @Test
    void anArrayOfExactly2To31ElementsIsANamedError(@TempDir Path dir) throws IOException {
        // type 9 (array) of type 0 (uint8), count 2^31: the file is large enough to hold it
        ByteBuffer v = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(9).putInt(0).putLong(1L << 31);
        Path p = file(dir, "array.gguf", v.array(), (1L << 31) + 4096);
        assertThatThrownBy(() -> GgufReader.read(p)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("general.x length").hasMessageContaining("toks reads");
    }

    @Test
    void aHugeArrayInAGigabyteFileIsRefusedBeforeItIsAllocated(@TempDir Path dir) throws IOException {
        ByteBuffer v = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(9).putInt(0).putLong(1L << 30);
        Path p = file(dir, "big.gguf", v.array(), (1L << 30) + 4096);
        assertThatThrownBy(() -> GgufReader.read(p)).isInstanceOf(ModelFormatException.class).hasMessageContaining("toks reads");
    }

    @Test
    void aStringOf2To31BytesIsANamedError(@TempDir Path dir) throws IOException {
        ByteBuffer v = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(8).putLong(1L << 31);
        Path p = file(dir, "string.gguf", v.array(), (1L << 31) + 4096);
        assertThatThrownBy(() -> GgufReader.read(p)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("string length 2147483648").hasMessageContaining("toks reads");
    }

    @Test
    void aShapeWhoseElementCountOverflowsIsANamedError(@TempDir Path dir) throws IOException {
        byte[] name = "w".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(3).putLong(1).putLong(0);
        b.putLong(name.length).put(name).putInt(2).putLong(1L << 40).putLong(1L << 40).putInt(0).putLong(0);
        Path p = dir.resolve("shape.gguf");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(b.array(), 0, b.position());
            f.setLength(1 << 20);
        }
        assertThatThrownBy(() -> GgufReader.read(p)).isInstanceOf(ModelFormatException.class).hasMessageContaining("tensor 'w'");
    }
}
