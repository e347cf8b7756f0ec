package io.toks.tokenizer;

import io.toks.core.ToksException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the names users give into tokenizers: tiktoken encodings (cl100k, o200k, p50k, r50k; the
 * same through the JTokkit library as jtokkit:cl100k and so on, for comparison), vocabularies
 * from a vocabulary directory (gpt2, llama3, llama-spm, phi-3, deepseek-coder, bert), or a file:
 * any GGUF (vocab-only or a model), a llama2.c tok*.bin, a Hugging Face tokenizer.json.
 * <p>
 * GGUF files are read by the {@link GgufTokenizerReader} the caller passes: the GGUF reader lives
 * in toks-engine, which builds on this module.
 */
public final class TokenizerRegistry {

    /** The names {@link #load(String)} knows, for messages. */
    static final String NAMES = "cl100k, o200k, p50k, r50k, jtokkit:cl100k/o200k/p50k/r50k, gpt2, llama3, "
            + "llama-spm, phi-3, deepseek-coder, bert";
    /** The files {@link #load(String)} reads, for messages. */
    static final String FILES = ".gguf / tokenizer.json / llama2.c tok*.bin";

    /** Reads the tokenizer a GGUF file describes in its {@code tokenizer.ggml.*} metadata. */
    @FunctionalInterface
    public interface GgufTokenizerReader {
        Tokenizer read(Path file) throws IOException;
    }

    /** A tokenizer with the name it was asked by. */
    public record Named(String name, Tokenizer tokenizer) {}

    private final Path vocabularyDir;
    private final GgufTokenizerReader gguf;

    /**
     * @param vocabularyDir where the named vocabularies live: gpt2/, llama3/ and llamacpp/, as in
     *                      the project's {@code ../shared/tokenizers}
     * @param gguf          reads the tokenizer of a GGUF file
     */
    public TokenizerRegistry(Path vocabularyDir, GgufTokenizerReader gguf) {
        this.vocabularyDir = vocabularyDir;
        this.gguf = gguf;
    }

    /** Each spec's tokenizer, with the spec as its name (leading and trailing spaces do not count). */
    public List<Named> load(List<String> specs) {
        List<Named> out = new ArrayList<>();
        for (String s : specs) out.add(new Named(s, load(s.trim())));
        return out;
    }

    /**
     * The tokenizer a name or file stands for.
     *
     * @throws TokenizerFileNotFoundException where a named vocabulary's files are not in the vocabulary directory
     * @throws ToksException                  for an unknown name, or a file that cannot be read
     */
    public Tokenizer load(String spec) {
        try {
            TiktokenTokenizer tiktoken = TiktokenTokenizer.named(spec);
            if (tiktoken != null) return tiktoken;
            if (spec.toLowerCase(Locale.ROOT).startsWith("jtokkit:")) {
                JTokkitTokenizer reference = JTokkitTokenizer.named(spec.substring("jtokkit:".length()));
                if (reference == null) throw new ToksException("unknown JTokkit encoding in '" + spec + "' (cl100k, o200k, p50k, r50k)");
                return reference;
            }
            Path file = Path.of(spec);
            if (Files.isRegularFile(file)) return fromFile(file);
            return switch (spec.toLowerCase(Locale.ROOT)) {
                case "gpt2", "gpt-2" -> ByteLevelBpeFiles.gpt2(existing("gpt2/encoder.json"), existing("gpt2/vocab.bpe"));
                case "llama3", "llama-3", "llama-bpe" -> ByteLevelBpeFiles.llama3(existing("llama3/llama3-llama3-tokenizer-js.vocab.txt"),
                        existing("llama3/llama3-llama3-tokenizer-js.merges.txt"));
                case "llama-spm", "llama2", "phi-3", "deepseek-coder", "bert-bge", "bert" -> fromFile(existing(
                        "llamacpp/ggml-vocab-" + (spec.equalsIgnoreCase("llama2") ? "llama-spm" : spec.equalsIgnoreCase("bert") ? "bert-bge" : spec.toLowerCase(Locale.ROOT)) + ".gguf"));
                default -> throw new ToksException("unknown tokenizer '" + spec + "' (names: " + NAMES + ", or a " + FILES + " file)");
            };
        } catch (IOException e) {
            throw new ToksException("cannot read tokenizer '" + spec + "': " + e.getMessage(), e);
        }
    }

    private Tokenizer fromFile(Path file) throws IOException {
        if (file.toString().endsWith(".json")) return HuggingFaceTokenizerFile.read(file);
        if (file.toString().endsWith(".gguf")) {
            Tokenizer t = gguf.read(file);
            if (t.kind().equals("ids-only")) t.encode("", false, false); // throws with the reason
            return t;
        }
        // Any other file can only be a llama2.c tokenizer, a format with no signature to check:
        // when it does not read as one, say what it was taken for and what else is accepted.
        try {
            return Llama2cTokenizerReader.readAll(ByteBuffer.wrap(Files.readAllBytes(file)), file.toString());
        } catch (TokenizerFormatException e) {
            String why = e.getMessage().startsWith(file + ": ") ? e.getMessage().substring(file.toString().length() + 2) : e.getMessage();
            throw new TokenizerFormatException(file + ": read as a llama2.c tokenizer (tok*.bin), as any file not named .gguf or .json is, "
                    + "and not one: " + why + likelyKind(file) + "; give a tokenizer name (" + NAMES + ") or a " + FILES + " file");
        }
    }

    /** What a file that is not a llama2.c tokenizer most likely is, by its name, for the message; or nothing. */
    private static String likelyKind(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tiktoken")) return " (a tiktoken rank file? toks has cl100k, o200k, p50k and r50k by name)";
        if (name.equals("vocab.bpe") || name.startsWith("merges")) return " (BPE merges alone? give gpt2, or the model's tokenizer.json)";
        if (name.endsWith(".bin") && !name.startsWith("tok")) return " (a llama2.c model? its tokenizer is the separate tok*.bin)";
        return "";
    }

    private Path existing(String relative) {
        Path p = vocabularyDir.resolve(relative);
        if (!Files.isRegularFile(p)) throw new TokenizerFileNotFoundException("vocabulary file " + p + " not found");
        return p;
    }
}
