package io.toks.samples;

import io.toks.core.meter.TokenMeter;
import io.toks.core.meter.TokenStats;
import io.toks.core.result.ResultJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Sample 01: a meter around a generation loop.
 *
 * <p>The simplest use of {@link TokenMeter}: your code runs a model in a loop, one token per
 * step, and you want to know its tokens per second the way toks measures them: time to first
 * token, the gaps between tokens, decode tok/s per call, throughput over all calls, with the
 * spread and confidence of each. Here the "model" is a stand-in that multiplies a matrix by a
 * vector per token, so the sample runs anywhere in a second; put your own model in its place.
 *
 * <p>What to look at:
 * <ol>
 *   <li>{@code meter.start(promptTokens)} when the request begins, {@code call.prefillDone()}
 *       when the prompt is processed, {@code call.tokens(1)} after each generated token, and
 *       the end of the try block (close) when the call is over. Nothing else to wire.</li>
 *   <li>{@code meter.trainStep(tokens)} after each training step: training tok/s, a sample per step.</li>
 *   <li>{@code meter.stats()} for the figures in your code, {@code meter.result()} for the
 *       result document {@code toks report} and {@code toks compare} read.</li>
 * </ol>
 *
 * <p>Run: {@code java -cp toks-samples/target/toks-samples.jar io.toks.samples.Sample01_MeterInALoop [OUT.json]}
 */
public class Sample01_MeterInALoop {

    static final int CALLS = 8;
    static final int PROMPT_TOKENS = 24;
    static final int OUTPUT_TOKENS = 32;
    static final int TRAIN_STEPS = 5;
    static final int TOKENS_PER_STEP = 4 * 64; // a batch of 4 sequences of 64 tokens
    static final int WARMUP_TOKENS = 2000;

    public static void main(String[] args) throws IOException {
        StandInModel model = new StandInModel(256, 42);

        // Warm up before measuring: the JIT compiles the loop during the first calls, which would
        // otherwise be the slowest of the run and widen every interval.
        for (int i = 0; i < WARMUP_TOKENS; i++) model.nextToken();

        // One meter per model. It is thread-safe: share it between every thread that calls the model.
        // Made right before the loops: the first training step is timed from here.
        TokenMeter meter = TokenMeter.create("stand-in-256");

        // Training loops report each step as it ends; its time runs from the previous step's end.
        for (int step = 0; step < TRAIN_STEPS; step++) {
            model.prefill(TOKENS_PER_STEP);     // stands in for forward + backward over the batch
            meter.trainStep(TOKENS_PER_STEP);
        }

        for (int request = 0; request < CALLS; request++) {
            // try-with-resources: the call ends (and is counted) when the block does, whatever happens inside.
            try (TokenMeter.Call call = meter.start(PROMPT_TOKENS)) {
                model.prefill(PROMPT_TOKENS);
                call.prefillDone();             // optional: only in-process code can see the end of prefill
                for (int i = 0; i < OUTPUT_TOKENS; i++) {
                    model.nextToken();
                    call.tokens(1);             // a token arrived now: no lock, no allocation
                }
            }
        }

        TokenStats stats = meter.stats();
        System.out.println(stats);              // every figure, for people; or take them one by one:
        System.out.printf(Locale.ROOT, "decode: %.0f tok/s per call on average; output: %.0f tok/s over all %d calls%n",
                stats.decodeTps().mean(), stats.outputTps(), stats.calls());

        if (args.length > 0) {
            // The result document toks writes: open it with `./toks report FILE.json -o report.html`,
            // or compare two runs with `./toks compare before.json after.json`.
            Path out = Path.of(args[0]);
            Files.writeString(out, ResultJson.write(meter.result()));
            System.out.println("wrote " + out);
        }
    }

    /**
     * Stands in for a model: each token is a matrix-vector product over a {@code dim x dim}
     * matrix (as a decode step reads its weights) and an argmax; prefill is one per prompt token.
     */
    static final class StandInModel {

        private final int dim;
        private final float[] weights;
        private final float[] state;
        private final float[] next;

        StandInModel(int dim, long seed) {
            this.dim = dim;
            SplittableRandom random = new SplittableRandom(seed);
            weights = new float[dim * dim];
            for (int i = 0; i < weights.length; i++) weights[i] = (float) (random.nextDouble() - 0.5);
            state = new float[dim];
            next = new float[dim];
            state[0] = 1;
        }

        void prefill(int tokens) {
            for (int t = 0; t < tokens; t++) nextToken();
        }

        /** One step: state = normalize(weights x state); the "token" is the index of the largest value. */
        int nextToken() {
            int best = 0;
            float norm = 0;
            for (int row = 0; row < dim; row++) {
                float sum = 0;
                for (int col = 0; col < dim; col++) sum += weights[row * dim + col] * state[col];
                next[row] = sum;
                norm += sum * sum;
                if (sum > next[best]) best = row;
            }
            float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 1;
            for (int i = 0; i < dim; i++) state[i] = next[i] * scale;
            return best;
        }
    }
}
