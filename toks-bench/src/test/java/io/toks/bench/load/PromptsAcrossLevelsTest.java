package io.toks.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.http.client.StreamingHttpClient;
import io.toks.http.openai.ApiFlavor;
import io.toks.http.openai.OpenAiStreamClient;
import io.toks.http.testserver.ResponsePlan;
import io.toks.http.testserver.ScriptedOpenAiServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * A sweep hands every request of every level a prompt of its own (while the pool lasts): levels
 * that repeated the first level's prompts let a server with a prompt cache (llama-server keeps
 * the prompts it saw) answer them from memory.
 */
class PromptsAcrossLevelsTest {

    @Test
    void laterLevelsGetPromptsTheEarlierOnesDidNotSend() throws Exception {
        ConcurrentLinkedQueue<Long> asked = new ConcurrentLinkedQueue<>();
        PromptSource recording = new PromptSource() {
            @Override
            public LoadPrompt prompt(long index) {
                asked.add(index);
                return new LoadPrompt("prompt " + index, 2, 2);
            }

            @Override
            public String describe() {
                return "recorded";
            }
        };
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> ResponsePlan.ok(2, List.of(new ResponsePlan.Chunk(0, 2))));
             StreamingHttpClient http = new StreamingHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            OpenAiStreamClient client = new OpenAiStreamClient(http, null, URI.create(server.baseUrl()), ApiFlavor.COMPLETIONS, null);
            LoadRunner runner = new LoadRunner(new OpenAiTarget(client, new OpenAiTarget.Settings("m", 0, null)), recording, true, null, 1, r -> {});
            runner.run(new LoadShape.Concurrency(1), RunLength.requests(3));
            runner.run(new LoadShape.Concurrency(2), RunLength.requests(4));
        }
        assertThat(asked).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    }
}
