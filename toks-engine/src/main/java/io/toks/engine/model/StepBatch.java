package io.toks.engine.model;

import java.util.Arrays;

/**
 * The rows of one {@link BatchDecoder} step, each a (session, position, token): the next token
 * of sequences being decoded, and chunks of consecutive prompt tokens of sequences being
 * prefilled, mixed in one step (continuous batching with chunked prefill, as vLLM and
 * llama-server schedule). A session gives one run of consecutive rows per step at most, from
 * its current position; its rows attend causally, each to its own cache up to its own position.
 * Logits are computed only for the rows that need them: a decoded token, the last row of a
 * prompt that ends in this step. Refill it for every step ({@link #clear}); not thread-safe.
 */
public final class StepBatch {

    final InferenceSession[] sessions;
    final int[] tokens, positions;
    /** Per row, where its logits go; null: the classifier skips the row. */
    final float[][] logitsOut;
    private final int capacity;
    private int rows, decodeRows;

    /** @param capacity rows at most: decoded sequences plus prompt tokens */
    public StepBatch(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("a step batch needs room for at least one row, got " + capacity);
        this.capacity = capacity;
        sessions = new InferenceSession[capacity];
        tokens = new int[capacity];
        positions = new int[capacity];
        logitsOut = new float[capacity][];
    }

    public int capacity() {
        return capacity;
    }

    public int rows() {
        return rows;
    }

    /** Rows that can still be added before this step is full. */
    public int room() {
        return capacity - rows;
    }

    /** Rows added by {@link #decode}: sequences that advance by one generated token in this step. */
    public int decodeRows() {
        return decodeRows;
    }

    /** Empties the batch for the next step. */
    public void clear() {
        Arrays.fill(sessions, 0, rows, null);
        Arrays.fill(logitsOut, 0, rows, null);
        rows = 0;
        decodeRows = 0;
    }

    /**
     * One row: {@code session}'s next token, at its current position; afterwards the session's
     * {@link InferenceSession#logits()} hold the distribution of the token after it.
     */
    public void decode(InferenceSession session, int token) {
        checkRun(session, 1);
        add(session, token, session.position(), session.logitsBuffer());
        decodeRows++;
    }

    /**
     * {@code count} consecutive prompt tokens {@code tokens[offset..offset + count)} of
     * {@code session}, from its current position (one chunk of its prompt).
     *
     * @param logitsAfterLast whether the session's logits are wanted after the last of them (the
     *                        prompt ends here); the classifier skips every other prompt row
     */
    public void prefill(InferenceSession session, int[] tokens, int offset, int count, boolean logitsAfterLast) {
        checkChunk(session, tokens, offset, count);
        int position = session.position();
        for (int t = 0; t < count; t++) {
            add(session, tokens[offset + t], position + t, logitsAfterLast && t == count - 1 ? session.logitsBuffer() : null);
        }
    }

    /**
     * As {@link #prefill}, with the logits after every one of the tokens, row t into
     * {@code out[t]} (prompt log probabilities); the session's own logits are untouched.
     */
    void score(InferenceSession session, int[] tokens, int offset, int count, float[][] out) {
        checkChunk(session, tokens, offset, count);
        if (count > out.length) throw new IllegalArgumentException(count + " rows to score into " + out.length + " logits arrays");
        int position = session.position();
        for (int t = 0; t < count; t++) add(session, tokens[offset + t], position + t, out[t]);
    }

    private void checkChunk(InferenceSession session, int[] tokens, int offset, int count) {
        if (count < 1) throw new IllegalArgumentException("a prompt chunk needs at least one token, got " + count);
        if (offset < 0 || offset + count > tokens.length) {
            throw new IllegalArgumentException("tokens [" + offset + ", " + (offset + count) + ") outside a prompt of " + tokens.length);
        }
        checkRun(session, count);
    }

    private void checkRun(InferenceSession session, int count) {
        if (count > room()) throw new IllegalArgumentException(count + " rows do not fit a step with room for " + room() + " more");
        // Its rows' positions count from the session's position: a second run would repeat them.
        for (int r = 0; r < rows; r++) {
            if (sessions[r] == session) throw new IllegalArgumentException("a session gives one run of rows per step; this one is already in");
        }
        session.checkRoom(count);
    }

    private void add(InferenceSession session, int token, int position, float[] out) {
        sessions[rows] = session;
        tokens[rows] = token;
        positions[rows] = position;
        logitsOut[rows] = out;
        rows++;
    }
}
