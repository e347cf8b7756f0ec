package io.toks.http.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Chunks as vLLM, llama.cpp, Ollama and OpenAI send them. */
class StreamChunkParserTest {

    @Test
    void chatDeltaFinishAndUsage() throws Exception {
        StreamChunkParser p = new StreamChunkParser(ApiFlavor.CHAT);
        StreamChunk c = p.parse("{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" hi\"},\"finish_reason\":null}]}");
        assertThat(c.text()).isEqualTo(" hi");
        assertThat(c.finishReason()).isNull();
        assertThat(p.parse("{\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}").hasText()).isFalse();
        assertThat(p.parse("{\"choices\":[{\"delta\":{},\"finish_reason\":\"length\"}]}").finishReason()).isEqualTo("length");
        StreamChunk usage = p.parse("{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9}}");
        assertThat(usage.usage()).isEqualTo(new Usage(5, 9));
        assertThat(p.parse("[DONE]").done()).isTrue();
    }

    @Test
    void completionsText() throws Exception {
        StreamChunk c = new StreamChunkParser(ApiFlavor.COMPLETIONS).parse("{\"choices\":[{\"text\":\"abc\",\"finish_reason\":null}]}");
        assertThat(c.text()).isEqualTo("abc");
    }

    @Test
    void ollamaLines() throws Exception {
        StreamChunkParser p = new StreamChunkParser(ApiFlavor.OLLAMA);
        assertThat(p.parse("{\"model\":\"m\",\"response\":\"The\",\"done\":false}").text()).isEqualTo("The");
        StreamChunk end = p.parse("{\"response\":\"\",\"done\":true,\"done_reason\":\"length\",\"prompt_eval_count\":12,\"eval_count\":64}");
        assertThat(end.done()).isTrue();
        assertThat(end.usage()).isEqualTo(new Usage(12, 64));
        assertThat(end.finishReason()).isEqualTo("length");
    }

    @Test
    void errorsInTheStreamAreReported() throws Exception {
        StreamChunk c = new StreamChunkParser(ApiFlavor.CHAT).parse("{\"error\":{\"message\":\"out of memory\"}}");
        assertThat(c.error()).isEqualTo("out of memory");
    }

    @Test
    void malformedMessagesAreRejectedWithWhatWasSeen() {
        StreamChunkParser p = new StreamChunkParser(ApiFlavor.CHAT);
        assertThatThrownBy(() -> p.parse("{\"choices\": [ oops")).isInstanceOf(StreamChunkParser.MalformedChunkException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> p.parse("[1,2]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> p.parse("{\"id\":1}")).hasMessageContaining("no 'choices'");
        assertThatThrownBy(() -> p.parse("{\"choices\":[{\"delta\":{\"content\":5}}]}")).hasMessageContaining("not a string");
    }

    /** The one-pass reading of common chunks must say exactly what the tree reading says, or defer to it. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" hi\"},\"logprobs\":null,\"finish_reason\":null}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":null,\"tool_calls\":[{\"id\":\"t\",\"function\":{\"arguments\":\"{}\"}}]}}]}",
        "{\"choices\":[{\"delta\":{},\"finish_reason\":\"length\"}],\"usage\":null}",
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9,\"total_tokens\":14,\"prompt_tokens_details\":{\"cached_tokens\":0}}}",
        "{\"usage\":{\"completion_tokens\":\"7\"},\"choices\":[{\"delta\":{\"content\":\"a\\u00e9\\n\\\"b\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"x\"}},{\"delta\":{\"content\":\"second choice\"}}]}",
        "{\"choices\":[5]}",
        "{\"choices\":[{\"delta\":\"text\"}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"choices\":[{\"delta\":{\"content\":\"b\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"a\"},\"finish_reason\":7}]}",
        "{\"choices\":[{\"delta\":{\"content\":5}}]}",
        "{\"choices\":{\"delta\":{}}}",
        "{\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}",
        "{\"error\":\"overloaded\"}",
        "{\"error\":null,\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]} trailing",
        "{\"choices\": [ oops",
        "[1,2]",
        "\"just a string\"",
        "{\"choices\":[{\"text\":\"completion text\",\"finish_reason\":\"stop\"}]}"})
    void onePassReadingAgreesWithTheTree(String message) {
        for (ApiFlavor flavor : new ApiFlavor[] {ApiFlavor.CHAT, ApiFlavor.COMPLETIONS}) {
            StreamChunkParser p = new StreamChunkParser(flavor);
            Object fast, tree;
            try {
                fast = p.parse(message);
            } catch (StreamChunkParser.MalformedChunkException e) {
                fast = "malformed: " + e.getMessage();
            }
            try {
                tree = p.parseTree(message);
            } catch (StreamChunkParser.MalformedChunkException e) {
                tree = "malformed: " + e.getMessage();
            }
            assertThat(fast).as(flavor + " " + message).isEqualTo(tree);
        }
    }

    @Test
    void commonChunksTakeTheOnePassReading() {
        var chat = new StreamChunkParser(ApiFlavor.CHAT);
        assertThat(chat.commonOpenAiShape("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" hi\"},\"finish_reason\":null}]}"))
                .isEqualTo(new StreamChunk(" hi", null, null, null, false));
        assertThat(chat.commonOpenAiShape("{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9}}"))
                .isEqualTo(new StreamChunk("", null, new Usage(5, 9), null, false));
        assertThat(new StreamChunkParser(ApiFlavor.COMPLETIONS).commonOpenAiShape("{\"choices\":[{\"text\":\"t\",\"finish_reason\":\"stop\"}]}"))
                .isEqualTo(new StreamChunk("t", "stop", null, null, false));
        assertThat(chat.commonOpenAiShape("{\"error\":{\"message\":\"x\"}}")).isNull(); // the tree words errors
    }

    @Test
    void requestsForceLengthAndAskForUsage() {
        String chat = new String(new CompletionRequest("m", "hi", 64, true, 0, 3L).toJson(ApiFlavor.CHAT));
        assertThat(chat).contains("\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]", "\"max_tokens\":64",
                "\"ignore_eos\":true", "\"min_tokens\":64", "\"include_usage\":true", "\"seed\":3", "\"stream\":true");
        String ollama = new String(new CompletionRequest("m", "hi", 64, true, -1, null).toJson(ApiFlavor.OLLAMA));
        assertThat(ollama).contains("\"num_predict\":64", "\"raw\":true").doesNotContain("temperature");
    }
}
