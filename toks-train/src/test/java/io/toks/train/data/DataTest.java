package io.toks.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.engine.ModelLoader;
import io.toks.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corpus reading, tokenization, the held-out split, batches and validation windows. */
class DataTest {

    @Test
    void documentsAreCutAtEndOfTextLinesAndBinaryFilesSkipped(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.txt"), "First story.\n<|endoftext|>\nSecond story.\n<|endoftext|>\n\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.md"), "Third, in a subdirectory.");
        Files.write(dir.resolve("c.bin"), new byte[] {1, 0, 2});
        TextCorpus corpus = TextCorpus.read(dir);
        assertThat(corpus.documents()).containsExactly("First story.", "Second story.", "Third, in a subdirectory.");
        assertThat(corpus.skipped()).singleElement().asString().contains("c.bin").contains("not UTF-8 text");
        assertThatThrownBy(() -> TextCorpus.read(dir.resolve("none"))).hasMessageContaining("no such file or directory");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> TextCorpus.read(empty)).hasMessageContaining("no text under");
    }

    @Test
    void everyDocumentOpensWithBosAndTheLastTokensAreHeldOut() {
        Tokenizer tok = ModelLoader.embeddedTokenizer();
        List<String> docs = List.of("Once upon a time there was a cat.", "The dog ran to the park and played all day.");
        TokenDataset data = TokenDataset.of(docs, tok, 0.25);
        int[] first = tok.encode(docs.get(0), true, false), second = tok.encode(docs.get(1), true, false);
        int total = first.length + second.length;
        assertThat(data.tokens()).isEqualTo(total);
        assertThat(data.validation()).hasSize((int) Math.round(total * 0.25));
        assertThat(data.train()[0]).isEqualTo(tok.bosId());
        assertThat(data.train()[first.length]).isEqualTo(tok.bosId());
        assertThatThrownBy(() -> data.requireWindows(64)).hasMessageContaining("the training split has");
        assertThatThrownBy(() -> TokenDataset.of(docs, tok, 1.0)).hasMessageContaining("--val-fraction must be between 0 and 1");
    }

    @Test
    void batchesAreWholeWindowsThatDependOnlyOnSeedAndStep() {
        int[] tokens = new int[100];
        for (int i = 0; i < tokens.length; i++) tokens[i] = i;
        var sampler = new BatchSampler(tokens, 3, 8, 42);
        int[] in = new int[24], out = new int[24], in2 = new int[24], out2 = new int[24];
        sampler.batch(7, in, out);
        new BatchSampler(tokens, 3, 8, 42).batch(7, in2, out2);
        assertThat(in2).isEqualTo(in);
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < 8; t++) {
                assertThat(out[b * 8 + t]).isEqualTo(in[b * 8 + t] + 1); // the next token
                if (t > 0) assertThat(in[b * 8 + t]).isEqualTo(in[b * 8 + t - 1] + 1); // consecutive: no padding
            }
        }
        sampler.batch(8, in2, out2);
        assertThat(in2).isNotEqualTo(in);
    }

    @Test
    void validationWindowsPredictEveryTokenButTheFirstOnce() {
        int[] tokens = new int[21];
        for (int i = 0; i < tokens.length; i++) tokens[i] = i;
        var windows = ValidationWindows.of(tokens, 5, 100);
        assertThat(windows.count()).isEqualTo(4);
        assertThat(windows.predictedTokens()).isEqualTo(20);
        int[] in = new int[10], out = new int[10];
        windows.fill(2, 2, in, out);
        assertThat(in).containsExactly(10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
        assertThat(out).containsExactly(11, 12, 13, 14, 15, 16, 17, 18, 19, 20);
        assertThat(ValidationWindows.of(tokens, 5, 2).count()).isEqualTo(2);
    }
}
