package io.toks.bench.load;

/**
 * One request's input.
 *
 * @param text          the prompt
 * @param inputTokens   its length in the workload's tokenizer, or -1 when not known
 * @param outputTokens  how many tokens to ask for
 */
public record LoadPrompt(String text, int inputTokens, int outputTokens) {}
