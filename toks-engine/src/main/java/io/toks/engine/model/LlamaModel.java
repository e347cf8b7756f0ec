package io.toks.engine.model;

import io.toks.engine.kernel.Kernels;
import io.toks.engine.kernel.NativeMatrix;
import io.toks.engine.tensor.FloatMatrix;
import io.toks.tokenizer.Tokenizer;

/** A loaded, ready-to-run Llama-family model: shapes, weights, tokenizer and provenance. */
public record LlamaModel(LlamaConfig config, LlamaWeights weights, Tokenizer tokenizer, ModelInfo info) {

    public LlamaModel {
        if (tokenizer.vocabularySize() != config.vocabSize()) {
            throw new io.toks.engine.format.ModelFormatException("tokenizer has " + tokenizer.vocabularySize()
                    + " tokens but the model's vocabulary is " + config.vocabSize());
        }
    }

    /**
     * The same model (same weights in memory) multiplied by the given kernels. Native wraps the
     * matrices the library has a product for that this model uses: decode always, batched only
     * when the model prefills in batches (so a tiny model whose types have no native decode
     * product stays all Java, and says so).
     */
    public LlamaModel withKernels(Kernels kernels) {
        boolean batches = InferenceSession.batchesPrefill(config);
        java.util.function.UnaryOperator<FloatMatrix> wrap = switch (kernels) {
            case JAVA -> NativeMatrix::unwrap;
            case NATIVE -> m -> batches || Kernels.support().nativeDecodeTypes().contains(m.type()) ? NativeMatrix.wrap(m) : m;
        };
        return new LlamaModel(config, weights.map(wrap), tokenizer, info);
    }

    /** Which kernels this model was given: native when any of its matrices has native products, else java. */
    public Kernels kernels() {
        return weights.anyMatrix(m -> m instanceof NativeMatrix) ? Kernels.NATIVE : Kernels.JAVA;
    }
}
