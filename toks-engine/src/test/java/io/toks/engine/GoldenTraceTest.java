package io.toks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.estimate.KvCacheType;
import io.toks.core.events.Clock;
import io.toks.core.events.RequestTrace;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.parallel.WorkerPool;
import io.toks.engine.sampling.GreedySampler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Greedy generation must reproduce, token for token, the traces of llama2.c's run.c in
 * ../shared/models/stories260K/golden, from both file formats and the embedded copy, with
 * one and two threads, with an F32 KV cache (what run.c keeps) and with the default F16 one.
 */
class GoldenTraceTest {

    /** run.c was invoked with -n 256: positions 0..255, each producing one next token. */
    private static final int STEPS = 256;

    static Stream<Arguments> cases() {
        return Stream.of("bin", "gguf", "embedded").flatMap(format -> Stream.of(1, 2).flatMap(threads -> Stream.of("f32", "f16")
                .flatMap(cache -> Stream.of(
                        Arguments.of(format, threads, cache, "greedy_empty_prompt", ""),
                        Arguments.of(format, threads, cache, "greedy_once_upon_a_time", "Once upon a time")))));
    }

    static LlamaModel load(String format) {
        return switch (format) {
            case "bin" -> ModelLoader.load(SharedData.stories("stories260K.bin"), SharedData.stories("tok512.bin"));
            case "gguf" -> ModelLoader.load(SharedData.stories("stories260K.gguf"), null);
            default -> ModelLoader.loadEmbedded();
        };
    }

    @ParameterizedTest(name = "{0} t={1} cache {2} {3}")
    @MethodSource("cases")
    void greedyGenerationMatchesRunC(String format, int threads, String cache, String golden, String promptText) throws IOException {
        List<String> lines = Files.readAllLines(SharedData.stories("golden/" + golden + ".ids"));
        int[] expectedPrompt = ids(lines.get(0), "PROMPT_IDS");
        int[] expectedNext = ids(lines.get(1), "NEXT_IDS");
        String expectedText = Files.readString(SharedData.stories("golden/" + golden + ".txt"), StandardCharsets.UTF_8);

        LlamaModel model = load(format);
        int[] prompt = model.tokenizer().encode(promptText, true, false);
        assertThat(prompt).containsExactly(expectedPrompt);

        try (var pool = new WorkerPool(threads)) {
            var session = new InferenceSession(model, pool, 512, KvCacheType.ofKey(cache));
            var trace = new RequestTrace(STEPS);
            new Generator(session, model.tokenizer().bosId(), model.tokenizer().eosId(), Clock.SYSTEM)
                    .generate(prompt, STEPS - prompt.length + 1, new GreedySampler(), Generator.StopRule.AT_END_OF_SEQUENCE, trace);

            // run.c's NEXT_IDS lists the forced prompt tokens (after BOS), then the sampled ones.
            int[] next = concat(Arrays.copyOfRange(prompt, 1, prompt.length), trace.tokenIds());
            assertThat(next).containsExactly(expectedNext);
            // run.c prints every next token's piece, then a newline.
            assertThat(model.tokenizer().decode(next) + "\n").isEqualTo(expectedText);
        }
    }

    private static int[] ids(String line, String label) {
        assertThat(line).startsWith(label);
        return Arrays.stream(line.substring(label.length()).trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
