package io.toks.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.core.result.ResultSink;
import io.toks.core.result.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command's document is finished once: at its end, or by an interrupt with the runs measured so far. */
class ResultWriterTest {

    /** What a sink saw, in order. */
    static final class Recorded implements ResultSink {
        final List<String> calls = new ArrayList<>();
        ResultDocument ended;

        @Override
        public void run(Run run) {
            calls.add("run " + run.name());
        }

        @Override
        public void end(ResultDocument document) {
            calls.add("end");
            ended = document;
        }
    }

    @Test
    void anInterruptFinishesTheDocumentWithTheRunsSoFarMarkedIncomplete(@TempDir Path dir) throws IOException {
        ResultDocument bench = ReportFixtures.bench("m", "java", 100);
        var stdout = new ByteArrayOutputStream();
        var recorded = new Recorded();
        Path out = dir.resolve("out.json");
        var writer = new ResultWriter("bench", bench.manifest(), Renderers.of("bench", Format.JSON,
                new PrintStream(stdout, true, StandardCharsets.UTF_8)), List.of(recorded, ResultFile.of(out)));
        writer.accept(bench.runs().get(0));

        ResultDocument interrupted = writer.interrupt("stopped by a test");
        assertThat(interrupted.incomplete()).isEqualTo("stopped by a test");
        assertThat(interrupted.runs()).hasSize(1);
        // Every place the document goes gets it: -o json's output, the sinks, --out.
        assertThat(ResultJson.read(stdout.toString(StandardCharsets.UTF_8)).incomplete()).isEqualTo("stopped by a test");
        assertThat(recorded.ended).isSameAs(interrupted);
        ResultDocument written = ResultJson.read(out);
        assertThat(written.incomplete()).isEqualTo("stopped by a test");
        assertThat(written.runs()).extracting(Run::name).containsExactly(bench.runs().get(0).name());

        // The command's own thread goes on until the JVM stops: what it measures then is dropped, its finish changes nothing.
        writer.accept(bench.runs().get(1));
        assertThat(writer.finish()).isSameAs(interrupted);
        assertThat(recorded.calls).containsExactly("run " + bench.runs().get(0).name(), "end");
    }

    @Test
    void aFinishedDocumentIsNotMarkedByALaterInterrupt() {
        ResultDocument bench = ReportFixtures.bench("m", "java", 100);
        var writer = new ResultWriter("bench", bench.manifest(), new ResultRenderer() {});
        bench.runs().forEach(writer::accept);
        ResultDocument finished = writer.finish();
        assertThat(finished.incomplete()).isNull();
        assertThat(writer.interrupt("too late")).isSameAs(finished);
        // A finished document's JSON has no "incomplete" field: it reads as before the field existed.
        assertThat(ResultJson.write(finished)).doesNotContain("incomplete");
    }
}
