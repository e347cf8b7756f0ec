package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.engine.ModelLoader;
import io.toks.engine.model.LlamaModel;
import io.toks.tokenizer.TokenizerFileNotFoundException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model a command runs: a file, or the embedded default. Shared by run and bench. */
final class ModelOptions {

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
            description = "Model file: GGUF (.gguf) or llama2.c (.bin). Default: the embedded stories260K.")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Tokenizer for a llama2.c model (default: tok<vocab>.bin or tokenizer.bin beside it).")
    Path tokenizer;

    LlamaModel load() {
        // Checked before loading: a GGUF file carries its own tokenizer, and a --tokenizer that is not there must not pass silently.
        if (tokenizer != null && !java.nio.file.Files.isRegularFile(tokenizer)) throw new ToksException("tokenizer file not found: " + tokenizer);
        if (tokenizer != null && (model == null || !model.toString().endsWith(".bin"))) {
            throw new ToksException("--tokenizer applies to llama2.c (.bin) models; " + (model == null ? "the embedded model" : model) + " has its own");
        }
        try {
            return model == null ? ModelLoader.loadEmbedded() : ModelLoader.load(model, tokenizer);
        } catch (TokenizerFileNotFoundException e) {
            throw new ToksException(e.getMessage() + ", or pass --tokenizer FILE", e);
        }
    }
}
