package io.toks.bench.estimate;

import io.toks.bench.engine.BenchPlan;
import io.toks.bench.engine.BenchProgress;
import io.toks.bench.engine.EngineBench;
import io.toks.bench.engine.Roofline;
import io.toks.core.estimate.BoundCheck;
import io.toks.core.estimate.Estimator;
import io.toks.core.estimate.HardwareLimits;
import io.toks.core.estimate.KvCacheType;
import io.toks.core.estimate.InferenceEstimate;
import io.toks.core.estimate.ModelShape;
import io.toks.core.estimate.TokenCost;
import io.toks.core.events.Clock;
import io.toks.core.result.EngineRun;
import io.toks.engine.ModelShapes;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.LlamaModel;
import java.util.List;

/**
 * Checks an estimate against the engine: runs {@code toks bench}'s tests here and sets each
 * measured rate beside the bound the estimate gives for the same shape. A rate above its bound
 * means a byte or FLOP count is wrong (or the limits were measured at a slow moment).
 */
public final class EstimateValidation {

    private EstimateValidation() {}

    /** Runs pp{@code prompt} and tg{@code gen} ({@code 0}: skipped) at {@code threads} and bounds each. */
    public static List<BoundCheck> run(LlamaModel model, HardwareLimits here, int threads, KvCacheType cache, int prompt, int gen, int repetitions,
                                BenchProgress progress) {
        BenchPlan plan = new BenchPlan(prompt > 0 ? List.of(prompt) : List.of(), gen > 0 ? List.of(gen) : List.of(),
                List.of(threads), repetitions, 1, 42, 2000, List.of(0), List.of(1), List.of(cache));
        ModelShape shape = ModelShapes.of(model);
        int batch = InferenceSession.prefillBatch(model);
        boolean inCache = !Roofline.readsFromMemory(model);
        return new EngineBench(model, Clock.SYSTEM).run(plan, progress, run -> {}).stream()
                .map(run -> new BoundCheck(run.name(), run.samplesTs().length, run.avgTs(), run.stddevTs(), bound(shape, here, run, batch),
                        inCache))
                .toList();
    }

    static InferenceEstimate.Bound bound(ModelShape shape, HardwareLimits here, EngineRun run, int batch) {
        if (run.prefill()) return Estimator.prefill(shape, here, Roofline.cacheOf(run), run.nPrompt(), batch, run.nDepth());
        return Estimator.decode(shape, here, Roofline.cacheOf(run), 1, TokenCost.averageContext(run.nDepth(), run.nGen()));
    }
}
