package io.toks.core.result;

/**
 * A tok/s figure converted to text units, so models with different tokenizers compare. The
 * engine benchmark feeds random tokens, so these are estimates from the model tokenizer's density
 * on a fixed reference text ({@code basis} says which).
 *
 * @param estimatedCharsPerS      tok/s x chars per token
 * @param estimatedReferenceTps   tok/s x reference-tokenizer tokens per model token
 * @param referenceTokenizer      the reference tokenizer's name (e.g. cl100k)
 * @param charsPerToken           the model tokenizer's chars per token on the text
 * @param basis                   what the estimate rests on
 */
public record TextRates(double estimatedCharsPerS, double estimatedReferenceTps, String referenceTokenizer,
                        double charsPerToken, String basis) {}
