package io.toks.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.engine.kernel.NativeMatrix;
import io.toks.engine.quant.RowQuantizer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Block decoding against ggml itself, not against this project's own dequantization.
 *
 * <p>golden/ggml-quant/TYPE.bin were written by ggml (llama.cpp d32676d77, CPU build outside this
 * repository) with its public API: 8 rows x 512 columns of input floats (weight-like, unit scale,
 * outliers, an all-zero super-block, all positive, all negative, tiny, offset), the bytes of
 * {@code ggml_quantize_chunk(type, x, q, 0, 8, 512, NULL)} and the floats of
 * {@code ggml_get_type_traits(type)->to_float(q, y, 4096)}. Layout, little-endian: "TOKSQVEC",
 * int32 ggml type, rows, cols; rows*cols input floats; the quantized rows; rows*cols decoded
 * floats. SHA256SUMS beside them pins the files; {@code scripts/ggml-quant-vectors.sh LLAMA_CPP_DIR}
 * writes them again (its C program, scripts/ggml-quant-vectors.c, says why llama-quantize on
 * stories260K cannot) and checks them against those sums.
 */
class GgmlQuantVectorsTest {

    private record Vectors(GgmlType type, int rows, int cols, float[] input, byte[] quantized, float[] decoded) {}

    @ParameterizedTest
    @ValueSource(strings = {"q4_0", "q4_1", "q8_0", "q4_K", "q5_K", "q6_K"})
    void rowsDecodeBitForBitToTheFloatsGgmlDecodesThemTo(String name) throws Exception {
        Vectors v = read(name);
        try (Arena arena = Arena.ofConfined()) {
            BlockMatrix m = Matrices.of(v.type(), copy(arena, v.quantized()), v.rows(), v.cols());
            float[] row = new float[v.cols()];
            for (int r = 0; r < v.rows(); r++) {
                m.copyRow(r, row);
                for (int c = 0; c < v.cols(); c++) {
                    float expected = v.decoded()[r * v.cols() + c];
                    assertThat(Float.floatToRawIntBits(row[c])).as("%s row %d col %d: %s vs ggml's %s", name, r, c, row[c], expected)
                            .isEqualTo(Float.floatToRawIntBits(expected));
                }
            }
        }
    }

    /** Products against ggml's decoded rows: the Java kernels, and the native ones where the library is built. */
    @ParameterizedTest
    @ValueSource(strings = {"q4_0", "q4_1", "q8_0", "q4_K", "q5_K", "q6_K"})
    void productsEqualTheDotWithGgmlsDecodedRows(String name) throws Exception {
        Vectors v = read(name);
        float[] x = new float[v.cols()];
        for (int c = 0; c < x.length; c++) x[c] = (float) Math.sin(0.37 * c + 1) * (1 + (c % 7) * 0.25f);
        try (Arena arena = Arena.ofConfined()) {
            BlockMatrix java = Matrices.of(v.type(), copy(arena, v.quantized()), v.rows(), v.cols());
            FloatMatrix nativeOrJava = NativeMatrix.wrap(java);
            float[] outJava = new float[v.rows()], outNative = new float[v.rows()];
            java.matVec(x, outJava, 0, v.rows());
            nativeOrJava.matVec(x, outNative, 0, v.rows());
            for (int r = 0; r < v.rows(); r++) {
                double dot = 0, magnitude = 0;
                for (int c = 0; c < v.cols(); c++) {
                    double p = (double) v.decoded()[r * v.cols() + c] * x[c];
                    dot += p;
                    magnitude += Math.abs(p);
                }
                // Java kernels multiply floats: summation order only.
                assertThat((double) outJava[r]).as("%s java row %d", name, r).isCloseTo(dot, org.assertj.core.data.Offset.offset(1e-5 * magnitude + 1e-30));
                // Native kernels of quantized types round x to int8 per block of 32 (as ggml's own do): about 1/127 of each block's largest.
                assertThat((double) outNative[r]).as("%s %s row %d", name, nativeOrJava.getClass().getSimpleName(), r)
                        .isCloseTo(dot, org.assertj.core.data.Offset.offset(1e-2 * magnitude + 1e-30));
            }
        }
    }

    /** Where toks quantizes a type itself, it writes ggml's bytes for ggml's input. */
    @ParameterizedTest
    @ValueSource(strings = {"q4_0", "q4_1", "q8_0"})
    void toksQuantizerWritesGgmlsBytes(String name) throws Exception {
        Vectors v = read(name);
        try (Arena arena = Arena.ofConfined()) {
            long rowBytes = v.quantized().length / v.rows();
            MemorySegment out = arena.allocate(v.quantized().length);
            for (int r = 0; r < v.rows(); r++) {
                float[] row = java.util.Arrays.copyOfRange(v.input(), r * v.cols(), (r + 1) * v.cols());
                RowQuantizer.quantize(v.type(), row, v.cols(), out, r * rowBytes);
            }
            assertThat(out.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(v.quantized());
        }
    }

    private static MemorySegment copy(Arena arena, byte[] bytes) {
        MemorySegment s = arena.allocate(bytes.length, 64);
        s.copyFrom(MemorySegment.ofArray(bytes));
        return s;
    }

    private static Vectors read(String name) throws IOException, Exception {
        byte[] all;
        try (InputStream in = GgmlQuantVectorsTest.class.getResourceAsStream("/golden/ggml-quant/" + name + ".bin")) {
            assertThat(in).as("test vectors for " + name).isNotNull();
            all = in.readAllBytes();
        }
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(all))).isEqualTo(pinnedHash(name));
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        b.get(magic);
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("TOKSQVEC");
        int typeId = b.getInt(), rows = b.getInt(), cols = b.getInt();
        GgmlType type = GgmlType.ofId(typeId);
        float[] input = new float[rows * cols], decoded = new float[rows * cols];
        b.asFloatBuffer().get(input);
        b.position(b.position() + 4 * input.length);
        byte[] quantized = new byte[Math.toIntExact(type.bytesFor((long) cols * rows))];
        b.get(quantized);
        b.asFloatBuffer().get(decoded);
        assertThat(b.position() + 4 * decoded.length).isEqualTo(all.length);
        return new Vectors(type, rows, cols, input, quantized, decoded);
    }

    private static String pinnedHash(String name) throws IOException {
        try (InputStream in = GgmlQuantVectorsTest.class.getResourceAsStream("/golden/ggml-quant/SHA256SUMS")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 2 && f[1].equals(name + ".bin")) return f[0];
            }
        }
        throw new AssertionError("no pinned hash for " + name);
    }
}
