package io.toks.bench.engine;

/**
 * One llama-bench style test: {@code pp512} prefills 512 tokens, {@code tg128} generates 128;
 * at a depth ({@code pp512 @ d4096}) that many tokens are in the KV cache first, untimed.
 */
public record BenchTest(Kind kind, int tokens, int depth) {

    public enum Kind { PREFILL, DECODE }

    public BenchTest {
        if (depth < 0) throw new IllegalArgumentException("depth must be >= 0, got " + depth);
    }

    /** A test on an empty context. */
    public BenchTest(Kind kind, int tokens) {
        this(kind, tokens, 0);
    }

    /** llama-bench's name: {@code tg128}, or {@code tg128 @ d4096} at a depth. */
    public String label() {
        return (kind == Kind.PREFILL ? "pp" : "tg") + tokens + (depth > 0 ? " @ d" + depth : "");
    }
}
