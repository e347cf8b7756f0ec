package io.toks.llamacpp;

/**
 * One streamed completion as toks saw it arrive, timed with the caller's clock.
 * <p>
 * The binding streams one output per sampled token, except that llama.cpp holds back text that
 * ends inside a UTF-8 character and sends it with the next token: then one output carries
 * several tokens, and {@link #outputs()} is less than the tokens generated. The last output is
 * the end of the stream (its text is usually empty); it is {@link #finishedAt()}, not one of
 * {@link #tokenOutputsAt()}.
 *
 * @param requestedAt     when the request was handed to the binding
 * @param tokenOutputsAt  when each output that carried generated text arrived, in order
 * @param finishedAt      when the end of the stream arrived
 * @param text            the generated text
 */
public record Completion(long requestedAt, long[] tokenOutputsAt, long finishedAt, String text) {

    public Completion {
        tokenOutputsAt = tokenOutputsAt.clone();
    }

    /** Outputs that carried generated tokens (the end of the stream not counted). */
    public int outputs() {
        return tokenOutputsAt.length;
    }

    /**
     * When the first token's arrival was known: its output, or the end of the stream when that token
     * streamed no output of its own (a partial character, sent with the end).
     */
    public long firstArrivalAt() {
        return tokenOutputsAt.length > 0 ? tokenOutputsAt[0] : finishedAt;
    }

    @Override
    public long[] tokenOutputsAt() {
        return tokenOutputsAt.clone();
    }
}
