package io.toks.core.result;

import com.fasterxml.jackson.annotation.JsonValue;

/** The unit a metric is stated in; its symbol is what the result document and tables print. */
public enum Unit {
    TOKENS_PER_SECOND("tok/s"),
    REQUESTS_PER_SECOND("req/s"),
    CHARS_PER_SECOND("chars/s"),
    MILLISECONDS("ms"),
    MEGABYTES_PER_SECOND("MB/s"),
    GIGABYTES_PER_SECOND("GB/s"),
    GIGAFLOPS("GFLOP/s"),
    /** A fraction of a limit, 1.0 = the limit. */
    SHARE("share");

    private final String symbol;

    Unit(String symbol) {
        this.symbol = symbol;
    }

    @JsonValue
    public String symbol() {
        return symbol;
    }

    @Override
    public String toString() {
        return symbol;
    }
}
