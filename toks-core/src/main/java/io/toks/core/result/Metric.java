package io.toks.core.result;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every metric a result document can carry, one name each: docs/metrics.md defines them under
 * the same names (a test keeps the two in step). The JSON key of a metric is {@link #key()}.
 */
public enum Metric {
    /** Prompt tokens / prefill time (llama-bench's ppN t/s). */
    PREFILL_TPS(Unit.TOKENS_PER_SECOND),
    /** Generated tokens / their decode time (llama-bench's tgN t/s; per request: (n - 1) / first-to-last). */
    DECODE_TPS(Unit.TOKENS_PER_SECOND),
    /** Generated tokens of all sequences decoded together / the decode time (llama-batched-bench's S_TG). */
    AGGREGATE_DECODE_TPS(Unit.TOKENS_PER_SECOND),
    TTFT(Unit.MILLISECONDS),
    ITL(Unit.MILLISECONDS),
    /** Gaps between consecutive text-carrying stream messages, whatever they carried. */
    CHUNK_GAP(Unit.MILLISECONDS),
    TPOT(Unit.MILLISECONDS),
    E2E(Unit.MILLISECONDS),
    /** Actual send time - due time (client health). */
    SEND_LAG(Unit.MILLISECONDS),
    /**
     * First generated token time - actual send time: what the server (and the network) took,
     * without the client's own lag; {@code ttft} counts from the due time and includes it.
     */
    TTFT_FROM_SEND(Unit.MILLISECONDS),
    REQUEST_THROUGHPUT(Unit.REQUESTS_PER_SECOND),
    OUTPUT_TPS(Unit.TOKENS_PER_SECOND),
    TOTAL_TPS(Unit.TOKENS_PER_SECOND),
    GOODPUT(Unit.REQUESTS_PER_SECOND),
    /** output_tps / the devices the server runs on (as given with --target-hardware): tok/s per GPU. */
    OUTPUT_TPS_PER_DEVICE(Unit.TOKENS_PER_SECOND),
    /** output_tps / (devices x their spec-sheet TDP): tokens per joule if the devices drew their TDP; not measured power. */
    OUTPUT_TPS_PER_TDP_WATT(Unit.TOKENS_PER_JOULE),
    /** Generated text in Unicode code points / window: independent of the model's tokenizer. */
    OUTPUT_CHARS_PER_S(Unit.CHARS_PER_SECOND),
    /** Generated text re-counted by the client's reference tokenizer / window. */
    REFERENCE_TPS(Unit.TOKENS_PER_SECOND),
    /** Share of the memory-bandwidth limit (model bandwidth utilization). */
    MBU(Unit.SHARE),
    /** Share of the peak-FLOPs limit (model FLOPs utilization). */
    MFU(Unit.SHARE),
    /** Tokenizer speed: input bytes / encoding time. */
    TOKENIZE_MB_PER_S(Unit.MEGABYTES_PER_SECOND),
    /** Tokenizer speed: tokens produced / encoding time. */
    TOKENIZE_TPS(Unit.TOKENS_PER_SECOND),
    /** Memory read bandwidth of the machine (toks hw). */
    READ_BANDWIDTH(Unit.GIGABYTES_PER_SECOND),
    /** Peak FP32 fused multiply-add throughput of the machine (toks hw). */
    PEAK_FMA(Unit.GIGAFLOPS),
    /** Peak BF16 dot-product throughput of the machine (toks hw; AVX-512 BF16 VDPBF16PS where the CPU has it). */
    PEAK_BF16_DOT(Unit.GIGAFLOPS),
    /** Peak int8 dot-product throughput of the machine (toks hw; AVX-512 VNNI / AVX-VNNI VPDPBUSD where the CPU has it). */
    PEAK_INT8_DOT(Unit.GIGAOPS),
    /** Energy drawn while the measured work ran (RAPL counters and/or nvidia-smi), idle power not subtracted. */
    ENERGY(Unit.JOULES),
    /** Energy / the time it was drawn over. */
    AVERAGE_POWER(Unit.WATTS),
    /** Power drawn with nothing measured running, sampled before the run (reported apart, never subtracted silently). */
    IDLE_POWER(Unit.WATTS),
    /** Energy - idle power x the time it was drawn over: what the work drew beyond an idle machine. */
    ENERGY_ABOVE_IDLE(Unit.JOULES),
    /** Tokens processed / energy drawn while processing them. */
    TOKENS_PER_JOULE(Unit.TOKENS_PER_JOULE),
    /**
     * Training tokens (never padding) / the time of the steps that trained on them (forward,
     * backward, optimizer step); a sample per step (toks train's steady state, TokenMeter.trainStep).
     */
    TRAIN_TPS(Unit.TOKENS_PER_SECOND),
    /** Mean cross-entropy of the training batches (natural log). */
    TRAIN_LOSS(Unit.NATS),
    /** Mean cross-entropy on the held-out validation split. */
    VALIDATION_LOSS(Unit.NATS),
    /** exp(mean negative log-likelihood) of the scored tokens of a text (toks perplexity, llama.cpp's method). */
    PERPLEXITY(Unit.PERPLEXITY),
    /** Per scored position: KL(reference || model) of the next-token distributions. */
    KL_DIVERGENCE(Unit.NATS),
    /** Share of scored positions where the model's most likely token is the reference's. */
    TOP1_AGREEMENT(Unit.SHARE),
    /** Root mean square of (model - reference) probability of the actual next token. */
    RMS_DELTA_P(Unit.PROBABILITY),
    /** Perplexity of the model - perplexity of the reference on the same tokens. */
    DELTA_PERPLEXITY(Unit.PERPLEXITY);

    private final Unit unit;

    Metric(Unit unit) {
        this.unit = unit;
    }

    public Unit unit() {
        return unit;
    }

    /** Which way this metric improves (from its unit: rates up, latencies down). */
    public Direction direction() {
        return unit.direction();
    }

    /** The name in JSON, CSV and docs/metrics.md: {@code prefill_tps}, {@code ttft}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The metric named {@code key}; IllegalArgumentException naming the known ones otherwise. */
    public static Metric ofKey(String key) {
        for (Metric m : values()) if (m.key().equals(key)) return m;
        throw new IllegalArgumentException("unknown metric '" + key + "' (known: "
                + String.join(", ", java.util.Arrays.stream(values()).map(Metric::key).toList()) + ")");
    }

    /** An unmodifiable copy of {@code metrics} in this enum's order (the order documents print them in). */
    public static Map<Metric, MetricSummary> ordered(Map<Metric, MetricSummary> metrics) {
        EnumMap<Metric, MetricSummary> copy = new EnumMap<>(Metric.class);
        copy.putAll(metrics);
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public String toString() {
        return key();
    }
}
