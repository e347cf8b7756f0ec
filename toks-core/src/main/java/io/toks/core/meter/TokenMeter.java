package io.toks.core.meter;

import io.toks.core.events.Clock;
import io.toks.core.result.ResultDocument;

/**
 * Measures tokens per second inside a program's own code: each call to a model is timed where it
 * happens (request sent, each token or chunk, end), training steps as they end, and the figures
 * come out as {@link TokenStats} or as the result document every toks command writes, which
 * {@code toks report} and {@code toks compare} read. docs/library.md shows the use;
 * docs/metrics.md ("In your own code") defines every figure.
 *
 * <pre>{@code
 * TokenMeter meter = TokenMeter.create("my-model");
 * try (TokenMeter.Call call = meter.start(promptTokens)) {   // the request is sent now
 *     for (Chunk c : stream) call.tokens(c.tokens());          // each chunk as it arrives
 *     call.usage(promptTokens, outputTokens);                 // the server's counts, where it gave them
 * }                                                           // closed: the call finished now
 * System.out.println(meter.stats());
 * Files.writeString(Path.of("meter.json"), ResultJson.write(meter.result()));
 * }</pre>
 *
 * <p><b>Guarantees.</b> A meter is thread-safe: any number of threads may start calls, report
 * training steps and read statistics at once. A {@link Call} belongs to one thread at a time (as
 * a request does); it may be handed to another thread through anything that orders memory (an
 * executor, a queue). Recording a token ({@link Call#tokens}, {@link Call#firstToken}) reads the
 * clock and writes into arrays kept for the call: no lock, no allocation once the meter has seen
 * a call as long (calls reuse the arrays of finished ones), so measuring does not disturb a
 * decode loop. Starting and closing a call allocate a little and take a short lock. Times come
 * from one monotonic nanosecond {@link Clock}, {@code System.nanoTime} unless another is given.
 */
public sealed interface TokenMeter permits ConcurrentTokenMeter {

    /** A meter of calls to {@code model} timed with {@code System.nanoTime}. */
    static TokenMeter create(String model) {
        return create(model, Clock.SYSTEM);
    }

    /**
     * A meter of calls to {@code model} timed with {@code clock} (a test's fake clock, or a clock
     * shared with other measurements).
     *
     * @throws IllegalArgumentException when the model is unnamed or the clock missing
     */
    static TokenMeter create(String model, Clock clock) {
        return new ConcurrentTokenMeter(model, clock);
    }

    /** The model's name, as given. */
    String model();

    /**
     * A call begins: its request is sent now.
     *
     * @param promptTokens the prompt's tokens as the program counts them ({@link Call#usage} may correct it)
     * @throws IllegalArgumentException when {@code promptTokens} is negative
     */
    Call start(int promptTokens);

    /**
     * A training step of {@code tokens} tokens ended now: it took the time since the previous
     * step ended (the first: since the meter was created).
     *
     * @throws IllegalArgumentException when {@code tokens} is below 1
     */
    void trainStep(long tokens);

    /** Every figure so far, of the calls finished and the steps reported. */
    TokenStats stats();

    /** The same figures as a result document (command {@code meter}, one {@code meter} run). */
    ResultDocument result();

    /**
     * One call to the model, from {@link TokenMeter#start} (sent) to {@link #close} (finished).
     * Counts are increments: each {@link #tokens} call adds what one chunk carried.
     */
    sealed interface Call extends AutoCloseable permits MeteredCall {

        /**
         * The prompt has been processed (prefill done) now. Optional: only code that runs the
         * model in process sees this; it gives {@code prefill_tps}.
         */
        void prefillDone();

        /** The first generated token arrived now: {@code tokens(1)} as the first arrival. */
        void firstToken();

        /**
         * A chunk of {@code count} generated tokens arrived now (one streamed message, one decode
         * step). The first arrival is the first token's time. A chunk of several tokens is kept
         * out of inter-token latency: its gap is not one token's.
         *
         * @throws IllegalArgumentException when {@code count} is below 1
         */
        void tokens(int count);

        /**
         * The counts the server reported ({@code usage} in the OpenAI API): they replace the
         * program's counts for this call, and the result says so.
         *
         * @throws IllegalArgumentException when a count is negative
         */
        void usage(int promptTokens, int outputTokens);

        /** The call failed: it counts as failed, and in no latency or token figure. */
        void failed();

        /** The call finished now. Closing again does nothing. */
        @Override
        void close();
    }
}
