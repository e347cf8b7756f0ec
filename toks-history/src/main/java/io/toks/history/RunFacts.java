package io.toks.history;

import io.toks.core.manifest.Manifest;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.EngineRun;
import io.toks.core.result.HardwareRun;
import io.toks.core.result.QualityRun;
import io.toks.core.result.LoadRun;
import io.toks.core.result.MeterRun;
import io.toks.core.result.Metric;
import io.toks.core.result.Run;
import io.toks.core.result.TokenizerRun;
import io.toks.core.result.TrainingRun;

/**
 * The columns a stored run is filtered and listed by, read from the run (and, for a load run,
 * the model its manifest names): its kind, test (with {@code B=N} for N sequences run together), model, weight type, kernels, threads, and its
 * headline metric, the one figure a list shows for it.
 */
record RunFacts(String kind, String name, String model, String modelType, String kernels, Integer threads, Metric headline) {

    static RunFacts of(Run run, Manifest manifest) {
        return switch (run) {
            // Sequences run together (toks bench -B) join the test's name, so a series or a --test filter never mixes batch sizes.
            case EngineRun e -> new RunFacts("engine", e.nParallel() > 1 ? e.name() + " B=" + e.nParallel() : e.name(), e.model(),
                    e.modelType(), e.kernels(), e.nThreads(), e.headline());
            case LoadRun l -> new RunFacts("load", l.name(), serverModel(manifest), null, null, null, Metric.OUTPUT_TPS);
            case TokenizerRun t -> new RunFacts("tokenizer", t.name(), null, null, null, null, Metric.TOKENIZE_MB_PER_S);
            case HardwareRun h -> new RunFacts("hardware", h.name(), null, null, null, h.threads(), Metric.READ_BANDWIDTH);
            case QualityRun q -> new RunFacts("quality", q.name(), q.model(), q.modelType(), q.kernels(), q.nThreads(), Metric.PERPLEXITY);
            // A meter that only timed training steps has no output_tps: its headline is train_tps.
            case MeterRun m -> new RunFacts("meter", m.name(), m.model(), null, null, null,
                    m.succeeded() == 0 && m.trainSteps() > 0 ? Metric.TRAIN_TPS : Metric.OUTPUT_TPS);
            case TrainingRun t -> new RunFacts("training", t.name(), t.model(), "F32", "java", t.nThreads(), Metric.TRAIN_TPS);
        };
    }

    /** The model a document measured, for its row: the engine's models or the server's, else null. */
    static String documentModel(Manifest manifest) {
        if (manifest == null) return null;
        return switch (manifest.target()) {
            case TargetFacts.Engine e when !e.models().isEmpty() ->
                    String.join(", ", e.models().stream().map(m -> m.name() + (m.weightType() == null ? "" : " " + m.weightType())).toList());
            case TargetFacts.Server s -> s.model();
            case null, default -> null;
        };
    }

    private static String serverModel(Manifest manifest) {
        return manifest != null && manifest.target() instanceof TargetFacts.Server s ? s.model() : null;
    }
}
