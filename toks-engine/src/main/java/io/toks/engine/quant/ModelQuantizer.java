package io.toks.engine.quant;

import io.toks.core.ToksException;
import io.toks.engine.gguf.GgufFile;
import io.toks.engine.gguf.GgufReader;
import io.toks.engine.gguf.GgufTensorInfo;
import io.toks.engine.gguf.GgufWriter;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.model.LlamaWeights;
import io.toks.engine.model.ModelInfo;
import io.toks.engine.tensor.BlockMatrix;
import io.toks.engine.tensor.FloatMatrix;
import io.toks.engine.tensor.GgmlType;
import io.toks.engine.tensor.Matrices;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Converts every weight matrix of a model to one type, as {@code llama-quantize --pure} does:
 * 2-D weight tensors are quantized, 1-D tensors (norms, biases) stay F32. A matrix whose row
 * length is not a multiple of the type's block size cannot be stored in that type; it falls back
 * to F16 (llama.cpp refuses such models for the 32-value block types).
 */
public final class ModelQuantizer {

    private ModelQuantizer() {}

    public static GgmlType parseType(String s) {
        GgmlType t;
        try {
            t = GgmlType.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            t = null;
        }
        if (t == null || !RowQuantizer.TYPES.contains(t)) {
            throw new ToksException("cannot quantize to '" + s + "' (supported: f32, f16, bf16, q8_0, q4_0, q4_1)");
        }
        return t;
    }

    /** The type a matrix with this row length gets. */
    static GgmlType typeFor(GgmlType wanted, long cols) {
        return cols % wanted.blockSize() == 0 ? wanted : GgmlType.F16;
    }

    /** A matrix's values re-quantized into new memory. */
    public static FloatMatrix convert(FloatMatrix m, GgmlType wanted) {
        GgmlType type = typeFor(wanted, m.cols());
        if (m.type() == type) return m;
        long rowBytes = type.bytesFor(m.cols());
        MemorySegment out = Arena.ofAuto().allocate(rowBytes * m.rows(), 64);
        float[] row = new float[m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            m.copyRow(r, row);
            RowQuantizer.quantize(type, row, m.cols(), out, r * rowBytes);
        }
        return Matrices.of(type, out, m.rows(), m.cols());
    }

    /** The model with every matrix converted, in memory (for {@code toks bench --types}). */
    public static LlamaModel convert(LlamaModel model, GgmlType wanted) {
        LlamaWeights w = model.weights();
        FloatMatrix embedding = convert(w.tokenEmbedding(), wanted);
        FloatMatrix classifier = w.classifier() == w.tokenEmbedding() ? embedding : convert(w.classifier(), wanted);
        var converted = new LlamaWeights(embedding, w.attentionNorm(), all(w.wq(), wanted), all(w.wk(), wanted),
                all(w.wv(), wanted), all(w.wo(), wanted), w.ffnNorm(), all(w.gate(), wanted), all(w.down(), wanted),
                all(w.up(), wanted), w.finalNorm(), classifier, w.qkvBias(), w.ropeFactors());
        ModelInfo i = model.info();
        var info = i.withWeightType(i.source() + " (quantized in memory)", wanted.name());
        return new LlamaModel(model.config(), converted, model.tokenizer(), info);
    }

    private static FloatMatrix[] all(FloatMatrix[] ms, GgmlType wanted) {
        FloatMatrix[] out = new FloatMatrix[ms.length];
        java.util.stream.IntStream.range(0, ms.length).parallel().forEach(i -> out[i] = convert(ms[i], wanted));
        return out;
    }

    /**
     * Rewrites a GGUF file with its 2-D weight tensors in {@code wanted}; metadata is kept, with
     * {@code general.file_type} updated.
     *
     * @return how many tensors were converted, and how many fell back to F16
     */
    public static int[] quantizeFile(Path in, Path out, GgmlType wanted) throws IOException {
        GgufFile f = GgufReader.read(in);
        var w = new GgufWriter();
        f.metadata().forEach((k, v) -> { if (!k.equals("general.alignment")) w.put(k, v); });
        w.put("general.file_type", (long) fileType(wanted));
        w.put("general.quantization_version", 2L);
        int converted = 0, fallback = 0;
        for (GgufTensorInfo t : f.tensors().values()) {
            boolean matrix = t.shape().length == 2 && t.name().endsWith(".weight");
            if (!matrix || !Matrices.SUPPORTED.contains(t.type())) {
                w.tensor(t.name(), t.shape(), t.type(), f.tensorData(t));
                continue;
            }
            int cols = (int) t.shape()[0], rows = (int) t.shape()[1];
            GgmlType type = typeFor(wanted, cols);
            if (type != wanted) fallback++;
            converted++;
            BlockMatrix source = Matrices.of(t.type(), f.tensorData(t), rows, cols);
            w.tensor(t.name(), t.shape(), type, () -> ((BlockMatrix) convert(source, type)).data());
        }
        w.write(out);
        return new int[] {converted, fallback};
    }

    /** llama.cpp's LLAMA_FTYPE of a file whose matrices are all {@code type}. */
    static int fileType(GgmlType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q4_1 -> 3;
            case Q8_0 -> 7;
            case BF16 -> 32;
            default -> throw new IllegalArgumentException(type.name());
        };
    }
}
