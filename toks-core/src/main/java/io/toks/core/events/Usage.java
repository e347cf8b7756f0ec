package io.toks.core.events;

/** A server's token counts ({@code usage} in OpenAI, {@code prompt_eval_count}/{@code eval_count} in Ollama). */
public record Usage(int promptTokens, int completionTokens) {}
