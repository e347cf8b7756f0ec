package io.toks.bench.load;

import io.toks.bench.energy.EnergyMonitor;
import io.toks.bench.energy.EnergyTally;
import io.toks.core.result.LoadRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Runs the levels of a load test one after another, journals them, and, for a sweep, searches
 * for the highest load whose requests still meet the SLO.
 */
public final class LoadSession {

    /**
     * @param levels      offered loads, run in this order (a sweep sorts them ascending)
     * @param sloTarget   share of requests that must meet the SLO for a level to pass a sweep
     */
    public record Plan(List<LoadShape> levels, RunLength length, Duration warmup, Duration cooldown, Slo slo,
                       boolean sweep, double sloTarget) {}

    /**
     * The outcome: every level measured, each with its SLO verdict; a sweep's answer is the
     * highest level whose {@code sloMet} is true.
     */
    public record Outcome(List<LoadRun> levels) {}

    /** Extra levels a sweep tries between the last passing and the first failing one. */
    static final int BISECTION_STEPS = 3;

    private final LoadRunner runner;
    private final RequestJournal journal;
    private final Consumer<LoadRun> onLevel;
    private final BiConsumer<LoadShape, RunLength> onLevelStart;
    private final EnergyMonitor energy;

    /**
     * @param journal null for none
     * @param onLevel told about each level as soon as it is measured
     */
    public LoadSession(LoadRunner runner, RequestJournal journal, Consumer<LoadRun> onLevel) {
        this(runner, journal, (shape, length) -> {}, onLevel);
    }

    /** @param onLevelStart told when each level begins (a progress display) */
    public LoadSession(LoadRunner runner, RequestJournal journal, BiConsumer<LoadShape, RunLength> onLevelStart,
                       Consumer<LoadRun> onLevel) {
        this(runner, journal, onLevelStart, onLevel, EnergyMonitor.off("not asked for"));
    }

    /**
     * @param energy where measuring, each level also states the energy this machine drew over the
     *               whole level (warm-up and cool-down included) and its prompt and output tokens per joule
     */
    public LoadSession(LoadRunner runner, RequestJournal journal, BiConsumer<LoadShape, RunLength> onLevelStart,
                       Consumer<LoadRun> onLevel, EnergyMonitor energy) {
        this.runner = runner;
        this.journal = journal;
        this.onLevelStart = onLevelStart;
        this.onLevel = onLevel;
        this.energy = energy;
    }

    public Outcome run(Plan plan) {
        List<LoadRun> done = new ArrayList<>();
        if (!plan.sweep()) {
            for (LoadShape s : plan.levels()) done.add(measure(s, plan));
            return new Outcome(done);
        }
        List<LoadShape> ascending = new ArrayList<>(plan.levels());
        ascending.sort((a, b) -> Double.compare(a.level(), b.level()));
        LoadShape lastPass = null, firstFail = null;
        for (LoadShape s : ascending) {
            LoadRun m = measure(s, plan);
            done.add(m);
            if (Boolean.TRUE.equals(m.sloMet())) {
                lastPass = s;
            } else {
                firstFail = s;
                break;
            }
        }
        for (int step = 0; firstFail != null && step < BISECTION_STEPS; step++) {
            LoadShape mid = between(lastPass, firstFail);
            if (mid == null) break;
            LoadRun m = measure(mid, plan);
            done.add(m);
            if (Boolean.TRUE.equals(m.sloMet())) {
                lastPass = mid;
            } else {
                firstFail = mid;
            }
        }
        return new Outcome(done);
    }

    private LoadRun measure(LoadShape shape, Plan plan) {
        onLevelStart.accept(shape, plan.length());
        if (journal != null) journal.levelStart(shape, System.nanoTime());
        EnergyTally drawn = energy.tally();
        drawn.begin();
        LevelRun run = runner.run(shape, plan.length());
        drawn.end();
        if (journal != null) journal.levelEnd(run);
        LoadRun m = summarize(run, plan).withMetrics(energy.metrics(drawn.total(), LevelAnalysis.tokensProcessed(run)));
        onLevel.accept(m);
        return m;
    }

    /** A level's figures as the result document states them, with its SLO verdict. */
    public static LoadRun summarize(LevelRun run, Plan plan) {
        LevelMetrics m = LevelAnalysis.analyze(run, plan.warmup(), plan.cooldown(), plan.slo());
        return m.toRun(plan.slo().isSet() ? passes(m, plan) : null);
    }

    /** A level passes when the share of its requests meeting the SLO reaches the target. */
    static boolean passes(LevelMetrics m, Plan plan) {
        if (m.measured() == 0) return false;
        double good = m.goodput() * m.windowSeconds();
        return good >= plan.sloTarget() * m.measured();
    }

    /** The load halfway between two levels of the same kind; null when none is left between them. */
    static LoadShape between(LoadShape low, LoadShape high) {
        return switch (high) {
            case LoadShape.Concurrency h -> {
                int lo = low == null ? 0 : ((LoadShape.Concurrency) low).streams();
                int mid = (lo + h.streams()) / 2;
                yield mid <= lo || mid >= h.streams() ? null : new LoadShape.Concurrency(mid);
            }
            case LoadShape.Rate h -> {
                double lo = low == null ? 0 : ((LoadShape.Rate) low).perSecond();
                double mid = Math.round((lo + h.perSecond()) / 2 * 100) / 100.0;
                yield mid <= lo || mid >= h.perSecond() ? null : new LoadShape.Rate(mid, h.arrival());
            }
        };
    }
}
