package io.toks.cli;

import static io.toks.cli.CliTest.assertOneLineError;
import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;

import io.toks.http.testserver.ResponsePlan;
import io.toks.http.testserver.ScriptedOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** toks load and toks serve from the command line: a run, its journal, and one-line errors. */
class LoadCliTest {

    @Test
    void loadRunsLevelsJournalsAndSummarizesTheJournalAgain(@TempDir Path dir) throws Exception {
        Path journal = dir.resolve("j.jsonl");
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> ResponsePlan.ok(8,
                List.of(new ResponsePlan.Chunk(3_000_000, 1), new ResponsePlan.Chunk(5_000_000, 1), new ResponsePlan.Chunk(7_000_000, 1))))) {
            CliTest.Result r = toks("load", "--url", server.baseUrl(), "--model", "m", "--concurrency", "1,3", "--requests", "6",
                    "--input-tokens", "8", "--output-tokens", "3", "--journal", journal.toString(), "--slo", "ttft=1s");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("| c=1 | 6 | 0 |", "| c=3 | 6 | 0 |", "output token counts from: server_usage 6", "SLO: ttft<=1000ms");
        }
        assertThat(Files.readAllLines(journal)).hasSize(2 * (6 + 2));
        CliTest.Result again = toks("load", "--from-journal", journal.toString(), "-o", "json");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("\"name\" : \"c=1\"", "\"name\" : \"c=3\"", "\"succeeded\" : 6",
                "\"rate\" : null").doesNotContain("NaN");
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(again.out()); // valid JSON
        CliTest.Result onGpus = toks("load", "--from-journal", journal.toString(), "--target-hardware", "2xl4", "-o", "json");
        assertThat(onGpus.code()).as(onGpus.err()).isZero();
        var level = (io.toks.core.result.LoadRun) io.toks.core.result.ResultJson.read(onGpus.out()).runs().get(0);
        assertThat(level.metric(io.toks.core.result.Metric.OUTPUT_TPS_PER_DEVICE).mean())
                .isEqualTo(level.metric(io.toks.core.result.Metric.OUTPUT_TPS).mean() / 2);
    }

    @Test
    void aServersHardwareGivenByTheUserGivesTokPerSecondPerDeviceAndPerWattOfTdp() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> ResponsePlan.ok(8,
                List.of(new ResponsePlan.Chunk(2_000_000, 1), new ResponsePlan.Chunk(3_000_000, 1))))) {
            CliTest.Result r = toks("load", "--url", server.baseUrl(), "--model", "m", "--concurrency", "2", "--requests", "6",
                    "--input-tokens", "8", "--output-tokens", "2", "--target-hardware", "4xh100-sxm", "-o", "json", "--journal", "none");
            assertThat(r.code()).as(r.err()).isZero();
            var doc = io.toks.core.result.ResultJson.read(r.out());
            var hw = ((io.toks.core.manifest.TargetFacts.Server) doc.manifest().target()).hardware();
            assertThat(hw.id()).isEqualTo("h100-sxm");
            assertThat(hw.devices()).isEqualTo(4);
            var level = (io.toks.core.result.LoadRun) doc.runs().get(0);
            double output = level.metric(io.toks.core.result.Metric.OUTPUT_TPS).mean();
            assertThat(level.metric(io.toks.core.result.Metric.OUTPUT_TPS_PER_DEVICE).mean()).isEqualTo(output / 4);
            assertThat(level.metric(io.toks.core.result.Metric.OUTPUT_TPS_PER_TDP_WATT).mean()).isEqualTo(output / (4 * 700.0));
            CliTest.Result table = toks("load", "--url", server.baseUrl(), "--model", "m", "--concurrency", "1", "--requests", "3",
                    "--input-tokens", "8", "--output-tokens", "2", "--target-hardware", "l4", "--journal", "none");
            assertThat(table.out()).contains("server hardware: 1 x NVIDIA L4 (given with --target-hardware; spec sheet",
                    "output tok/s per device", "per W of TDP (72 W each; not measured power)");
        }
        assertOneLineError(toks("load", "--url", "http://127.0.0.1:9/v1", "--target-hardware", "9xtpu-v9"), 1, "unknown hardware 'tpu-v9'");
        assertOneLineError(toks("load", "--url", "http://127.0.0.1:9/v1", "--target-hardware", "0xl4"), 1, "device count must be 1 or more");
    }

    @Test
    void journalsOfTwoClientsOfOneServerMergeIntoOneSummary(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.jsonl"), b = dir.resolve("b.jsonl");
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> ResponsePlan.ok(8,
                List.of(new ResponsePlan.Chunk(2_000_000, 1), new ResponsePlan.Chunk(3_000_000, 1))))) {
            // Two clients at once, each with its own seed and half of the load.
            var clients = java.util.concurrent.Executors.newFixedThreadPool(2);
            var first = clients.submit(() -> toks("load", "--url", server.baseUrl(), "--model", "m", "--concurrency", "1,2",
                    "--requests", "4", "--input-tokens", "8", "--output-tokens", "2", "--seed", "1", "--journal", a.toString()));
            var second = clients.submit(() -> toks("load", "--url", server.baseUrl(), "--model", "m", "--concurrency", "1,2",
                    "--requests", "6", "--input-tokens", "8", "--output-tokens", "2", "--seed", "2", "--journal", b.toString()));
            assertThat(first.get().code()).as(first.get().err()).isZero();
            assertThat(second.get().code()).as(second.get().err()).isZero();
            clients.shutdown();
        }
        CliTest.Result merged = toks("load", "--from-journal", a.toString(), b.toString(), "-o", "json");
        assertThat(merged.code()).as(merged.err()).isZero();
        var doc = io.toks.core.result.ResultJson.read(merged.out());
        assertThat(doc.runs()).hasSize(2);
        var levels = doc.runs().stream().map(io.toks.core.result.LoadRun.class::cast).toList();
        // The offered loads add up (1+1, 2+2 streams), and every request of both clients is in.
        assertThat(levels).extracting(io.toks.core.result.LoadRun::concurrency).containsExactly(2, 4);
        assertThat(levels).extracting(io.toks.core.result.LoadRun::succeeded).containsExactly(10, 10);
        CliTest.Result mismatched = toks("load", "--from-journal", a.toString(), Files.writeString(dir.resolve("one.jsonl"),
                Files.readAllLines(a).get(0) + "\n").toString());
        assertOneLineError(mismatched, 1, "cannot merge");
    }

    @Test
    void degenerateOutputIsNotedBecauseItsSpeedOverstatesTheServer(@TempDir Path dir) throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("{\"type\":\"level_start\",\"version\":2,\"level\":\"c=1\",\"start_ns\":0,\"start_epoch_ns\":0,\"concurrency\":1}");
        String[] texts = {"the the the the the the the the the the the the the the the the the the",
                "Once upon a time there was a little girl who liked to read books in the garden."};
        for (int i = 0; i < texts.length; i++) {
            long t = i * 100_000_000L;
            lines.add("{\"type\":\"request\",\"level\":\"c=1\",\"id\":\"r" + i + "\",\"scheduled_ns\":" + t + ",\"sent_ns\":" + t
                    + ",\"head_ns\":" + (t + 1_000_000) + ",\"end_ns\":" + (t + 20_000_000) + ",\"status\":200,\"input_tokens\":8"
                    + ",\"requested_tokens\":2,\"output_tokens\":2,\"output_source\":\"SERVER_USAGE\",\"retokenized\":-1"
                    + ",\"chunk_ns\":[" + (t + 10_000_000) + "," + (t + 20_000_000) + "],\"chunk_tokens\":[1,1]"
                    + ",\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2},\"finish_reason\":\"length\",\"text\":\"" + texts[i] + "\"}");
        }
        Path journal = Files.write(dir.resolve("j.jsonl"), lines);
        CliTest.Result r = toks("load", "--from-journal", journal.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("1 of 2 requests generated degenerate text");
        CliTest.Result json = toks("load", "--from-journal", journal.toString(), "-o", "json");
        assertThat(json.out()).contains("\"degenerate_outputs\" : 1");
    }

    @Test
    void whenTheServerRefusesEveryRequestItsReasonIsPrinted(@TempDir Path dir) throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> ResponsePlan.httpError(400))) {
            CliTest.Result r = toks("load", "--url", server.baseUrl(), "--model", "m", "--requests", "3", "--journal", "none",
                    "--input-tokens", "4", "--output-tokens", "2");
            assertThat(r.code()).isEqualTo(1);
            String error = r.err().strip().lines().reduce((a, b) -> b).orElse("");
            assertThat(error).startsWith("toks: error: every request failed ({http_4xx=3}; the server said: HTTP 400")
                    .doesNotContain("is the server at");
            assertThat(r.out()).contains("first http_4xx error: HTTP 400");
        }
    }

    /**
     * A hostile server, end to end through the command in both transports: the level ends within
     * --timeout plus a margin and the process well before the server's 60 s hold, the last line
     * names the kind and what the server said, and the journal has every request. The level's own
     * time comes from the journal, so neither the client's warm-up (once per JVM, so it depends on
     * the test order) nor a busy 2-core host's slow start of the command counts against it.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}, --io {1}")
    @org.junit.jupiter.params.provider.CsvSource({"STALL_BEFORE_HEAD, nio", "STALL_BEFORE_HEAD, blocking", "DRIP_ENDLESS, nio",
            "DRIP_ENDLESS, blocking", "HTML_ERROR, nio", "HTML_ERROR, blocking", "REDIRECT, nio", "REDIRECT, blocking",
            "NOT_STREAMED, nio", "NOT_STREAMED, blocking", "GZIP_ENCODED, nio", "GZIP_ENCODED, blocking"})
    void aHostileServerEndsEveryRequestNamedAndInTime(String fault, String io, @TempDir Path dir) throws Exception {
        ResponsePlan plan = switch (fault) {
            case "REDIRECT" -> ResponsePlan.httpError(302);
            default -> ResponsePlan.faulty(8, List.of(new ResponsePlan.Chunk(1_000_000, 1)), ResponsePlan.Fault.valueOf(fault), 0);
        };
        String said = switch (fault) {
            case "STALL_BEFORE_HEAD" -> "every request failed ({stall=4})";
            case "DRIP_ENDLESS" -> "every request failed ({stall=4})";
            case "HTML_ERROR" -> "every request failed ({http_5xx=4}; the server said: HTTP 502: 502 Bad Gateway";
            case "NOT_STREAMED", "GZIP_ENCODED" -> "every request failed ({malformed=4})";
            default -> "every request failed ({redirect=4}; the server said: HTTP 302 redirect to http://127.0.0.1:";
        };
        Path journal = dir.resolve("j.jsonl");
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> plan)) {
            long start = System.nanoTime();
            CliTest.Result r = toks("load", "--url", server.baseUrl(), "--model", "m", "--concurrency", "4", "--requests", "4",
                    "--journal", journal.toString(), "--input-tokens", "4", "--output-tokens", "1", "--timeout", "500ms", "--io", io,
                    "--client-warmup", "0s", "--energy", "off");
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.code()).as(r.err()).isEqualTo(1);
            assertThat(r.err().strip().lines().reduce((a, b) -> b).orElse("")).startsWith("toks: error: " + said);
            assertThat(levelMillis(journal)).as("the level's time in the journal (ms)").isLessThan(500 + 1500);
            assertThat(tookMs).as("toks load run time (ms): no wait for the server's 60 s hold").isLessThan(20_000);
            // What was wrong, in the same words from either transport.
            if (fault.equals("NOT_STREAMED")) {
                assertThat(r.out()).contains("first malformed error: the server answered with a non-streamed JSON body (application/json): "
                        + "it ignored stream:true");
            }
            if (fault.equals("GZIP_ENCODED")) {
                assertThat(r.out()).contains("first malformed error: the server encoded its answer (Content-Encoding gzip) though the client "
                        + "asked for identity");
            }
        }
        assertThat(Files.readAllLines(journal).stream().filter(l -> l.contains("\"type\":\"request\"")).count()).isEqualTo(4);
    }

    /** From the journal's level_end: when the level began to when its last request ended. */
    private static long levelMillis(Path journal) throws java.io.IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : Files.readAllLines(journal)) {
            var o = json.readTree(line);
            if (o.path("type").asText().equals("level_end")) return (o.get("end_ns").asLong() - o.get("start_ns").asLong()) / 1_000_000;
        }
        throw new AssertionError(journal + " has no level_end");
    }

    /**
     * A server whose usage cannot be true (a negative prompt count, a million completion tokens
     * for 4 asked): its usage is not believed, the counts are the client's, the notes say how many
     * and why, and --strict fails on it. The journal summarized again says the same.
     */
    @Test
    void serverUsageThatCannotBeTrueIsNotBelievedAndFailsStrict(@TempDir Path dir) throws Exception {
        Path journal = dir.resolve("j.jsonl");
        List<ResponsePlan.Chunk> chunks = List.of(new ResponsePlan.Chunk(1_000_000, 1), new ResponsePlan.Chunk(2_000_000, 1),
                new ResponsePlan.Chunk(3_000_000, 1), new ResponsePlan.Chunk(4_000_000, 1));
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> ResponsePlan.faulty(8, chunks, ResponsePlan.Fault.IMPOSSIBLE_USAGE, 0))) {
            String[] run = {"load", "--url", server.baseUrl(), "--model", "m", "--requests", "4", "--input-tokens", "4", "--output-tokens", "4"};
            CliTest.Result r = toks(concat(run, "--journal", journal.toString(), "-o", "json"));
            assertThat(r.code()).as(r.err()).isZero();
            var level = (io.toks.core.result.LoadRun) io.toks.core.result.ResultJson.read(r.out()).runs().get(0);
            assertThat(level.invalidUsage()).isEqualTo(java.util.Map.of("not_a_count", 4));
            assertThat(level.countSources()).isEqualTo(java.util.Map.of("client_retokenized", 4));
            double window = level.windowSeconds();
            // The client's re-count of 4 short words, not 4 x 1,000,000 tokens.
            assertThat(level.metric(io.toks.core.result.Metric.OUTPUT_TPS).mean() * window).isBetween(4.0 * 4, 4.0 * 16);
            assertThat(level.metric(io.toks.core.result.Metric.OUTPUT_TPS).mean())
                    .isEqualTo(level.metric(io.toks.core.result.Metric.REFERENCE_TPS).mean());

            CliTest.Result strict = toks(concat(run, "--journal", "none", "--strict"));
            assertThat(strict.code()).isEqualTo(1);
            assertThat(strict.out()).contains("server usage invalid in 4 of 4 requests (not_a_count 4): not used, their token counts are the client's");
            assertThat(strict.err()).contains("--strict: c=1 invalid server usage {not_a_count=4}");
        }
        CliTest.Result again = toks("load", "--from-journal", journal.toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("output token counts from: client_retokenized 4", "server usage invalid in 4 of 4 requests (not_a_count 4)");
    }

    /** Values no run can have written: a one-line error naming the file, the line and the field, before any table. */
    @Test
    void aJournalWithImpossibleValuesIsAOneLineError(@TempDir Path dir) throws Exception {
        Path journal = dir.resolve("j.jsonl");
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> ResponsePlan.ok(8,
                List.of(new ResponsePlan.Chunk(1_000_000, 1), new ResponsePlan.Chunk(2_000_000, 1))))) {
            CliTest.Result r = toks("load", "--url", server.baseUrl(), "--model", "m", "--requests", "3", "--input-tokens", "4",
                    "--output-tokens", "2", "--journal", journal.toString());
            assertThat(r.code()).as(r.err()).isZero();
        }
        List<String> lines = Files.readAllLines(journal);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> negative = new java.util.ArrayList<>(), reversed = new java.util.ArrayList<>();
        for (String line : lines) {
            var o = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
            if (!o.path("type").asText().equals("request")) {
                negative.add(line);
                reversed.add(line);
                continue;
            }
            negative.add(o.deepCopy().put("output_tokens", -5).toString());
            reversed.add(o.deepCopy().put("end_ns", o.get("sent_ns").asLong() - 1000).toString());
        }
        CliTest.Result neg = toks("load", "--from-journal", Files.write(dir.resolve("negative.jsonl"), negative).toString());
        assertOneLineError(neg, 1, "negative.jsonl line 2: output_tokens is -5: a count cannot be negative");
        assertThat(neg.out()).isEmpty();
        CliTest.Result rev = toks("load", "--from-journal", Files.write(dir.resolve("reversed.jsonl"), reversed).toString());
        assertOneLineError(rev, 1, "reversed.jsonl line 2: end_ns is before");
        assertThat(rev.out()).isEmpty();
    }

    @Test
    void strictFailsOnAMissedSloAndASweepWithoutAPassingLevelFails(@TempDir Path dir) throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> ResponsePlan.ok(8,
                List.of(new ResponsePlan.Chunk(30_000_000, 1), new ResponsePlan.Chunk(31_000_000, 1))))) {
            String[] base = {"load", "--url", server.baseUrl(), "--model", "m", "--requests", "3", "--journal", "none",
                    "--input-tokens", "4", "--output-tokens", "2", "--slo", "ttft=1ms"};
            CliTest.Result strict = toks(concat(base, "--strict"));
            assertThat(strict.code()).isEqualTo(1);
            assertThat(strict.out()).contains("| c=1 | 3 | 0 |"); // the report comes first
            assertThat(strict.err()).contains("--strict: c=1 missed the SLO");
            CliTest.Result sweep = toks(concat(base, "--sweep", "--concurrency", "1,2"));
            assertThat(sweep.code()).isEqualTo(1);
            assertThat(sweep.err()).contains("no level met the SLO");
            assertThat(toks(base).code()).isZero(); // without --strict a missed SLO is a result, not a failure
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void badLoadSettingsAreOneLineErrors(@TempDir Path dir) throws Exception {
        assertOneLineError(toks("load"), 1, "--url is required");
        // No model named: the flag is refused before the server is asked which model it serves, and
        // before a journal is created (at a path given, or at the default one in the working directory).
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> ResponsePlan.ok(8, List.of()))) {
            Path journal = dir.resolve("j.jsonl");
            assertOneLineError(toks("load", "--url", server.baseUrl(), "--duration", "abc", "--journal", journal.toString()), 1, "--duration");
            List<Path> defaultJournalsBefore = defaultJournals();
            assertOneLineError(toks("load", "--url", server.baseUrl(), "--duration", "abc"), 1, "--duration");
            assertOneLineError(toks("load", "--url", server.baseUrl(), "--client-warmup", "abc"), 1, "--client-warmup");
            assertOneLineError(toks("load", "--url", server.baseUrl(), "--client-warmup", "-1s"), 1, "--client-warmup");
            assertThat(server.acceptedConnections()).isZero();
            assertThat(journal).doesNotExist();
            assertThat(defaultJournals()).isEqualTo(defaultJournalsBefore);
        }
        assertOneLineError(toks("load", "--url", "ftp://x/v1", "--model", "m"), 1, "--url must be an http(s) URL");
        assertOneLineError(toks("load", "--url", "http://127.0.0.1:1/v1", "--model", "m", "--concurrency", "1", "--rate", "2"), 2, "mutually exclusive");
        assertOneLineError(toks("load", "--url", "http://127.0.0.1:1/v1", "--model", "m", "--requests", "1", "--duration", "2s"), 2, "mutually exclusive");
        assertOneLineError(toks("load", "--url", "http://127.0.0.1:1/v1", "--model", "m", "--sweep"), 1, "--sweep needs --slo");
        assertOneLineError(toks("load", "--url", "http://127.0.0.1:1/v1", "--model", "m", "--slo", "ttft=soon"), 1, "not a time");
        assertOneLineError(toks("load", "--url", "http://127.0.0.1:1/v1", "--model", "m", "--api", "grpc"), 1, "unknown API");
        Path notJournal = Files.writeString(dir.resolve("x.jsonl"), "hello\nworld\n");
        CliTest.Result notAJournal = toks("load", "--from-journal", notJournal.toString());
        assertOneLineError(notAJournal, 1, "not a toks journal");
        assertThat(notAJournal.out()).isEmpty(); // no table header above the error
        CliTest.Result refused = toks("load", "--url", "http://127.0.0.1:1/v1", "--model", "m", "--requests", "2", "--journal", "none",
                "--input-tokens", "4", "--output-tokens", "2");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).contains("errors: connect 2");
        assertThat(refused.err().strip()).startsWith("toks load: chat http://127.0.0.1:1/v1/chat/completions")
                .endsWith("is the server at http://127.0.0.1:1/v1?").doesNotContain("Exception:");
    }

    /** The journals a run without --journal would leave in the working directory. */
    private static List<Path> defaultJournals() throws java.io.IOException {
        try (var files = Files.list(Path.of("").toAbsolutePath())) {
            return files.filter(f -> f.getFileName().toString().matches("toks-load-.*\\.jsonl")).sorted().toList();
        }
    }

    @Test
    void serveRefusesImpossibleSettings() {
        assertOneLineError(toks("serve", "--port", "70000"), 1, "--port must be");
        assertOneLineError(toks("serve", "--parallel", "0"), 1, "--parallel must be");
        assertOneLineError(toks("serve", "--ctx-size", "100000"), 1, "--ctx-size must be");
    }
}
