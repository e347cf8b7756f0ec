package io.toks.bench.load;

import io.toks.core.events.Usage;

/**
 * Why a server's {@code usage} for one request cannot be believed (docs/metrics.md, "Token counts
 * and their provenance"). Such a usage is not used at all: the request's counts fall back as if
 * the server had sent none, and the level counts the request under its problem.
 *
 * <p>A large count is not a problem in itself: a reasoning model counts tokens it never streams.
 * Only what no server can mean is: a count that is not a non-negative integer, or more completion
 * tokens than the {@code max_tokens} the client asked for.
 */
enum UsageProblem {
    /** A count that is negative, fractional or not a number. */
    NOT_A_COUNT("not_a_count"),
    /** More completion tokens than the request's {@code max_tokens} allowed. */
    OVER_MAX_TOKENS("over_max_tokens");

    private final String key;

    UsageProblem(String key) {
        this.key = key;
    }

    /** The name the result document counts it under. */
    String key() {
        return key;
    }

    /**
     * @param maxTokens the {@code max_tokens} the request asked for; 0 or less when it asked for none
     * @return the usage's problem, or null when it can be believed (or there is none)
     */
    static UsageProblem of(Usage usage, int maxTokens) {
        if (usage == null) return null;
        if (usage.hasInvalidCount()) return NOT_A_COUNT;
        if (maxTokens > 0 && usage.completionTokens() > maxTokens) return OVER_MAX_TOKENS;
        return null;
    }
}
