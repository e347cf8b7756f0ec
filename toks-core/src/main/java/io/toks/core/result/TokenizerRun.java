package io.toks.core.result;

import java.util.Map;

/**
 * One tokenizer over a set of text files ({@code toks count}): how much text a token is, and with
 * {@code --bench} how fast the tokenizer encodes (one thread; {@code tokenize_mb_per_s} per timed
 * pass, all samples kept).
 *
 * @param tokenizer      the name asked for (cl100k, llama3, a file ...)
 * @param implementation what encoded it (the tokenizer's kind)
 * @param files          files read
 * @param tokens         tokens of all files
 * @param chars          Unicode code points of all files
 * @param bytes          UTF-8 bytes of all files
 * @param words          whitespace-separated words of all files
 * @param vsReference    median speed / the reference tokenizer's median speed in the same run; null without one
 * @param reference      the reference tokenizer's name; null without one
 */
public record TokenizerRun(String name, String tokenizer, String implementation, int files, long tokens, long chars,
                           long bytes, long words, Double vsReference, String reference,
                           Map<Metric, MetricSummary> metrics) implements Run {

    public TokenizerRun {
        metrics = Metric.ordered(metrics);
    }

    public double charsPerToken() {
        return chars / (double) tokens;
    }

    public double tokensPerWord() {
        return tokens / (double) words;
    }
}
