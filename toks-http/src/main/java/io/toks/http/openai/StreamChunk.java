package io.toks.http.openai;

import io.toks.core.events.Usage;

/**
 * What one streamed message said.
 *
 * @param text          generated text in it (empty for role-only or usage-only chunks)
 * @param finishReason  why generation stopped, when this chunk says so; else null
 * @param usage         token counts, when this chunk carries them; else null. Servers that send
 *                      usage in every chunk (continuous usage) make it cumulative.
 * @param error         an error message the server put in the stream; else null
 * @param done          the end-of-stream marker ({@code [DONE]}, or Ollama's {@code done: true})
 */
public record StreamChunk(String text, String finishReason, Usage usage, String error, boolean done) {

    public boolean hasText() {
        return !text.isEmpty();
    }
}
