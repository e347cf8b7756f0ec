package io.toks.engine;

import io.toks.core.estimate.ModelShape;
import io.toks.engine.gguf.GgufFile;
import io.toks.engine.gguf.GgufReader;
import io.toks.engine.gguf.GgufTensorInfo;
import io.toks.engine.model.LlamaConfig;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.model.LlamaWeights;
import io.toks.engine.synth.Preset;
import io.toks.engine.synth.WeightRecipe;
import io.toks.engine.tensor.FloatMatrix;
import io.toks.engine.tensor.GgmlType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** The {@link ModelShape} of a loaded model, of a GGUF file (its header only), or of a preset in a weight type. */
public final class ModelShapes {

    /** The matrices of a block, multiplied once per token. */
    private static final Pattern LAYER_MATRIX = Pattern.compile("blk\\.\\d+\\.(attn_q|attn_k|attn_v|attn_output|ffn_gate|ffn_up|ffn_down)\\.weight");

    private ModelShapes() {}

    /** The shape of a model in memory, its bytes as its matrices are stored. */
    public static ModelShape of(LlamaModel model) {
        LlamaConfig c = model.config();
        LlamaWeights w = model.weights();
        long matmul = elements(w.classifier());
        for (FloatMatrix[] layer : new FloatMatrix[][] {w.wq(), w.wk(), w.wv(), w.wo(), w.gate(), w.up(), w.down()}) {
            for (FloatMatrix m : layer) matmul += elements(m);
        }
        return new ModelShape(model.info().name(), model.info().weightType(), c.dim(), c.hiddenDim(), c.layers(), c.heads(),
                c.kvHeads(), c.headSize(), c.vocabSize(), c.contextLength(), w.parameterCount(), matmul, w.byteSize(),
                w.bytesReadPerToken());
    }

    /** The shape of a GGUF model from its header and tensor directory; no weight is read. */
    public static ModelShape of(Path gguf) throws IOException {
        GgufFile file = GgufReader.read(gguf);
        LlamaConfig c = GgufModelLoader.config(file);
        GgufTensorInfo embedding = file.tensor("token_embd.weight");
        GgufTensorInfo output = file.tensors().get("output.weight");
        long parameters = 0, bytes = 0, matmul = (long) c.vocabSize() * c.dim();
        Map<GgmlType, Long> bytesByType = new HashMap<>();
        for (GgufTensorInfo t : file.tensors().values()) {
            parameters += t.elements();
            bytes += t.byteSize();
            bytesByType.merge(t.type(), t.byteSize(), Long::sum);
            if (LAYER_MATRIX.matcher(t.name()).matches()) matmul += t.elements();
        }
        long readPerToken = output == null ? bytes : bytes - embedding.byteSize() + embedding.byteSize() / c.vocabSize();
        GgmlType dominant = bytesByType.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        String name = file.string("general.name", gguf.getFileName().toString());
        return new ModelShape(name, dominant.name(), c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(), c.headSize(),
                c.vocabSize(), c.contextLength(), parameters, matmul, bytes, readPerToken);
    }

    /** The shape a preset has in {@code recipe}'s types: what {@code toks synth} or a quantizer would write. */
    public static ModelShape of(Preset p, WeightRecipe recipe) {
        int nl = p.layers(), dim = p.dim(), kv = p.kvHeads() * p.headSize(), hid = p.hiddenDim();
        long vocabRows = (long) p.vocabSize() * dim;
        long embeddingBytes = recipe.typeOf("token_embd", -1, nl, dim).bytesFor(vocabRows);
        long bytes = embeddingBytes + 4L * dim, layerMatmul = 0;
        long parameters = vocabRows + dim;
        for (int l = 0; l < nl; l++) {
            bytes += recipe.typeOf("attn_q", l, nl, dim).bytesFor((long) dim * dim)
                    + recipe.typeOf("attn_k", l, nl, dim).bytesFor((long) kv * dim)
                    + recipe.typeOf("attn_v", l, nl, dim).bytesFor((long) kv * dim)
                    + recipe.typeOf("attn_output", l, nl, dim).bytesFor((long) dim * dim)
                    + recipe.typeOf("ffn_gate", l, nl, dim).bytesFor((long) hid * dim)
                    + recipe.typeOf("ffn_up", l, nl, dim).bytesFor((long) hid * dim)
                    + recipe.typeOf("ffn_down", l, nl, hid).bytesFor((long) dim * hid)
                    + 4L * 2 * dim + (p.qkvBias() ? 4L * (dim + 2L * kv) : 0);
            layerMatmul += 2L * dim * dim + 2L * kv * dim + 3L * hid * dim;
            parameters += 2L * dim + (p.qkvBias() ? dim + 2L * kv : 0);
        }
        parameters += layerMatmul;
        long readPerToken = bytes;
        if (!p.tiedEmbeddings()) {
            bytes += recipe.typeOf("output", -1, nl, dim).bytesFor(vocabRows);
            parameters += vocabRows;
            readPerToken = bytes - embeddingBytes + embeddingBytes / p.vocabSize();
        }
        return new ModelShape(p.name(), recipe.name(), dim, hid, nl, p.heads(), p.kvHeads(), p.headSize(), p.vocabSize(),
                p.contextLength(), parameters, layerMatmul + vocabRows, bytes, readPerToken);
    }

    private static long elements(FloatMatrix m) {
        return (long) m.rows() * m.cols();
    }
}
