package io.toks.core.target;

/**
 * One request to a {@link Target}.
 *
 * @param id          unique within a run (a server sees it as X-Request-Id)
 * @param prompt      the prompt text
 * @param maxTokens   most tokens to generate
 * @param forceLength generate exactly {@code maxTokens}: the end-of-sequence token does not stop
 *                    it (where the target allows; benchmarks need fixed lengths)
 */
public record TargetRequest(String id, String prompt, int maxTokens, boolean forceLength) {

    public TargetRequest {
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
    }
}
