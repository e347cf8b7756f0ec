package io.toks.bench.engine;

/**
 * One llama-bench style test: {@code pp512} prefills 512 tokens, {@code tg128} generates 128;
 * at a depth ({@code pp512 @ d4096}) that many tokens are in the KV cache first, untimed. With
 * {@code sequences} above 1 (llama-batched-bench's B) that many sequences run together in one
 * engine, each with its own KV cache: B prompts of {@code tokens} tokens, or {@code tokens} decode
 * steps of one token for every sequence.
 */
public record BenchTest(Kind kind, int tokens, int depth, int sequences) {

    public enum Kind { PREFILL, DECODE }

    public BenchTest {
        if (depth < 0) throw new IllegalArgumentException("depth must be >= 0, got " + depth);
        if (sequences < 1) throw new IllegalArgumentException("sequences must be >= 1, got " + sequences);
    }

    /** One sequence at a depth. */
    public BenchTest(Kind kind, int tokens, int depth) {
        this(kind, tokens, depth, 1);
    }

    /** A test on an empty context. */
    public BenchTest(Kind kind, int tokens) {
        this(kind, tokens, 0);
    }

    /** llama-bench's name: {@code tg128}, or {@code tg128 @ d4096} at a depth; the sequences are a field of their own. */
    public String label() {
        return (kind == Kind.PREFILL ? "pp" : "tg") + tokens + (depth > 0 ? " @ d" + depth : "");
    }

    /** The label with the sequences where there are several ({@code tg128 B=4}), for progress lines. */
    public String description() {
        return label() + (sequences > 1 ? " B=" + sequences : "");
    }

    /** Tokens of all sequences together. */
    public int allTokens() {
        return tokens * sequences;
    }
}
