package io.toks.cli;

import picocli.CommandLine.Option;

/** The tokenizer text is re-counted in, so rates of models with different tokenizers compare (bench, load, run). */
final class ReferenceTokenizerOption {

    @Option(names = "--reference-tokenizer", defaultValue = "cl100k", paramLabel = "NAME",
            description = {"Tokenizer that generated text is re-counted in (bench: the model tokenizer's density on a",
                    "reference text), so tok/s of models with different tokenizers compare. Default: ${DEFAULT-VALUE}."})
    String name;
}
