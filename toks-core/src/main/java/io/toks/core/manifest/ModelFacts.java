package io.toks.core.manifest;

/**
 * What a measured model is and where it came from.
 *
 * @param name              model name
 * @param source            file path, {@code embedded:NAME} or {@code synthetic:PRESET:TYPE}
 * @param format            gguf, llama2c, synthetic
 * @param fileBytes         size of the file (0 for models built in memory)
 * @param sha256            hash of the file's bytes, or null when there is no file
 * @param weightType        dominant weight type, e.g. Q4_0
 * @param params            number of weights
 * @param weightBytes       bytes of weights
 * @param bytesReadPerToken weight bytes a decode step reads
 * @param contextLength     positions the model supports
 * @param textDensity       its tokenizer's density on the reference text; null if it cannot encode text
 */
public record ModelFacts(String name, String source, String format, long fileBytes, String sha256, String weightType,
                         long params, long weightBytes, long bytesReadPerToken, int contextLength, TextDensity textDensity) {

    /**
     * @param text                   the reference text's name
     * @param referenceTokenizer     the tokenizer the second ratio is against
     * @param charsPerToken          Unicode code points per model token
     * @param referenceTokensPerToken reference-tokenizer tokens per model token
     */
    public record TextDensity(String text, String referenceTokenizer, double charsPerToken, double referenceTokensPerToken) {}
}
