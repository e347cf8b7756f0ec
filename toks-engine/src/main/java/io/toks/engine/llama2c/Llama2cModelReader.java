package io.toks.engine.llama2c;

import io.toks.engine.format.ModelFormatException;
import io.toks.engine.model.LlamaConfig;
import io.toks.engine.model.LlamaWeights;
import io.toks.engine.model.RopeStyle;
import io.toks.engine.tensor.F32Matrix;
import io.toks.engine.tensor.FloatMatrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads llama2.c's legacy checkpoint format ({@code run.c}): seven int32 (dim, hidden_dim,
 * n_layers, n_heads, n_kv_heads, vocab_size, seq_len; a negative vocab_size means the classifier
 * is stored separately instead of shared with the embedding), then F32 weights in the order
 * token_embedding, rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3, rms_final, two RoPE tables
 * (seq_len * head_size / 2 each, unused: RoPE is recomputed), and wcls if not shared.
 * The file's size must match the header exactly, which is how a non-model file is recognised.
 */
public final class Llama2cModelReader {

    private static final int HEADER_BYTES = 7 * 4;
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The parsed checkpoint. */
    public record Checkpoint(LlamaConfig config, LlamaWeights weights) {}

    private final MemorySegment file;
    private final String source;
    private long pos = HEADER_BYTES;

    private Llama2cModelReader(MemorySegment file, String source) {
        this.file = file;
        this.source = source;
    }

    public static Checkpoint read(MemorySegment file, String source) {
        return new Llama2cModelReader(file, source).parse();
    }

    private Checkpoint parse() {
        if (file.byteSize() < HEADER_BYTES) {
            throw new ModelFormatException(source + ": " + file.byteSize() + " bytes is too short for a llama2.c header (28 bytes)");
        }
        int[] h = new int[7];
        for (int i = 0; i < 7; i++) h[i] = file.get(LE_INT, 4L * i);
        String header = "dim=" + h[0] + " hidden_dim=" + h[1] + " n_layers=" + h[2] + " n_heads=" + h[3]
                + " n_kv_heads=" + h[4] + " vocab_size=" + h[5] + " seq_len=" + h[6];
        boolean shared = h[5] > 0;
        LlamaConfig c;
        try {
            int headSizeGuess = h[3] > 0 ? h[0] / h[3] : 0;
            c = new LlamaConfig(h[0], h[1], h[2], h[3], h[4], Math.abs(h[5]), h[6], 1e-5f, 10000f,
                    headSizeGuess, RopeStyle.ADJACENT_PAIRS);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(source + ": not a llama2.c model (header " + header + "): " + e.getMessage());
        }
        long expected = expectedBytes(c, shared, source, header);
        if (file.byteSize() != expected) {
            throw new ModelFormatException(source + ": size " + file.byteSize() + " bytes does not match the llama2.c header ("
                    + header + ") which needs " + expected + " bytes; truncated or not a llama2.c model?");
        }
        int dim = c.dim(), hid = c.hiddenDim(), kv = c.kvDim(), nl = c.layers();
        FloatMatrix embedding = matrix(c.vocabSize(), dim);
        float[][] attNorm = vectors(nl, dim);
        FloatMatrix[] wq = matrices(nl, dim, dim);
        FloatMatrix[] wk = matrices(nl, kv, dim);
        FloatMatrix[] wv = matrices(nl, kv, dim);
        FloatMatrix[] wo = matrices(nl, dim, dim);
        float[][] ffnNorm = vectors(nl, dim);
        FloatMatrix[] w1 = matrices(nl, hid, dim);
        FloatMatrix[] w2 = matrices(nl, dim, hid);
        FloatMatrix[] w3 = matrices(nl, hid, dim);
        float[] finalNorm = vectors(1, dim)[0];
        pos += 2L * 4 * c.contextLength() * (c.headSize() / 2); // the unused RoPE tables
        FloatMatrix classifier = shared ? embedding : matrix(c.vocabSize(), dim);
        var weights = new LlamaWeights(embedding, attNorm, wq, wk, wv, wo, ffnNorm, w1, w2, w3, finalNorm, classifier);
        return new Checkpoint(c, weights);
    }

    /**
     * The file size the header implies. Each field is at most 2^24 (LlamaConfig), but their
     * products can still pass 2^63 bytes, and a wrapped size could match a small file and let the
     * reader allocate what the header claims: any overflow is refused, naming the fields whose
     * product is too large.
     */
    static long expectedBytes(LlamaConfig c, boolean shared, String source, String header) {
        long dim = c.dim(), hid = c.hiddenDim(), kv = c.kvDim(), nl = c.layers(), vocab = c.vocabSize();
        try {
            long perLayer = Math.addExact(Math.addExact(2 * dim, 2 * dim * dim),
                    Math.addExact(2 * dim * kv, Math.multiplyExact(3, hid * dim)));
            long floats = Math.addExact(vocab * dim * (shared ? 1 : 2),
                    Math.addExact(Math.multiplyExact(nl, perLayer),
                            dim + (long) c.contextLength() * (c.headSize() / 2) * 2));
            return Math.addExact(HEADER_BYTES, Math.multiplyExact(4, floats));
        } catch (ArithmeticException e) {
            throw new ModelFormatException(source + ": llama2.c header (" + header + "): n_layers x (dim, hidden_dim) weights are over 2^63 bytes;"
                    + " not a llama2.c model");
        }
    }

    private FloatMatrix matrix(int rows, int cols) {
        long bytes = 4L * rows * cols;
        F32Matrix m = new F32Matrix(file.asSlice(pos, bytes), rows, cols);
        pos += bytes;
        return m;
    }

    private FloatMatrix[] matrices(int layers, int rows, int cols) {
        FloatMatrix[] out = new FloatMatrix[layers];
        for (int l = 0; l < layers; l++) out[l] = matrix(rows, cols);
        return out;
    }

    private float[][] vectors(int count, int n) {
        float[][] out = new float[count][n];
        for (int l = 0; l < count; l++) {
            MemorySegment.copy(file, LE_FLOAT, pos, out[l], 0, n);
            pos += 4L * n;
        }
        return out;
    }
}
