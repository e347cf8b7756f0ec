package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.engine.ModelLoader;
import io.toks.tokenizer.ByteLevelBpeFiles;
import io.toks.tokenizer.HuggingFaceTokenizerFile;
import io.toks.tokenizer.JTokkitTokenizer;
import io.toks.tokenizer.Llama2cTokenizerReader;
import io.toks.tokenizer.TiktokenTokenizer;
import io.toks.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the names users give into tokenizers: tiktoken encodings (cl100k, o200k, p50k, r50k; the
 * same through the JTokkit library as jtokkit:cl100k and so on, for comparison),
 * vocabularies from the tokenizers directory (gpt2, llama3, llama-spm, phi-3, deepseek-coder), or
 * a file: any GGUF (vocab-only or a model), a llama2.c tok*.bin, a Hugging Face tokenizer.json.
 */
final class TokenizerSpecs {

    /** A tokenizer with the name it was asked by. */
    record Named(String name, Tokenizer tokenizer) {}

    private TokenizerSpecs() {}

    static Path defaultVocabDir() {
        return io.toks.core.SharedData.locate(Path.of(System.getProperty("toks.home", ".")).toAbsolutePath()).resolve("tokenizers");
    }

    static List<Named> load(List<String> specs, Path vocabDir) {
        List<Named> out = new ArrayList<>();
        for (String s : specs) out.add(new Named(s, load(s.trim(), vocabDir)));
        return out;
    }

    static Tokenizer load(String spec, Path dir) {
        try {
            TiktokenTokenizer tiktoken = TiktokenTokenizer.named(spec);
            if (tiktoken != null) return tiktoken;
            if (spec.toLowerCase(java.util.Locale.ROOT).startsWith("jtokkit:")) {
                JTokkitTokenizer reference = JTokkitTokenizer.named(spec.substring("jtokkit:".length()));
                if (reference == null) throw new ToksException("unknown JTokkit encoding in '" + spec + "' (cl100k, o200k, p50k, r50k)");
                return reference;
            }
            Path file = Path.of(spec);
            if (Files.isRegularFile(file)) return fromFile(file);
            return switch (spec.toLowerCase(java.util.Locale.ROOT)) {
                case "gpt2", "gpt-2" -> ByteLevelBpeFiles.gpt2(existing(dir, "gpt2/encoder.json"), existing(dir, "gpt2/vocab.bpe"));
                case "llama3", "llama-3", "llama-bpe" -> ByteLevelBpeFiles.llama3(existing(dir, "llama3/llama3-llama3-tokenizer-js.vocab.txt"),
                        existing(dir, "llama3/llama3-llama3-tokenizer-js.merges.txt"));
                case "llama-spm", "llama2", "phi-3", "deepseek-coder", "bert-bge", "bert" -> fromFile(existing(dir,
                        "llamacpp/ggml-vocab-" + (spec.equalsIgnoreCase("llama2") ? "llama-spm" : spec.equalsIgnoreCase("bert") ? "bert-bge" : spec.toLowerCase(java.util.Locale.ROOT)) + ".gguf"));
                default -> throw new ToksException("unknown tokenizer '" + spec + "' (names: cl100k, o200k, p50k, r50k, jtokkit:cl100k, gpt2, llama3, "
                        + "llama-spm, phi-3, deepseek-coder, or a .gguf / tok*.bin / tokenizer.json file)");
            };
        } catch (IOException e) {
            throw new ToksException("cannot read tokenizer '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static Tokenizer fromFile(Path file) throws IOException {
        if (file.toString().endsWith(".json")) return HuggingFaceTokenizerFile.read(file);
        if (file.toString().endsWith(".gguf")) {
            Tokenizer t = ModelLoader.ggufTokenizer(file);
            if (t.kind().equals("ids-only")) t.encode("", false, false); // throws with the reason
            return t;
        }
        return Llama2cTokenizerReader.readAll(ByteBuffer.wrap(Files.readAllBytes(file)), file.toString());
    }

    private static Path existing(Path dir, String relative) {
        Path p = dir.resolve(relative);
        if (!Files.isRegularFile(p)) throw new ToksException("vocabulary file " + p + " not found; pass --vocab-dir");
        return p;
    }
}
