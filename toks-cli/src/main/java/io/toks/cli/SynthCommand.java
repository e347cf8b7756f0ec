package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.engine.synth.Preset;
import io.toks.engine.synth.SyntheticGguf;
import io.toks.engine.synth.WeightRecipe;
import io.toks.tokenizer.TokenizerFileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "synth", header = "Write a GGUF with a real model's shapes and random weights.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes a GGUF file with random weights and the exact shapes of a real model, so speed",
                "can be measured (by toks or llama.cpp) for models that cannot be downloaded here.",
                "The text such a model generates is gibberish; its speed is representative."},
        footer = {"", "Examples:", "  toks synth --preset llama-3.2-1b --type q4_0 -o llama-3.2-1b-q4_0.gguf",
                "  toks synth --preset custom --dim 512 --layers 4 --heads 8 --kv-heads 4 --ffn 1536 --vocab 32000 -o tiny.gguf"})
final class SynthCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", required = true, paramLabel = "NAME",
            description = "smollm2-135m, qwen2.5-0.5b, llama-3.2-1b, llama-3.2-3b, llama-3.1-8b, mistral-7b, or custom.")
    String preset;

    @Option(names = "--type", defaultValue = "f32", paramLabel = "TYPE",
            description = "f32, f16, bf16, q8_0, q4_0, q4_1, q4_k, q5_k, q6_k, q4_k_m, q5_k_m. Default: ${DEFAULT-VALUE}.")
    String type;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The GGUF file to write.")
    Path output;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random weights. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--vocab-dir", paramLabel = "DIR",
            description = "Directory with tokenizer vocabularies (llama3/, llamacpp/, gpt2/). Default: the vocabularies shipped inside toks.")
    Path vocabDir;

    @Option(names = "--dim", description = "custom: embedding width") int dim;
    @Option(names = "--layers", description = "custom: number of blocks") int layers;
    @Option(names = "--heads", description = "custom: attention heads") int heads;
    @Option(names = "--kv-heads", description = "custom: key/value heads (default: heads)") int kvHeads;
    @Option(names = "--ffn", description = "custom: feed-forward width") int ffn;
    @Option(names = "--vocab", description = "custom: vocabulary size (default: 32000)") int vocab;
    @Option(names = "--context", description = "custom: context length (default: 4096)") int context;

    @Override
    public Integer call() throws IOException {
        Preset p = preset.equals("custom") ? customShape() : namedShape();
        WeightRecipe recipe = WeightRecipe.parse(type);
        SyntheticGguf.check(p);
        SyntheticGguf.TensorBytes sizes = SyntheticGguf.tensorBytes(p, recipe);
        long largest = sizes.largest(), memory = Runtime.getRuntime().maxMemory();
        if (largest > memory) {
            throw new ToksException(String.format(java.util.Locale.ROOT,
                    "the largest tensor of this shape is %.1f GB, generated whole in memory, and this JVM may hold %.1f GB"
                            + " (raise it with TOKS_JVM_OPTS=-Xmx...)", largest / 1e9, memory / 1e9));
        }
        Path dir = vocabDir != null ? vocabDir : TokenizerSpecs.defaultVocabDir();
        if (!Files.isDirectory(dir)) throw new ToksException("vocabulary directory " + dir + " does not exist; pass --vocab-dir");
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) throw new ToksException("output directory " + parent + " does not exist");
        Path partial = output.resolveSibling(output.getFileName() + ".partial");
        long bytes = sizes.total(), free = Files.getFileStore(parent != null ? parent : Path.of(".")).getUsableSpace();
        if (bytes > free) {
            throw new ToksException(String.format(java.util.Locale.ROOT, "the file would be %.1f GB and %s has %.1f GB free", bytes / 1e9,
                    parent, free / 1e9));
        }
        spec.commandLine().getErr().println("writing " + output + " ...");
        String what;
        try {
            what = SyntheticGguf.write(p, recipe, partial, dir, seed);
        } catch (TokenizerFileNotFoundException e) {
            throw TokenizerSpecs.withOption(e);
        }
        Files.move(partial, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // never leave a half-written file under the real name
        spec.commandLine().getOut().printf("wrote %s (%d bytes): %s%n", output, Files.size(output), what);
        return 0;
    }

    /** The shape --preset custom names; every option it needs given and positive. */
    private Preset customShape() {
        java.util.List<String> missing = new java.util.ArrayList<>();
        if (dim == 0) missing.add("--dim");
        if (layers == 0) missing.add("--layers");
        if (heads == 0) missing.add("--heads");
        if (ffn == 0) missing.add("--ffn");
        if (!missing.isEmpty()) {
            throw new ToksException("--preset custom needs --dim, --layers, --heads and --ffn (missing: " + String.join(", ", missing) + ")");
        }
        positive("--dim", dim);
        positive("--layers", layers);
        positive("--heads", heads);
        positive("--ffn", ffn);
        if (kvHeads != 0) positive("--kv-heads", kvHeads);
        if (vocab != 0) positive("--vocab", vocab);
        if (context != 0) positive("--context", context);
        return Preset.custom(dim, ffn, layers, heads, kvHeads > 0 ? kvHeads : heads, vocab > 0 ? vocab : 32000, context > 0 ? context : 4096);
    }

    /** A named preset: its shape is the real model's, so the custom options would be ignored; they are refused instead. */
    private Preset namedShape() {
        Preset named = Preset.named(preset);
        java.util.List<String> given = new java.util.ArrayList<>();
        if (dim != 0) given.add("--dim");
        if (layers != 0) given.add("--layers");
        if (heads != 0) given.add("--heads");
        if (kvHeads != 0) given.add("--kv-heads");
        if (ffn != 0) given.add("--ffn");
        if (vocab != 0) given.add("--vocab");
        if (context != 0) given.add("--context");
        if (!given.isEmpty()) {
            throw new ToksException(String.join(", ", given) + " only apply to --preset custom; " + preset + " has the real model's shape");
        }
        return named;
    }

    private static void positive(String option, int value) {
        if (value < 1) throw new ToksException(option + " must be positive, got " + value);
    }
}
