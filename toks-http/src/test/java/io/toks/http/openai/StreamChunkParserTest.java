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

    @Test
    void requestsForceLengthAndAskForUsage() {
        String chat = new String(new CompletionRequest("m", "hi", 64, true, 0, 3L).toJson(ApiFlavor.CHAT));
        assertThat(chat).contains("\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]", "\"max_tokens\":64",
                "\"ignore_eos\":true", "\"min_tokens\":64", "\"include_usage\":true", "\"seed\":3", "\"stream\":true");
        String ollama = new String(new CompletionRequest("m", "hi", 64, true, -1, null).toJson(ApiFlavor.OLLAMA));
        assertThat(ollama).contains("\"num_predict\":64", "\"raw\":true").doesNotContain("temperature");
    }
}
