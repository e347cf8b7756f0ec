package io.toks.bench.quality;

import io.toks.core.ToksException;

/**
 * How a text is scored, as llama.cpp's perplexity tool does it: {@code nCtx} tokens per chunk,
 * chunks that do not overlap, the first token of each replaced by BOS, and only positions from
 * {@code nCtx / 2} on scored (each predicted token has at least half a context before it).
 *
 * @param nCtx   tokens per chunk (at least 4: a half to read and a half to score)
 * @param chunks how many chunks to score; 0 for every whole chunk the text holds
 */
public record PerplexityPlan(int nCtx, int chunks) {

    public PerplexityPlan {
        if (nCtx < 4) throw new ToksException("--ctx must be at least 4 (half of it is context, half is scored), got " + nCtx);
        if (chunks < 0) throw new ToksException("--chunks must be at least 1 (or left out: every chunk), got " + chunks);
    }

    /** The first scored position of a chunk; the logits there predict the token after it. */
    public int firstScored() {
        return nCtx / 2;
    }

    /** Scored tokens per chunk. */
    public int scoredPerChunk() {
        return nCtx - 1 - firstScored();
    }

    /** Chunks a text of {@code tokens} tokens gives; a named error when it is too short for two. */
    public int chunksOf(int tokens) {
        // llama.cpp asks for two chunks' worth, so a score never rests on a single chunk
        if (tokens < 2 * nCtx) {
            throw new ToksException("the text is " + tokens + " tokens; perplexity with a context of " + nCtx
                    + " needs at least " + 2 * nCtx + " (give a longer text or a smaller --ctx)");
        }
        int whole = tokens / nCtx;
        return chunks == 0 ? whole : Math.min(chunks, whole);
    }
}
