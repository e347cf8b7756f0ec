package io.toks.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.ToksException;
import io.toks.tokenizer.TiktokenTokenizer;
import io.toks.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptSourcesTest {

    private static final Tokenizer CL100K = TiktokenTokenizer.named("cl100k");

    @Test
    void syntheticPromptsHaveExactlyTheDrawnLength() {
        SyntheticPrompts fixed = new SyntheticPrompts(CL100K, "cl100k", TokenLength.parse("128"), TokenLength.parse("32"), 20, 1);
        for (int i = 0; i < 20; i++) {
            LoadPrompt p = fixed.prompt(i);
            assertThat(CL100K.encode(p.text(), false, false)).hasSize(128);
            assertThat(p.inputTokens()).isEqualTo(128);
            assertThat(p.outputTokens()).isEqualTo(32);
        }
        assertThat(fixed.prompt(0).text()).isNotEqualTo(fixed.prompt(1).text()); // no shared prefix cache hits
        assertThat(fixed.prompt(20)).isEqualTo(fixed.prompt(0));
        SyntheticPrompts ranged = new SyntheticPrompts(CL100K, "cl100k", TokenLength.parse("10-50"), TokenLength.parse("5-9"), 50, 2);
        for (int i = 0; i < 50; i++) {
            LoadPrompt p = ranged.prompt(i);
            assertThat(p.inputTokens()).isBetween(10, 50).isEqualTo(CL100K.encode(p.text(), false, false).length);
            assertThat(p.outputTokens()).isBetween(5, 9);
        }
    }

    @Test
    void jsonlPromptsReadAndBadLinesAreNamed(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("p.jsonl"), "{\"prompt\":\"hello world\",\"output_tokens\":7}\n\n{\"prompt\":\"again\",\"max_tokens\":3}\n{\"prompt\":\"x\"}\n");
        FilePrompts p = FilePrompts.jsonl(f, CL100K, 99);
        assertThat(p.prompt(0)).isEqualTo(new LoadPrompt("hello world", 2, 7));
        assertThat(p.prompt(1).outputTokens()).isEqualTo(3);
        assertThat(p.prompt(2).outputTokens()).isEqualTo(99);
        assertThat(p.describe()).contains("3 prompts");
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"prompt\":\"ok\"}\n{\"text\":\"no prompt\"}\n");
        assertThatThrownBy(() -> FilePrompts.jsonl(bad, CL100K, 9)).isInstanceOf(ToksException.class).hasMessageContaining("line 2");
        Path notJson = Files.writeString(dir.resolve("nj.jsonl"), "prompt: hi\n");
        assertThatThrownBy(() -> FilePrompts.jsonl(notJson, CL100K, 9)).hasMessageContaining("line 1 is not a JSON object");
    }

    @Test
    void shareGptTakesTheFirstHumanTurnAndTheReplysLength(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("sg.json"), """
                [{"id":"a","conversations":[{"from":"human","value":"What is AI?"},{"from":"gpt","value":"A field of computer science."}]},
                 {"id":"b","conversations":[{"from":"gpt","value":"orphan reply"}]},
                 {"id":"c","conversations":[{"from":"human","value":"Hi"},{"from":"gpt","value":"Hello there, how can I help you today?"}]}]
                """);
        FilePrompts p = FilePrompts.shareGpt(f, CL100K, 8);
        assertThat(p.describe()).contains("2 prompts");
        assertThat(p.prompt(0).text()).isEqualTo("What is AI?");
        assertThat(p.prompt(0).outputTokens()).isEqualTo(CL100K.encode("A field of computer science.", false, false).length);
        assertThat(p.prompt(1).outputTokens()).isEqualTo(8); // capped by --output-tokens
        Path empty = Files.writeString(dir.resolve("e.json"), "[]");
        assertThatThrownBy(() -> FilePrompts.shareGpt(empty, CL100K, 8)).hasMessageContaining("no prompts");
    }
}
