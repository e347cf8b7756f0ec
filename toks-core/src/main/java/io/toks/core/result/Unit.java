package io.toks.core.result;

import com.fasterxml.jackson.annotation.JsonValue;

/** The unit a metric is stated in; its symbol is what the result document and tables print. */
public enum Unit {
    TOKENS_PER_SECOND("tok/s", Direction.HIGHER_IS_FASTER),
    REQUESTS_PER_SECOND("req/s", Direction.HIGHER_IS_FASTER),
    CHARS_PER_SECOND("chars/s", Direction.HIGHER_IS_FASTER),
    MILLISECONDS("ms", Direction.LOWER_IS_BETTER),
    MEGABYTES_PER_SECOND("MB/s", Direction.HIGHER_IS_FASTER),
    GIGABYTES_PER_SECOND("GB/s", Direction.HIGHER_IS_FASTER),
    GIGAFLOPS("GFLOP/s", Direction.HIGHER_IS_FASTER),
    /** Integer operations (an int8 multiply-add counts 2) per second, in 10^9. */
    GIGAOPS("GOP/s", Direction.HIGHER_IS_FASTER),
    /** Energy drawn. */
    JOULES("J", Direction.LOWER_IS_BETTER),
    /** Average power drawn. */
    WATTS("W", Direction.LOWER_IS_BETTER),
    /** Tokens per joule of energy drawn: energy efficiency. */
    TOKENS_PER_JOULE("tok/J", Direction.HIGHER_IS_BETTER),
    /** A fraction of a limit, 1.0 = the limit. */
    SHARE("share", Direction.HIGHER_IS_BETTER),
    /** Perplexity: exp of the mean negative log-likelihood per token; 1 would be certainty. */
    PERPLEXITY("ppl", Direction.LOWER_IS_BETTER),
    /** Information in natural-log units (a KL divergence, a negative log-likelihood). */
    NATS("nats", Direction.LOWER_IS_BETTER),
    /** A difference of probabilities (0..1). */
    PROBABILITY("prob", Direction.LOWER_IS_BETTER);

    private final String symbol;
    private final Direction direction;

    Unit(String symbol, Direction direction) {
        this.symbol = symbol;
        this.direction = direction;
    }

    /** Which way a quantity in this unit improves: every rate up, every latency down. */
    public Direction direction() {
        return direction;
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
