package io.toks.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Which tokenizers a command compares, and where named vocabularies live. Shared by tokenize and count. */
final class TokenizerOptions {

    @Option(names = {"-k", "--tokenizer"}, split = ",", defaultValue = "cl100k", paramLabel = "NAME[,NAME...]",
            description = "Tokenizers: cl100k, o200k, p50k, r50k, gpt2, llama3, llama-spm, phi-3, deepseek-coder, bert, "
                    + "or a .gguf / tok*.bin file. Default: ${DEFAULT-VALUE}.")
    List<String> tokenizers;

    @Option(names = "--vocab-dir", paramLabel = "DIR", description = "Where named vocabularies live. Default: ../shared/tokenizers beside toks.")
    Path vocabDir;

    List<TokenizerSpecs.Named> load() {
        return TokenizerSpecs.load(tokenizers, vocabDir != null ? vocabDir : TokenizerSpecs.defaultVocabDir());
    }
}
