package io.toks.train;

import io.toks.train.model.ModelConfig;
import io.toks.train.optim.AdamW;
import io.toks.train.optim.LearningRateSchedule;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that decides what a training run computes, besides its data: the model's shapes,
 * the batch, the optimizer and its schedule, the seed. Two runs with equal settings on the same
 * data compute the same bits (on one thread, and on any number: no sum depends on the split).
 *
 * @param batch          sequences per step
 * @param seq            tokens per sequence
 * @param steps          optimizer steps of the whole run (the schedule's length)
 * @param learningRate   peak learning rate
 * @param minLearningRate the rate the cosine ends at
 * @param warmupSteps    steps of linear learning-rate warm-up
 * @param gradientClip   the global gradient-norm limit (0: none)
 * @param evalEvery      steps between validation losses (0: only at the end)
 * @param evalWindows    validation windows of seq tokens measured each time, at most
 */
public record TrainingSettings(ModelConfig model, int batch, int seq, int steps, double learningRate, double minLearningRate,
                               int warmupSteps, AdamW.Settings adam, double gradientClip, long seed, int evalEvery, int evalWindows) {

    public TrainingSettings {
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        if (seq < 2) throw new IllegalArgumentException("--seq must be at least 2, got " + seq);
        if (seq > model.contextLength()) throw new IllegalArgumentException("--seq " + seq + " exceeds the model's context length " + model.contextLength());
        if (steps < 1) throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        if (!(gradientClip >= 0)) throw new IllegalArgumentException("--grad-clip must be at least 0, got " + gradientClip);
        if (evalEvery < 0) throw new IllegalArgumentException("--eval-every must be at least 0, got " + evalEvery);
        if (evalWindows < 1) throw new IllegalArgumentException("--eval-windows must be at least 1, got " + evalWindows);
        new LearningRateSchedule(learningRate, minLearningRate, warmupSteps, steps); // checks the rates
    }

    public LearningRateSchedule schedule() {
        return new LearningRateSchedule(learningRate, minLearningRate, warmupSteps, steps);
    }

    /** The same settings with the schedule stretched or cut to {@code steps}. */
    public TrainingSettings withSteps(int steps) {
        return new TrainingSettings(model, batch, seq, steps, learningRate, minLearningRate, Math.min(warmupSteps, steps), adam,
                gradientClip, seed, evalEvery, evalWindows);
    }

    /** As the manifest's parameters and the optimizer state file state them. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        ModelConfig c = model;
        m.put("dim", c.dim());
        m.put("ffn", c.hiddenDim());
        m.put("layers", c.layers());
        m.put("heads", c.heads());
        m.put("kv_heads", c.kvHeads());
        m.put("vocab", c.vocabSize());
        m.put("context", c.contextLength());
        m.put("rope_theta", (double) c.ropeTheta());
        m.put("rms_eps", (double) c.rmsEps());
        m.put("tied_embeddings", c.tiedEmbeddings());
        m.put("batch", batch);
        m.put("seq", seq);
        m.put("steps", steps);
        m.put("lr", learningRate);
        m.put("min_lr", minLearningRate);
        m.put("warmup_steps", warmupSteps);
        m.put("beta1", adam.beta1());
        m.put("beta2", adam.beta2());
        m.put("adam_eps", adam.epsilon());
        m.put("weight_decay", adam.weightDecay());
        m.put("grad_clip", gradientClip);
        m.put("seed", seed);
        m.put("eval_every", evalEvery);
        m.put("eval_windows", evalWindows);
        return m;
    }

    /** {@link #asMap} as {@code key=value} lines (doubles in their exact decimal form). */
    public String toText() {
        StringBuilder s = new StringBuilder();
        asMap().forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
        return s.toString();
    }

    /** Parses {@link #toText}'s lines. */
    public static TrainingSettings fromText(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        try {
            var model = new ModelConfig(i(m, "dim"), i(m, "ffn"), i(m, "layers"), i(m, "heads"), i(m, "kv_heads"), i(m, "vocab"),
                    i(m, "context"), (float) d(m, "rope_theta"), (float) d(m, "rms_eps"), Boolean.parseBoolean(get(m, "tied_embeddings")));
            return new TrainingSettings(model, i(m, "batch"), i(m, "seq"), i(m, "steps"), d(m, "lr"), d(m, "min_lr"), i(m, "warmup_steps"),
                    new AdamW.Settings(d(m, "beta1"), d(m, "beta2"), d(m, "adam_eps"), d(m, "weight_decay")), d(m, "grad_clip"),
                    Long.parseLong(get(m, "seed")), i(m, "eval_every"), i(m, "eval_windows"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("training settings: " + e.getMessage(), e);
        }
    }

    private static String get(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) throw new IllegalArgumentException("training settings lack '" + key + "'");
        return v;
    }

    private static int i(Map<String, String> m, String key) {
        return Integer.parseInt(get(m, key));
    }

    private static double d(Map<String, String> m, String key) {
        return Double.parseDouble(get(m, key).toLowerCase(Locale.ROOT));
    }
}
