package io.toks.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.result.MeterRun;
import io.toks.core.result.Metric;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sample01_MeterInALoopTest {

    @Test
    void printsTheCallsAndTrainingStepsAndWritesTheDocument(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("meter.json");
        String printed = Printed.by(Sample01_MeterInALoop::main, out.toString());

        assertThat(printed).startsWith("stand-in-256: 8 calls (8 ok, 0 failed, 0 in flight) in ")
                .contains("output 256 tokens (counts from chunks_counted 8 calls): ")
                .contains("decode tok/s per call: mean ", "(n=8)")
                .contains("prefill tok/s per call: mean ")
                .contains("ttft ms: mean ", "itl ms: mean ", "tpot ms: mean ", "e2e ms: mean ")
                .contains("training: 5 steps, 1280 tokens in ")
                .endsWith("wrote " + out + System.lineSeparator());
        Matcher line = Pattern.compile("decode: (\\d+) tok/s per call on average; output: (\\d+) tok/s over all 8 calls").matcher(printed);
        assertThat(line.find()).as(printed).isTrue();
        assertThat(Long.parseLong(line.group(1))).isPositive();

        ResultDocument doc = ResultJson.read(out);
        MeterRun run = doc.runs(MeterRun.class).getFirst();
        assertThat(run.succeeded()).isEqualTo(8);
        assertThat(run.outputTokens()).isEqualTo(256);
        assertThat(run.promptTokens()).isEqualTo(8 * 24);
        assertThat(run.metric(Metric.ITL).n()).isEqualTo(8 * 31);
        assertThat(run.metric(Metric.TRAIN_TPS).samples()).hasSize(5);
        assertThat(doc.manifest().parameters()).containsEntry("clock", "System.nanoTime");
    }
}
