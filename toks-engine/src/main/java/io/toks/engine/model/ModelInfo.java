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
 */
public record ModelInfo(String name, String source, String format, long fileBytes, String sha256,
                        String weightType) {
}
