package io.toks.cli;

import static io.toks.cli.CliTest.assertOneLineError;
import static io.toks.cli.CliTest.shared;
import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The modules below the command line name the quantity that is wrong; the command line adds the option that sets it. */
class OptionHintsTest {

    @Test
    void aMissingVocabularyNamesVocabDir(@TempDir Path empty) {
        assertOneLineError(toks("tokenize", "x", "--tokenizer", "gpt2", "--vocab-dir", empty.toString()), 1,
                "vocabulary file " + empty.resolve("gpt2/encoder.json") + " not found; pass --vocab-dir");
    }

    @Test
    void synthWithoutVocabulariesNamesVocabDir(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectory(dir.resolve("vocab"));
        CliTest.Result r = toks("synth", "--preset", "custom", "--dim", "64", "--layers", "1", "--heads", "2", "--ffn", "128",
                "--vocab-dir", empty.toString(), "-o", dir.resolve("x.gguf").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip().lines().reduce((a, b) -> b).orElseThrow())
                .isEqualTo("toks: error: no vocabulary files under " + empty + " (expected llama3/, llamacpp/ or gpt2/); pass --vocab-dir");
        assertThat(dir.resolve("x.gguf")).doesNotExist();
    }

    @Test
    void aLlama2cModelWithoutItsTokenizerNamesTheTokenizerOption(@TempDir Path dir) throws IOException {
        Path model = Files.copy(shared("models/stories260K/stories260K.bin"), dir.resolve("stories260K.bin"));
        assertOneLineError(toks("run", model.toString(), "-n", "1"), 1,
                "no tokenizer for llama2.c model", "expected tok512.bin or tokenizer.bin beside it, or pass --tokenizer FILE");
    }

    @Test
    void loadNamesItsOptions() {
        assertOneLineError(toks("load", "--url", "http://127.0.0.1:1/v1", "--model", "m", "--slo", "ttft"), 1,
                "--slo: SLOs are NAME=TIME pairs");
        CliTest.Result r = toks("load", "--url", "http://127.0.0.1:1/v1", "--model", "m", "--requests", "0", "--journal", "none");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("toks: error: --requests must be >= 1, got 0");
        r = toks("load", "--url", "http://127.0.0.1:1/v1", "--model", "m", "--duration", "0s", "--journal", "none");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("toks: error: --duration must be > 0");
    }
}
