package io.toks.engine.model;

/**
 * What a loaded model is and where it came from, for result manifests.
 *
 * @param name       short display name
 * @param source     file path, or {@code embedded:NAME}
 * @param format     {@code gguf} or {@code llama2.c}
 * @param fileBytes  size of the model file
 * @param sha256     SHA-256 of the model file, hex
 * @param weightType the dominant weight type, e.g. F32
 * @param addsBos    whether a text fed to the model starts with BOS, as its file says
 *                   ({@code tokenizer.ggml.add_bos_token}; llama.cpp's default for the tokenizer
 *                   kind where it is silent: yes for SentencePiece and WordPiece, no for
 *                   byte-level BPE). llama2.c models always do. Perplexity follows it, as
 *                   llama.cpp's does.
 */
public record ModelInfo(String name, String source, String format, long fileBytes, String sha256,
                        String weightType, boolean addsBos) {

    /** A model whose texts start with BOS. */
    public ModelInfo(String name, String source, String format, long fileBytes, String sha256, String weightType) {
        this(name, source, format, fileBytes, sha256, weightType, true);
    }

    public ModelInfo withWeightType(String source, String weightType) {
        return new ModelInfo(name, source, format, fileBytes, sha256, weightType, addsBos);
    }
}
