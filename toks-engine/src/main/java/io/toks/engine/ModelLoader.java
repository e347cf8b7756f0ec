package io.toks.engine;

import io.toks.core.ToksException;
import io.toks.engine.gguf.GgufFile;
import io.toks.engine.gguf.GgufReader;
import io.toks.engine.llama2c.Llama2cModelReader;
import io.toks.engine.model.ContentHash;
import io.toks.engine.model.LlamaConfig;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.model.LlamaWeights;
import io.toks.engine.model.ModelInfo;
import io.toks.tokenizer.Llama2cTokenizerReader;
import io.toks.tokenizer.Tokenizer;
import io.toks.tokenizer.TokenizerFileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a model file of any supported format, recognised by its content (GGUF magic, or a llama2.c
 * header whose shapes match the file size), or the embedded default model.
 */
public final class ModelLoader {

    /** The model toks runs when none is named: llama2.c's stories260K, bundled in the jar. */
    public static final String EMBEDDED_NAME = "stories260K";
    private static final String EMBEDDED_DIR = "/io/toks/engine/embedded/";
    /**
     * SHA-256 of the embedded {@code stories260K.bin}, written here rather than hashed at every
     * load: a cold JVM hashes in the interpreter (no SHA intrinsic yet), about 6% of a cold
     * {@code toks run}'s CPU time. ModelLoaderEmbeddedTest checks it against the resource.
     */
    static final String EMBEDDED_SHA256 = "b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696";

    private ModelLoader() {}

    /**
     * Loads a model file.
     *
     * @param tokenizerPath for llama2.c models: the tokenizer file, or null to look beside the
     *                      model for {@code tokenizer.bin} or {@code tok<vocab>.bin}
     * @throws TokenizerFileNotFoundException for a llama2.c model with no tokenizer given or beside it
     */
    public static LlamaModel load(Path path, Path tokenizerPath) {
        MemorySegment file = map(path);
        String source = path.toString();
        if (GgufReader.hasMagic(file)) {
            GgufFile gguf = GgufReader.read(file, source);
            LlamaConfig config = GgufModelLoader.config(gguf);
            LlamaWeights weights = GgufModelLoader.weights(gguf, config);
            String type = FileTypes.name(gguf.integer("general.file_type", -1), dominantType(weights));
            ModelInfo info = new ModelInfo(displayName(path, gguf.string("general.name", null)), source, "gguf",
                    file.byteSize(), ContentHash.of(file), type, GgufModelLoader.addsBos(gguf));
            return new LlamaModel(config, weights, GgufModelLoader.tokenizer(gguf), info);
        }
        Llama2cModelReader.Checkpoint ckpt = Llama2cModelReader.read(file, source);
        Path tok = tokenizerPath != null ? tokenizerPath : findLlama2cTokenizer(path, ckpt.config().vocabSize());
        Tokenizer tokenizer = Llama2cTokenizerReader.read(map(tok).asByteBuffer(), ckpt.config().vocabSize(), tok.toString());
        ModelInfo info = new ModelInfo(displayName(path, null), source, "llama2.c", file.byteSize(), ContentHash.of(file),
                dominantType(ckpt.weights()), true);
        return new LlamaModel(ckpt.config(), ckpt.weights(), tokenizer, info);
    }

    /**
     * The tokenizer a GGUF file describes in its {@code tokenizer.ggml.*} metadata: a vocab-only
     * file or a model (whose weights are not read). Models whose tokenizer toks cannot build yet
     * get an {@link io.toks.tokenizer.IdOnlyTokenizer} that refuses text with the reason.
     */
    public static Tokenizer ggufTokenizer(Path file) throws IOException {
        return GgufModelLoader.tokenizer(GgufReader.read(file));
    }

    /** Loads stories260K from the jar's resources. */
    public static LlamaModel loadEmbedded() {
        MemorySegment model = resource(EMBEDDED_NAME + ".bin");
        MemorySegment tok = resource("tok512.bin");
        Llama2cModelReader.Checkpoint ckpt = Llama2cModelReader.read(model, "embedded:" + EMBEDDED_NAME);
        Tokenizer tokenizer = Llama2cTokenizerReader.read(tok.asByteBuffer(), ckpt.config().vocabSize(), "embedded:tok512.bin");
        ModelInfo info = new ModelInfo(EMBEDDED_NAME, "embedded:" + EMBEDDED_NAME, "llama2.c", model.byteSize(),
                EMBEDDED_SHA256, dominantType(ckpt.weights()));
        return new LlamaModel(ckpt.config(), ckpt.weights(), tokenizer, info);
    }

    /**
     * The embedded model's vocabulary, llama2.c's 512-token SentencePiece {@code tok512} (the
     * TinyStories vocabulary): small enough that a model trained on it in seconds learns words.
     */
    public static Tokenizer embeddedTokenizer() {
        MemorySegment tok = resource("tok512.bin");
        return Llama2cTokenizerReader.read(tok.asByteBuffer(), 512, "embedded:tok512.bin");
    }

    private static String displayName(Path path, String metadataName) {
        String file = path.getFileName().toString().replaceFirst("\\.(gguf|bin)$", "");
        return metadataName == null || metadataName.isBlank() || metadataName.equals("llama") ? file : metadataName;
    }

    /** The type holding most of the weight bytes, e.g. Q4_K in a Q4_K_M file. */
    public static String dominantType(LlamaWeights w) {
        java.util.Map<String, Long> bytes = new java.util.HashMap<>();
        java.util.function.Consumer<io.toks.engine.tensor.FloatMatrix> add = m -> bytes.merge(m.type().name(), m.byteSize(), Long::sum);
        add.accept(w.tokenEmbedding());
        if (w.classifier() != w.tokenEmbedding()) add.accept(w.classifier());
        for (int l = 0; l < w.wq().length; l++) {
            for (var m : new io.toks.engine.tensor.FloatMatrix[] {w.wq()[l], w.wk()[l], w.wv()[l], w.wo()[l], w.gate()[l], w.down()[l], w.up()[l]}) {
                add.accept(m);
            }
        }
        return bytes.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    private static Path findLlama2cTokenizer(Path model, int vocab) {
        Path dir = model.toAbsolutePath().getParent();
        for (String name : new String[] {"tok" + vocab + ".bin", "tokenizer.bin"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        throw new TokenizerFileNotFoundException("no tokenizer for llama2.c model " + model + ": expected tok" + vocab
                + ".bin or tokenizer.bin beside it");
    }

    private static MemorySegment map(Path path) {
        if (Files.isDirectory(path)) throw new ToksException(path + " is a directory, not a model file");
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (ch.size() == 0) throw new ToksException(path + " is empty, not a model file");
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
        } catch (NoSuchFileException e) {
            throw new ToksException("model file not found: " + path);
        } catch (IOException e) {
            throw new ToksException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static MemorySegment resource(String name) {
        try (InputStream in = ModelLoader.class.getResourceAsStream(EMBEDDED_DIR + name)) {
            if (in == null) throw new ToksException("embedded model resource " + name + " is missing from the jar");
            byte[] bytes = in.readAllBytes();
            // Native and 64-byte aligned, like a mapped file, so the vector kernels see the same memory kind.
            MemorySegment seg = Arena.ofAuto().allocate(bytes.length, 64);
            MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
            return seg;
        } catch (IOException e) {
            throw new ToksException("cannot read embedded model: " + e.getMessage(), e);
        }
    }
}
