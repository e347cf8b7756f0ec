package io.toks.bench.engine;

import io.toks.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import io.toks.core.manifest.ModelFacts;
import io.toks.core.result.TextRates;

/**
 * How much text a tokenizer's token is, measured on a fixed reference text: the opening of
 * Jane Austen's Pride and Prejudice (public domain, bundled). {@code toks bench} feeds random
 * tokens, so its rates in text units are estimates: tok/s x chars per token of this text, and
 * tok/s x reference-tokenizer tokens per model token. They let models with different tokenizers
 * be compared; the record says they are estimates and on what text.
 *
 * @param charsPerToken              Unicode code points per model token
 * @param referenceTokensPerToken    reference-tokenizer tokens per model token
 */
public record TextDensity(String text, String referenceTokenizer, double charsPerToken, double referenceTokensPerToken) {

    static final String TEXT_NAME = "Pride and Prejudice, opening (~24 KB)";
    private static final String RESOURCE = "/io/toks/bench/text/pride-and-prejudice-opening.txt";

    /** The density of {@code model}'s tokenizer; null when it cannot encode text (an ids-only tokenizer). */
    public static TextDensity of(Tokenizer model, Tokenizer reference, String referenceName) {
        String text = referenceText();
        int tokens;
        try {
            tokens = model.encode(text, false, false).length;
        } catch (RuntimeException e) {
            return null;
        }
        if (tokens == 0) return null;
        double chars = text.codePointCount(0, text.length());
        int referenceTokens = reference.encode(text, false, false).length;
        return new TextDensity(TEXT_NAME, referenceName, chars / tokens, (double) referenceTokens / tokens);
    }

    static String referenceText() {
        try (InputStream in = TextDensity.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("bundled reference text missing: " + RESOURCE);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Estimated text rates for a tok/s figure. */
    TextRates estimates(double tokensPerSecond) {
        return new TextRates(tokensPerSecond * charsPerToken, tokensPerSecond * referenceTokensPerToken, referenceTokenizer,
                charsPerToken, "model tokenizer's density on " + text + "; random tokens were measured");
    }

    /** The density as the manifest states it. */
    ModelFacts.TextDensity asFacts() {
        return new ModelFacts.TextDensity(text, referenceTokenizer, charsPerToken, referenceTokensPerToken);
    }
}
