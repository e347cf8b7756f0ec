package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.engine.ModelLoader;
import io.toks.tokenizer.BundledVocabularies;
import io.toks.tokenizer.Tokenizer;
import io.toks.tokenizer.TokenizerFileNotFoundException;
import io.toks.tokenizer.TokenizerRegistry;
import java.nio.file.Path;
import java.util.List;

/**
 * The tokenizer names of the command line: toks-tokenizer's {@link TokenizerRegistry} over a
 * vocabulary directory (--vocab-dir, by default the vocabularies shipped inside toks), with GGUF
 * files read by the engine.
 */
final class TokenizerSpecs {

    /** The embedded model's 512-token TinyStories vocabulary (llama2.c's tok512.bin), by name. */
    static final String TOK512 = "tok512";

    private TokenizerSpecs() {}

    /** The vocabularies shipped inside toks: what the names stand for on any machine. */
    static Path defaultVocabDir() {
        return BundledVocabularies.directory();
    }

    static List<TokenizerRegistry.Named> load(List<String> specs, Path vocabDir) {
        try {
            return registry(vocabDir).load(specs);
        } catch (TokenizerFileNotFoundException e) {
            throw withOption(e);
        }
    }

    static Tokenizer load(String spec, Path vocabDir) {
        if (spec.strip().equalsIgnoreCase(TOK512)) return ModelLoader.embeddedTokenizer();
        try {
            return registry(vocabDir).load(spec);
        } catch (TokenizerFileNotFoundException e) {
            throw withOption(e);
        }
    }

    private static TokenizerRegistry registry(Path vocabDir) {
        return new TokenizerRegistry(vocabDir, ModelLoader::ggufTokenizer);
    }

    /** The registry's message, and the option that points it elsewhere. */
    static ToksException withOption(TokenizerFileNotFoundException e) {
        return new ToksException(e.getMessage() + "; pass --vocab-dir", e);
    }
}
