package io.toks.core.meter;

import io.toks.core.events.Clock;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.Manifest;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.Unit;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link TokenMeter}: calls record their tokens on their own (lock-free), fold into the
 * {@link CallLedger} when they close and return their trace to the {@link TracePool}; training
 * steps go to the {@link TrainingLedger}. Figures are computed when asked, from copies.
 */
final class ConcurrentTokenMeter implements TokenMeter {

    private final String model;
    private final Clock clock;
    private final String createdAt = Instant.now().toString();
    private final TracePool traces = new TracePool();
    private final CallLedger ledger = new CallLedger();
    private final TrainingLedger training;
    private final AtomicLong started = new AtomicLong();

    ConcurrentTokenMeter(String model, Clock clock) {
        if (model == null || model.isBlank()) throw new IllegalArgumentException("model must be named, not " + (model == null ? "null" : "blank"));
        if (clock == null) throw new IllegalArgumentException("clock must not be null (TokenMeter.create(model) uses System.nanoTime)");
        this.model = model;
        this.clock = clock;
        this.training = new TrainingLedger(clock.nanoTime());
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public Call start(int promptTokens) {
        if (promptTokens < 0) throw new IllegalArgumentException("promptTokens must be >= 0, not " + promptTokens);
        started.incrementAndGet();
        return new MeteredCall(this, clock, traces.take(), promptTokens);
    }

    /** A call closed: counted, then its trace lent to the next call. */
    void finish(FinishedCall call) {
        ledger.add(call);
        traces.give(call.trace());
    }

    @Override
    public void trainStep(long tokens) {
        if (tokens < 1) throw new IllegalArgumentException("tokens must be >= 1, not " + tokens);
        training.step(tokens, clock);
    }

    @Override
    public TokenStats stats() {
        CallLedger.Snapshot c = ledger.snapshot();
        TrainingLedger.Snapshot t = training.snapshot();
        // Finished is read before started: every finished call had started, so none is counted in flight twice.
        long inFlight = Math.max(0, started.get() - c.calls());
        Map<Metric, MetricSummary> metrics = new EnumMap<>(Metric.class);
        if (c.succeeded() > 0) {
            double window = c.windowSeconds();
            metrics.put(Metric.OUTPUT_TPS, MetricSummary.single(Unit.TOKENS_PER_SECOND, perSecond(c.outputTokens(), window)));
            metrics.put(Metric.TOTAL_TPS, MetricSummary.single(Unit.TOKENS_PER_SECOND, perSecond(c.outputTokens() + c.promptTokens(), window)));
            metrics.put(Metric.REQUEST_THROUGHPUT, MetricSummary.single(Unit.REQUESTS_PER_SECOND, perSecond(c.succeeded(), window)));
        }
        put(metrics, Metric.DECODE_TPS, Summaries.rate(c.decodeTps()));
        put(metrics, Metric.PREFILL_TPS, Summaries.rate(c.prefillTps()));
        put(metrics, Metric.TTFT, Summaries.latency(c.ttftMs()));
        put(metrics, Metric.ITL, c.itl());
        put(metrics, Metric.CHUNK_GAP, c.chunkGap());
        put(metrics, Metric.TPOT, Summaries.latency(c.tpotMs()));
        put(metrics, Metric.E2E, Summaries.latency(c.e2eMs()));
        put(metrics, Metric.TRAIN_TPS, Summaries.rate(t.stepRates()));
        return new TokenStats(model, c.calls(), c.succeeded(), c.failed(), inFlight, c.promptTokens(), c.outputTokens(), c.sources(),
                c.disagreements(), c.chunks(), c.multiTokenChunks(), c.windowSeconds(), t.steps(), t.tokens(), t.seconds(), metrics);
    }

    @Override
    public ResultDocument result() {
        TokenStats stats = stats();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("model", model);
        parameters.put("clock", clock == Clock.SYSTEM ? "System.nanoTime" : "custom");
        Manifest now = MachineFacts.manifest(null, parameters);
        // The measurement began when the meter was made, not when its result was asked for.
        Manifest manifest = new Manifest(now.toks(), createdAt, now.machine(), now.jvm(), null, now.parameters());
        return ResultDocument.of("meter", manifest, List.of(stats.toRun()));
    }

    private static double perSecond(double count, double seconds) {
        return seconds > 0 ? count / seconds : Double.NaN;
    }

    private static void put(Map<Metric, MetricSummary> metrics, Metric metric, MetricSummary summary) {
        if (summary != null) metrics.put(metric, summary);
    }
}
