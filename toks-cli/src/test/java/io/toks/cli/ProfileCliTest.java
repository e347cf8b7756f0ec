package io.toks.cli;

import static io.toks.cli.CliTest.assertOneLineError;
import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.toks.core.jfr.JfrTrace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --profile records toks's JFR events with the right counts; toks trace turns them into a Perfetto trace and a summary. */
class ProfileCliTest {

    @TempDir
    Path tmp;

    @Test
    void aRunIsRecordedAndExportedInOrder() throws Exception {
        Path jfr = tmp.resolve("run.jfr");
        CliTest.Result run = toks("run", "--prompt", "Once upon a time", "-n", "16", "--temperature", "0", "--ignore-eos", "-t", "1",
                "--profile", jfr.toString(), "--profile-kernels");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).contains("profile written to " + jfr);

        JfrTrace trace = JfrTrace.read(jfr);
        List<JfrTrace.Span> requests = trace.spans().stream().filter(s -> s.event().equals("toks.Request")).toList();
        assertThat(requests).hasSize(1);
        JfrTrace.Span request = requests.get(0);
        assertThat(request.fields()).containsEntry("source", "engine").containsEntry("outputTokens", 16).containsEntry("finish", "length");
        int prompt = (int) request.fields().get("promptTokens");
        assertThat(prompt).isGreaterThan(1);
        assertThat(trace.spans().stream().filter(s -> s.event().equals("toks.TokenChunk"))).hasSize(16)
                .allSatisfy(s -> assertThat(s.fields()).containsEntry("tokens", 1).containsEntry("countSource", "engine_ids"));
        assertThat(trace.spans().stream().filter(s -> s.event().equals("toks.DecodeStep"))).hasSize(15); // the 16th token needs no pass
        assertThat(trace.spans().stream().filter(s -> s.event().equals("toks.Prefill")))
                .singleElement().satisfies(s -> assertThat(s.fields()).containsEntry("tokens", prompt));
        // stories260K: 5 blocks of 7 products each, plus the classifier, for each of the 15 decode passes
        assertThat(trace.spans().stream().filter(s -> s.event().equals("toks.Kernel") && "matmul".equals(s.fields().get("op"))
                && s.fields().get("type") != null)).hasSizeGreaterThanOrEqualTo(15 * 36);

        Path json = tmp.resolve("trace.json");
        assertThat(toks("trace", jfr.toString(), "-o", json.toString()).code()).isZero();
        JsonNode events = new ObjectMapper().readTree(json.toFile()).get("traceEvents");
        List<Double> starts = new ArrayList<>();
        for (JsonNode e : events) if (!e.get("ph").asText().equals("M")) starts.add(e.get("ts").asDouble());
        assertThat(starts).isSorted().hasSizeGreaterThan(500);
        assertThat(events.findValuesAsText("name")).contains("decode step", "matmul F32", "attention", "sampling")
                .anyMatch(n -> n.matches("request \\d+ \\(engine\\)"));

        CliTest.Result summary = toks("trace", jfr.toString(), "--summary");
        assertThat(summary.code()).as(summary.err()).isZero();
        assertThat(summary.out()).contains("1 requests, 16 output tokens", "15 decode steps", "matmul F32", "attention", "rmsnorm", "sampling",
                "tokenize");
    }

    @Test
    void withoutProfileKernelsOnlyRequestsStepsAndTokensAreRecorded() throws Exception {
        Path jfr = tmp.resolve("steps.jfr");
        assertThat(toks("run", "-n", "8", "--temperature", "0", "--ignore-eos", "-t", "1", "--profile", jfr.toString()).code()).isZero();
        var events = JfrTrace.read(jfr).spans().stream().map(JfrTrace.Span::event).distinct().toList();
        assertThat(events).contains("toks.Request", "toks.TokenChunk", "toks.DecodeStep", "toks.Prefill").doesNotContain("toks.Kernel");
        assertThat(toks("trace", jfr.toString(), "--summary").out()).contains("no kernel events");
    }

    @Test
    void trainingStepsAreRecordedWithTheirTokensAndLoss() throws Exception {
        Path jfr = tmp.resolve("train.jfr");
        CliTest.Result r = toks("train", "--data", CliTest.shared("corpus/tinystories").toString(), "--seq", "32", "--batch", "2",
                "--steps", "5", "-t", "1", "--no-history", "--profile", jfr.toString());
        assertThat(r.code()).as(r.err()).isZero();
        var steps = JfrTrace.read(jfr).spans().stream().filter(s -> s.event().equals("toks.TrainingStep")).toList();
        assertThat(steps).hasSize(5).allSatisfy(s -> {
            assertThat(s.fields()).containsEntry("tokens", 64L);
            assertThat((double) s.fields().get("loss")).isPositive();
            assertThat(s.durationNanos()).isPositive();
        });
    }

    @Test
    void badInputGetsOneLine() throws Exception {
        Path notJfr = Files.writeString(tmp.resolve("x.jfr"), "hello");
        assertOneLineError(toks("trace", notJfr.toString()), 1, "not a readable JFR recording");
        assertOneLineError(toks("trace", tmp.resolve("missing.jfr").toString()), 1, "no such file");
        assertOneLineError(toks("run", "-n", "2", "--profile", tmp.resolve("no/such/dir/x.jfr").toString()), 1, "does not exist");
        assertOneLineError(toks("run", "-n", "2", "--profile-kernels"), 1, "needs --profile");
    }
}
