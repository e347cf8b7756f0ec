package io.toks.engine.model;

import io.toks.tokenizer.Tokenizer;

/** A loaded, ready-to-run Llama-family model: shapes, weights, tokenizer and provenance. */
public record LlamaModel(LlamaConfig config, LlamaWeights weights, Tokenizer tokenizer, ModelInfo info) {

    public LlamaModel {
        if (tokenizer.vocabularySize() != config.vocabSize()) {
            throw new io.toks.engine.ModelFormatException("tokenizer has " + tokenizer.vocabularySize()
                    + " tokens but the model's vocabulary is " + config.vocabSize());
        }
    }
}
