package io.toks.http.openai;

import io.toks.core.events.Usage;
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

    /** A usage count that is no count is kept visible as such, never coerced into a plausible number. */
    @Test
    void usageCountsThatAreNoCountsAreMarkedNotCoerced() throws Exception {
        StreamChunkParser p = new StreamChunkParser(ApiFlavor.CHAT);
        String[] bad = {"-3", "-1", "3.7", "1e3", "\"12\"", "true", "4294967297", "[1]"};
        for (String v : bad) {
            StreamChunk c = p.parse("{\"choices\":[],\"usage\":{\"prompt_tokens\":" + v + ",\"completion_tokens\":7}}");
            assertThat(c.usage()).as(v).isEqualTo(new Usage(Usage.NOT_A_COUNT, 7));
            assertThat(c.usage().hasInvalidCount()).isTrue();
        }
        StreamChunk absent = p.parse("{\"choices\":[],\"usage\":{\"completion_tokens\":0,\"prompt_tokens\":null}}");
        assertThat(absent.usage()).isEqualTo(new Usage(-1, 0));
        assertThat(absent.usage().hasInvalidCount()).isFalse();
        StreamChunk ollama = new StreamChunkParser(ApiFlavor.OLLAMA).parse("{\"response\":\"\",\"done\":true,\"prompt_eval_count\":2,\"eval_count\":-5}");
        assertThat(ollama.usage()).isEqualTo(new Usage(2, Usage.NOT_A_COUNT));
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
        "{\"choices\":[{\"text\":\"completion text\",\"finish_reason\":\"stop\"}]}",
        " \r\n\t{ \"choices\" : [ { \"delta\" : { \"content\" : \"spaced\" } , \"finish_reason\" : null } ] }\n ",
        "{\"choices\":[{\"delta\":{\"content\":\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"bad escape \\x\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"short \\u12\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"raw\ttab\"}}]}",
        "{\"n\":[1,-2,3.5,-0.25e+3,6E-2,0],\"choices\":[{\"delta\":{\"content\":\"numbers\"}}]}",
        "{\"n\":1.2.3,\"choices\":[]}",
        "{\"n\":01,\"choices\":[]}",
        "{\"n\":-,\"choices\":[]}",
        "{\"n\":1.,\"choices\":[]}",
        "{\"n\":.5,\"choices\":[]}",
        "{\"n\":truex,\"choices\":[]}",
        "{\"n\":[true,false,null,{\"a\":[[],{}]}],\"choices\":[]}",
        "{\"choices\":[],}",
        "{\"choices\":[1,]}",
        "{\"choices\" [] }",
        "{\"choices\":[]\"usage\":null}",
        "{'choices':[]}",
        "{\"cho\\u0069ces\":[{\"delta\":{\"content\":\"escaped field name\"}}]}",
        "{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2},\"usage\":\"gone\",\"choices\":[]}",
        "{\"usage\":{\"prompt_tokens\":1.5,\"completion_tokens\":null},\"choices\":[]}",
        "{\"usage\":{\"prompt_tokens\":99999999999,\"completion_tokens\":-3},\"choices\":[]}",
        "{\"choices\":[{\"delta\":{\"content\":\"a\"},\"finish_reason\":\"stop\",\"finish_reason\":null}]}",
        "{\"error\":{\"message\":\"x\"},\"error\":null,\"choices\":[]}",
        "{\"choices\":[{\"delta\":{\"content\":\"unterminated}}]}",
        "{}",
        ""})
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

    /** Messages one edit away from real chunks: the one-pass reading must agree with the tree on every one. */
    @Test
    void onePassReadingAgreesWithTheTreeOnMutatedChunks() {
        String[] seeds = {
            "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" hi \\u00e9\\n\"},\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3}}",
            "{\"choices\":[{\"text\":\"abc\",\"finish_reason\":\"length\",\"logprobs\":{\"t\":[-0.5,1e-3]}}],\"usage\":null}"};
        String alphabet = "{}[]:,\"\\ 0123456789.-+eEtrufalsn\u00e9x";
        var random = new java.util.SplittableRandom(11);
        int offShape = 0;
        for (int i = 0; i < 20_000; i++) {
            String seed = seeds[i % seeds.length];
            int pos = random.nextInt(seed.length() + 1);
            String edited = switch (random.nextInt(3)) {
                case 0 -> seed.substring(0, pos) + alphabet.charAt(random.nextInt(alphabet.length())) + seed.substring(pos);
                case 1 -> pos < seed.length() ? seed.substring(0, pos) + seed.substring(pos + 1) : seed;
                default -> pos < seed.length()
                        ? seed.substring(0, pos) + alphabet.charAt(random.nextInt(alphabet.length())) + seed.substring(pos + 1) : seed;
            };
            for (ApiFlavor flavor : new ApiFlavor[] {ApiFlavor.CHAT, ApiFlavor.COMPLETIONS}) {
                StreamChunkParser p = new StreamChunkParser(flavor);
                StreamChunk fast = OpenAiChunkScanner.read(edited, flavor);
                if (fast == null) {
                    offShape++;
                    continue;
                }
                Object tree;
                try {
                    tree = p.parseTree(edited);
                } catch (StreamChunkParser.MalformedChunkException e) {
                    tree = "malformed: " + e.getMessage();
                }
                assertThat(fast).as(flavor + " " + edited).isEqualTo(tree);
            }
        }
        assertThat(offShape).as("some edits break the shape, most do not").isBetween(1000, 30_000);
    }

    @Test
    void deepNestingIsLeftToTheTreeReading() {
        String deep = "{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + ",\"choices\":[]}";
        var p = new StreamChunkParser(ApiFlavor.CHAT);
        assertThat(OpenAiChunkScanner.read(deep, ApiFlavor.CHAT)).isNull();
        assertThatThrownBy(() -> p.parse(deep)).isInstanceOf(StreamChunkParser.MalformedChunkException.class);
    }

    @Test
    void commonChunksTakeTheOnePassReading() {
        var chat = ApiFlavor.CHAT;
        assertThat(OpenAiChunkScanner.read("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" hi\"},\"finish_reason\":null}]}", chat))
                .isEqualTo(new StreamChunk(" hi", null, null, null, false));
        assertThat(OpenAiChunkScanner.read("{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9}}", chat))
                .isEqualTo(new StreamChunk("", null, new Usage(5, 9), null, false));
        assertThat(OpenAiChunkScanner.read("{\"choices\":[{\"text\":\"t\",\"finish_reason\":\"stop\"}]}", ApiFlavor.COMPLETIONS))
                .isEqualTo(new StreamChunk("t", "stop", null, null, false));
        assertThat(OpenAiChunkScanner.read("{\"error\":{\"message\":\"x\"}}", chat)).isNull(); // the tree words errors
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
