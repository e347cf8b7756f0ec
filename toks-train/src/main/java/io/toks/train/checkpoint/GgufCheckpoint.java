package io.toks.train.checkpoint;

import io.toks.core.ToksException;
import io.toks.engine.gguf.GgufFile;
import io.toks.engine.gguf.GgufReader;
import io.toks.engine.gguf.GgufTensorInfo;
import io.toks.engine.gguf.GgufWriter;
import io.toks.engine.tensor.GgmlType;
import io.toks.train.model.ModelConfig;
import io.toks.train.model.Parameters;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained model as a GGUF v3 {@code llama} file in F32: llama.cpp's tensor names and
 * hyper-parameter keys, the vocabulary as {@code tokenizer.ggml.*}, so {@code toks run},
 * {@code bench}, {@code perplexity}, {@code serve} and llama.cpp load it like a converted model.
 * Training facts go under {@code toks.train.*} (llama.cpp ignores keys it does not know), and
 * {@link #read} restores the weights and shapes from such a file to continue training.
 */
public final class GgufCheckpoint {

    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final String TRAIN_PREFIX = "toks.train.";

    /** Weights read back, with the training facts the file carries. */
    public record Loaded(Parameters parameters, Map<String, Object> trainingFacts) {}

    private GgufCheckpoint() {}

    /**
     * Writes {@code params} to {@code file} (replaced atomically: an interrupted write never leaves
     * half a model under the name).
     *
     * @param vocabulary    {@code tokenizer.ggml.*} metadata ({@link VocabularyMetadata})
     * @param trainingFacts written as {@code toks.train.KEY}: step, seed, tokenizer, data, ...
     */
    public static void write(Path file, String name, Parameters params, Map<String, Object> vocabulary, Map<String, Object> trainingFacts) {
        ModelConfig c = params.config();
        var w = new GgufWriter()
                .put("general.architecture", "llama")
                .put("general.name", name)
                .put("general.file_type", 0L) // LLAMA_FTYPE_ALL_F32
                .put("llama.context_length", (long) c.contextLength())
                .put("llama.embedding_length", (long) c.dim())
                .put("llama.block_count", (long) c.layers())
                .put("llama.feed_forward_length", (long) c.hiddenDim())
                .put("llama.attention.head_count", (long) c.heads())
                .put("llama.attention.head_count_kv", (long) c.kvHeads())
                .put("llama.rope.freq_base", c.ropeTheta())
                .put("llama.rope.dimension_count", (long) c.headSize())
                .put("llama.attention.layer_norm_rms_epsilon", c.rmsEps())
                .put("llama.vocab_size", (long) c.vocabSize())
                .putAll(vocabulary);
        trainingFacts.forEach((k, v) -> w.put(TRAIN_PREFIX + k, v));
        float[] values = params.values();
        for (Parameters.Tensor t : params.tensors()) {
            w.tensor(t.name(), t.ggufShape(), GgmlType.F32, () -> { // one tensor's bytes at a time
                MemorySegment data = MemorySegment.ofArray(new byte[t.size() * 4]);
                MemorySegment.copy(values, t.offset(), data, F32_LE, 0, t.size());
                return data;
            });
        }
        try {
            Path absolute = file.toAbsolutePath();
            if (absolute.getParent() != null) Files.createDirectories(absolute.getParent());
            Path partial = absolute.resolveSibling("." + absolute.getFileName() + ".partial"); // not createTempFile: its mode is owner-only
            try {
                w.write(partial);
                Files.move(partial, absolute, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new ToksException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The weights and shapes of a file {@link #write} wrote (any F32 GGUF {@code llama} file). */
    public static Loaded read(Path file) {
        GgufFile gguf;
        try {
            gguf = GgufReader.read(file);
        } catch (IOException e) {
            throw new ToksException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!"llama".equals(gguf.string("general.architecture", ""))) {
            throw new ToksException(file + ": architecture '" + gguf.string("general.architecture", "") + "' cannot be trained (llama only)");
        }
        GgufTensorInfo embedding = gguf.tensor("token_embd.weight");
        int dim = (int) gguf.integer("llama.embedding_length"), heads = (int) gguf.integer("llama.attention.head_count");
        var config = new ModelConfig(dim, (int) gguf.integer("llama.feed_forward_length"), (int) gguf.integer("llama.block_count"), heads,
                (int) gguf.integer("llama.attention.head_count_kv", heads), (int) embedding.shape()[1],
                (int) gguf.integer("llama.context_length"), (float) gguf.real("llama.rope.freq_base", 10000),
                (float) gguf.real("llama.attention.layer_norm_rms_epsilon", 1e-5), !gguf.tensors().containsKey("output.weight"));
        var params = new Parameters(config);
        for (Parameters.Tensor t : params.tensors()) {
            GgufTensorInfo info = gguf.tensor(t.name());
            if (info.type() != GgmlType.F32) throw new ToksException(file + ": tensor " + t.name() + " is " + info.type() + "; training continues from F32 files only");
            if (!java.util.Arrays.equals(info.shape(), t.ggufShape())) {
                throw new ToksException(file + ": tensor " + t.name() + " has shape " + java.util.Arrays.toString(info.shape())
                        + ", expected " + java.util.Arrays.toString(t.ggufShape()));
            }
            MemorySegment.copy(gguf.tensorData(info), F32_LE, 0, params.values(), t.offset(), t.size());
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        gguf.metadata().forEach((k, v) -> { if (k.startsWith(TRAIN_PREFIX)) facts.put(k.substring(TRAIN_PREFIX.length()), v); });
        return new Loaded(params, facts);
    }
}
