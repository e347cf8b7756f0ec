package io.toks.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.SharedData;
import io.toks.core.events.Clock;
import io.toks.engine.ModelLoader;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.parallel.WorkerPool;
import io.toks.engine.sampling.GreedySampler;
import io.toks.llamacpp.LlamaCppModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two engines compute the same model: on the same GGUF file and prompt, greedy decoding
 * gives the same text from toks's engine and from llama.cpp. A test of BOS handling and prompt
 * tokenization as much as of the arithmetic: both must start from the same tokens.
 */
class GreedyAgreementTest {

    static final Path SHARED = SharedData.locate(Path.of(System.getProperty("toks.root", "..")).toAbsolutePath());
    static final Path GGUF = SHARED.resolve("models/stories260K/stories260K.gguf");
    static final int TOKENS = 32;

    static LlamaModel toks;
    static LlamaCppModel llama;

    @BeforeAll
    static void load() {
        toks = ModelLoader.load(GGUF, null);
        llama = LlamaCppModel.open(GGUF, 1, 128);
    }

    @AfterAll
    static void close() {
        llama.close();
    }

    /** toks's greedy continuation: argmax of every step's logits, past any end of sequence. */
    static int[] toksGreedy(int[] prompt) {
        try (var pool = new WorkerPool(1)) {
            var session = new InferenceSession(toks, pool, 128);
            float[] logits = session.prefill(prompt);
            int[] out = new int[TOKENS];
            for (int i = 0; i < TOKENS; i++) {
                out[i] = new GreedySampler().sample(logits);
                if (i + 1 < TOKENS) logits = session.decode(out[i]);
            }
            return out;
        }
    }

    @Test
    void bothTokenizeThePromptAlike() {
        String prompt = "Once upon a time";
        int[] withBos = IntStream.concat(IntStream.of(toks.tokenizer().bosId()), Arrays.stream(llama.encode(prompt))).toArray();
        assertThat(toks.tokenizer().encode(prompt, true, false)).isEqualTo(withBos);
        assertThat(toks.info().addsBos()).isTrue(); // llama.cpp adds BOS to a prompt of this model too: an empty prompt generates (below)
    }

    @Test
    void greedyTextIsTheSameFromBothEngines() throws IOException {
        String prompt = "Once upon a time";
        String fromToks = toks.tokenizer().decode(toksGreedy(toks.tokenizer().encode(prompt, true, false)));
        String fromLlama = llama.complete(prompt, TOKENS, true, Clock.SYSTEM).text();
        assertThat(fromLlama).isEqualTo(fromToks);
        // and both are the reference implementation's (llama2.c) story
        String golden = Files.readString(SHARED.resolve("models/stories260K/golden/greedy_once_upon_a_time.txt"));
        assertThat(prompt + fromToks).isEqualTo(golden.substring(0, (prompt + fromToks).length()));
    }

    /**
     * From BOS alone. toks renders the first token after BOS without SentencePiece's prefix space
     * (as llama2.c does); llama.cpp's stream keeps it. The text is otherwise the same.
     */
    @Test
    void greedyTextFromBosAloneIsTheSame() {
        String fromToks = toks.tokenizer().decode(toksGreedy(new int[] {toks.tokenizer().bosId()}));
        String fromLlama = llama.complete("", TOKENS, true, Clock.SYSTEM).text();
        assertThat(fromLlama.stripLeading()).isEqualTo(fromToks.stripLeading()).isNotBlank();
    }
}
