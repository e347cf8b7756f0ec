package io.toks.engine.model;

/**
 * What a loaded model is and where it came from, for result manifests.
 *
 * @param name       short display name
 * @param source     file path, or {@code embedded:NAME}
 * @param format     {@code gguf} or {@code llama2.c}
 * @param fileBytes  size of the model file
 * @param hash       SHA-256 of the model file, computed when first asked for ({@link #sha256()})
 * @param weightType the dominant weight type, e.g. F32
 * @param addsBos    whether a text fed to the model starts with BOS, as its file says
 *                   ({@code tokenizer.ggml.add_bos_token}; llama.cpp's default for the tokenizer
 *                   kind where it is silent: yes for SentencePiece and WordPiece, no for
 *                   byte-level BPE). llama2.c models always do. Perplexity follows it, as
 *                   llama.cpp's does.
 */
public record ModelInfo(String name, String source, String format, long fileBytes, ContentHash hash,
                        String weightType, boolean addsBos) {

    /** A model whose texts start with BOS, its hash known. */
    public ModelInfo(String name, String source, String format, long fileBytes, String sha256, String weightType) {
        this(name, source, format, fileBytes, ContentHash.known(sha256), weightType, true);
    }

    /** SHA-256 of the model file, hex: hashes the file at the first call. */
    public String sha256() {
        return hash.hex();
    }

    public ModelInfo withWeightType(String source, String weightType) {
        return new ModelInfo(name, source, format, fileBytes, hash, weightType, addsBos);
    }
}
