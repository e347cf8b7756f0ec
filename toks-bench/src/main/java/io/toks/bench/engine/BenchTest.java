package io.toks.bench.engine;

/** One llama-bench style test: {@code pp512} prefills 512 tokens, {@code tg128} generates 128. */
public record BenchTest(Kind kind, int tokens) {

    public enum Kind { PREFILL, DECODE }

    public String label() {
        return (kind == Kind.PREFILL ? "pp" : "tg") + tokens;
    }
}
