package io.toks.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.toks.bench.engine.TextDensity;
import io.toks.engine.ModelLoader;
import io.toks.tokenizer.TiktokenTokenizer;
import org.junit.jupiter.api.Test;

class TextDensityTest {

    @Test
    void densityIsMeasuredOnTheBundledText() {
        var cl100k = TiktokenTokenizer.named("cl100k");
        TextDensity self = TextDensity.of(cl100k, cl100k, "cl100k");
        assertThat(self.referenceTokensPerToken()).isEqualTo(1.0);
        assertThat(self.charsPerToken()).isBetween(3.5, 5.0); // English prose in a 100k vocabulary
        // The embedded model's 512-token vocabulary needs many more tokens for the same text.
        TextDensity tiny = TextDensity.of(ModelLoader.loadEmbedded().tokenizer(), cl100k, "cl100k");
        assertThat(tiny.charsPerToken()).isLessThan(self.charsPerToken() / 2);
        assertThat(tiny.referenceTokensPerToken() * self.charsPerToken()).isCloseTo(tiny.charsPerToken(), within(1e-9));
    }
}
