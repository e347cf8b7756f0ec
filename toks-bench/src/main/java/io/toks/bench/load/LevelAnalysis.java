package io.toks.bench.load;

import io.toks.core.events.RequestMetrics;
import io.toks.core.events.Usage;
import io.toks.http.openai.StreamedCompletion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.DoubleStream;
import org.HdrHistogram.Histogram;

/**
 * Turns a {@link LevelRun} into {@link LevelMetrics}: excludes warm-up and cool-down, then applies
 * the formulas of docs/metrics.md. Pure: the same requests (live or from a journal) give the same
 * figures.
 */
public final class LevelAnalysis {

    private LevelAnalysis() {}

    /**
     * @param warmup   requests due in this first part of the level are not measured
     * @param cooldown nor those due in this last part (before the last due time)
     */
    public static LevelMetrics analyze(LevelRun run, Duration warmup, Duration cooldown, Slo slo) {
        // In due-time order: a live level lists requests as they were sent, its journal as they ended,
        // and the per-request samples kept in the document must not depend on which one is read.
        List<RequestResult> measured = window(run.results(), warmup, cooldown).stream()
                .sorted(java.util.Comparator.comparingLong(RequestResult::scheduledNanos).thenComparing(RequestResult::id)).toList();
        Histogram ttft = LatencyStats.newHistogram(), itl = LatencyStats.newHistogram(), gaps = LatencyStats.newHistogram(),
                tpot = LatencyStats.newHistogram(), e2e = LatencyStats.newHistogram(), lag = LatencyStats.newHistogram(), ttftFromSend = LatencyStats.newHistogram();
        // Per-request samples (ms, exact) beside the histograms: the document keeps them for comparisons.
        DoubleStream.Builder ttftMsSamples = DoubleStream.builder(), tpotMsSamples = DoubleStream.builder(),
                e2eMsSamples = DoubleStream.builder();
        Map<String, Integer> errors = new TreeMap<>(), sources = new TreeMap<>(), invalidUsage = new TreeMap<>();
        Map<String, String> errorMessages = new TreeMap<>();
        long firstDue = Long.MAX_VALUE, lastEnd = Long.MIN_VALUE, lastSent = Long.MIN_VALUE;
        long outputTokens = 0, promptTokens = 0, multiToken = 0, outputChars = 0, referenceTokens = 0;
        boolean allRecounted = true;
        int succeeded = 0, good = 0, unknownChunks = 0, mismatches = 0, disagreements = 0, degenerate = 0;
        for (RequestResult r : measured) {
            StreamedCompletion c = r.completion();
            firstDue = Math.min(firstDue, r.scheduledNanos());
            lastEnd = Math.max(lastEnd, c.endNanos());
            lastSent = Math.max(lastSent, c.sentNanos());
            LatencyStats.recordNanos(lag, r.sendLagNanos());
            if (!r.ok()) {
                String kind = c.error().name().toLowerCase(java.util.Locale.ROOT);
                errors.merge(kind, 1, Integer::sum);
                if (c.errorMessage() != null && !c.errorMessage().isBlank()) errorMessages.putIfAbsent(kind, oneLine(c.errorMessage()));
                continue;
            }
            succeeded++;
            sources.merge(r.outputSource().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
            outputTokens += r.outputTokens();
            outputChars += c.text().codePointCount(0, c.text().length());
            if (r.retokenized() >= 0) referenceTokens += r.retokenized();
            else allRecounted = false;
            promptTokens += promptTokens(r);
            if (r.outputTokens() != r.prompt().outputTokens()) mismatches++;
            if (DegenerateText.isDegenerate(c.text())) degenerate++;
            UsageProblem usageProblem = r.usageProblem();
            if (usageProblem != null) invalidUsage.merge(usageProblem.key(), 1, Integer::sum);
            Usage usage = r.believableUsage();
            if (usage != null && r.retokenized() >= 0 && usage.completionTokens() >= 0 && usage.completionTokens() != r.retokenized()) disagreements++;
            RequestMetrics metrics = r.metrics();
            LatencyStats.recordNanos(e2e, metrics.e2eNanos());
            e2eMsSamples.add(metrics.e2eNanos() / 1e6);
            double ttftMs = Double.NaN, tpotMs = Double.NaN;
            if (metrics.ttftNanos() >= 0) {
                LatencyStats.recordNanos(ttft, metrics.ttftNanos());
                if (c.chunks() > 0) LatencyStats.recordNanos(ttftFromSend, c.chunkNanos()[0] - c.sentNanos());
                ttftMs = metrics.ttftNanos() / 1e6;
                ttftMsSamples.add(ttftMs);
            }
            double perToken = metrics.tpotNanos();
            if (!Double.isNaN(perToken)) {
                LatencyStats.recordNanos(tpot, Math.round(perToken));
                tpotMs = perToken / 1e6;
                tpotMsSamples.add(tpotMs);
            }
            int[] perChunk = tokensPerChunk(r);
            if (perChunk == null) unknownChunks++;
            long[] t = c.chunkNanos();
            for (int i = 0; i < t.length; i++) {
                if (perChunk != null && perChunk[i] > 1) multiToken++;
                if (i == 0) continue;
                LatencyStats.recordNanos(gaps, t[i] - t[i - 1]);
                if (perChunk != null && perChunk[i] == 1) LatencyStats.recordNanos(itl, t[i] - t[i - 1]);
            }
            if (slo.isSet() && slo.met(ttftMs, tpotMs, metrics.e2eNanos() / 1e6)) good++;
        }
        double window = measured.isEmpty() ? Double.NaN : (lastEnd - firstDue) / 1e9;
        // From the first due time to the last actual send: a client that falls behind its schedule shows a lower rate.
        double achieved = measured.size() > 1 ? (measured.size() - 1) / ((lastSent - firstDue) / 1e9) : Double.NaN;
        // What the schedule itself asked of these requests: a Poisson schedule's own rate differs from the nominal one.
        long lastDue = measured.stream().mapToLong(RequestResult::scheduledNanos).max().orElse(firstDue);
        double scheduled = measured.size() > 1 && lastDue > firstDue ? (measured.size() - 1) / ((lastDue - firstDue) / 1e9) : Double.NaN;
        double target = run.shape() instanceof LoadShape.Rate rate ? rate.perSecond() : Double.NaN;
        double levelSeconds = (run.endNanos() - run.startNanos()) / 1e9;
        double cpuShare = run.clientCpuSeconds() < 0 ? Double.NaN
                : run.clientCpuSeconds() / (levelSeconds * Runtime.getRuntime().availableProcessors());
        return new LevelMetrics(run.shape(), target, scheduled, achieved, measured.size(), succeeded, errors, errorMessages, window,
                succeeded / window, outputTokens / window, (outputTokens + promptTokens) / window,
                slo.isSet() ? good / window : Double.NaN,
                LatencyStats.of(ttft, ttftMsSamples.build().toArray()), LatencyStats.of(itl), LatencyStats.of(gaps),
                LatencyStats.of(tpot, tpotMsSamples.build().toArray()), LatencyStats.of(e2e, e2eMsSamples.build().toArray()),
                LatencyStats.of(lag), LatencyStats.of(ttftFromSend), multiToken, unknownChunks, mismatches, degenerate, sources,
                disagreements, invalidUsage, cpuShare, outputChars / window,
                allRecounted && succeeded > 0 ? referenceTokens / window : Double.NaN);
    }

    /**
     * Prompt and output tokens of every request of the level that succeeded, warm-up and
     * cool-down included: the work the server did over the level's whole time (what its energy
     * is measured over).
     */
    public static long tokensProcessed(LevelRun run) {
        long tokens = 0;
        for (RequestResult r : run.results()) if (r.ok()) tokens += promptTokens(r) + r.outputTokens();
        return tokens;
    }

    /** The server's count of the prompt where it sent one that can be believed, else the client's. */
    private static int promptTokens(RequestResult r) {
        Usage usage = r.believableUsage();
        return usage != null && usage.promptTokens() >= 0 ? usage.promptTokens() : Math.max(0, r.prompt().inputTokens());
    }

    /** A server's message as one short line: an error body may be a page of HTML. */
    static String oneLine(String message) {
        String line = message.replaceAll("\\s+", " ").strip();
        return line.length() <= MESSAGE_CHARS ? line : line.substring(0, MESSAGE_CHARS) + "...";
    }

    /** Enough of a message to say what went wrong. */
    static final int MESSAGE_CHARS = 160;

    /**
     * Tokens carried by each text chunk when known: from continuous usage, or one each when the
     * chunk count equals the token count (a counted token per chunk is that assumption, stated by
     * its source). Null when the counts disagree and nobody said which chunk carried more. A server
     * whose usage is not believed is not believed per chunk either.
     */
    static int[] tokensPerChunk(RequestResult r) {
        int[] given = r.completion().chunkTokens();
        boolean allKnown = given.length > 0 && r.usageProblem() == null;
        for (int k : given) allKnown &= k >= 0;
        if (allKnown) return given;
        if (r.outputTokens() == given.length) {
            int[] ones = new int[given.length];
            java.util.Arrays.fill(ones, 1);
            return ones;
        }
        return null;
    }

    static List<RequestResult> window(List<RequestResult> all, Duration warmup, Duration cooldown) {
        if (all.isEmpty()) return all;
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (RequestResult r : all) {
            first = Math.min(first, r.scheduledNanos());
            last = Math.max(last, r.scheduledNanos());
        }
        long from = first + warmup.toNanos(), to = last - cooldown.toNanos();
        List<RequestResult> out = new ArrayList<>();
        for (RequestResult r : all) {
            if (r.scheduledNanos() >= from && r.scheduledNanos() <= to) out.add(r);
        }
        return out;
    }
}
