package io.toks.cli;

import io.toks.tokenizer.TokenizerRegistry;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Which tokenizers a command compares, and where named vocabularies live. Shared by tokenize and count. */
final class TokenizerOptions {

    @Option(names = {"-k", "--tokenizer"}, split = ",", defaultValue = "cl100k", paramLabel = "NAME[,NAME...]",
            description = "Tokenizers: cl100k, o200k, p50k, r50k (toks's own; jtokkit:cl100k etc. through the JTokkit library), "
                    + "gpt2, llama3, llama-spm, phi-3, deepseek-coder, bert, or a .gguf / tok*.bin / tokenizer.json file. "
                    + "Default: ${DEFAULT-VALUE}.")
    List<String> tokenizers;

    @Option(names = "--vocab-dir", paramLabel = "DIR", description = "Where named vocabularies live. Default: the vocabularies shipped inside toks.")
    Path vocabDir;

    List<TokenizerRegistry.Named> load() {
        return load(tokenizers);
    }

    /** Loads the given names (the asked ones, perhaps with more) from the same vocabulary directory. */
    List<TokenizerRegistry.Named> load(List<String> names) {
        return TokenizerSpecs.load(names, vocabDir != null ? vocabDir : TokenizerSpecs.defaultVocabDir());
    }
}
