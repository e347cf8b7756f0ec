package io.toks.core.estimate;

/**
 * What an estimate needs to know about a Llama-architecture model: its shapes and how many bytes
 * its weights take in the type they are stored in. Built from a preset, a GGUF header or a loaded
 * model (toks-engine's {@code ModelShapes}).
 *
 * @param name              the model's name
 * @param weightType        the weights' type as a label ({@code Q4_0}, {@code Q4_K_M}, ...)
 * @param dim               embedding width
 * @param hiddenDim         feed-forward width
 * @param layers            transformer blocks
 * @param heads             attention (query) heads
 * @param kvHeads           key/value heads (grouped-query attention when fewer than {@code heads})
 * @param headSize          width of one head
 * @param vocabSize         vocabulary size
 * @param contextLength     the most positions the model was trained for
 * @param parameters        every weight, the token embedding included (a shared output matrix once)
 * @param matmulParameters  weights multiplied per token: every layer matrix and the output matrix
 *                          (the input embedding is a lookup, not a product)
 * @param weightBytes       bytes of all weights as stored (a shared output matrix once)
 * @param bytesReadPerToken bytes one decode step must read: every matrix once, of a separate input
 *                          embedding only one row
 */
public record ModelShape(String name, String weightType, int dim, int hiddenDim, int layers, int heads, int kvHeads,
                         int headSize, int vocabSize, int contextLength, long parameters, long matmulParameters,
                         long weightBytes, long bytesReadPerToken) {

    public ModelShape {
        if (dim <= 0 || hiddenDim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || headSize <= 0 || vocabSize <= 0) {
            throw new IllegalArgumentException("model shapes must be positive: dim " + dim + ", ffn " + hiddenDim + ", layers " + layers
                    + ", heads " + heads + ", kv heads " + kvHeads + ", head size " + headSize + ", vocab " + vocabSize);
        }
        if (heads % kvHeads != 0) throw new IllegalArgumentException("heads (" + heads + ") must be a multiple of kv heads (" + kvHeads + ")");
        if (matmulParameters <= 0 || matmulParameters > parameters + (long) vocabSize * dim) {
            throw new IllegalArgumentException("matmul parameters " + matmulParameters + " do not fit parameters " + parameters);
        }
    }

    /** Width of the keys (and values) cached per position and layer. */
    public int kvDim() {
        return kvHeads * headSize;
    }

    /** Parameters of the output matrix, multiplied once per token whose logits are wanted. */
    public long classifierParameters() {
        return (long) vocabSize * dim;
    }
}
