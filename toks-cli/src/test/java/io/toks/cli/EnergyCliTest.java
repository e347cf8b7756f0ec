package io.toks.cli;

import static io.toks.cli.CliTest.assertOneLineError;
import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.toks.http.testserver.ResponsePlan;
import io.toks.http.testserver.ScriptedOpenAiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Energy end to end: the commands read a stand-in nvidia-smi that reports a constant 50 W (so
 * every span's average power is 50 W whatever its timing), or find no source and say so.
 */
class EnergyCliTest {

    static final double WATTS = 50;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSchema() throws IOException {
        ResultDocumentTest.loadSchema();
    }

    /** Runs {@code command} with this machine's sources replaced: no RAPL folder, {@code nvidiaSmi} (maybe absent). */
    <T> T withSources(Path nvidiaSmi, Callable<T> command) throws Exception {
        System.setProperty("toks.powercap", dir.resolve("no-powercap").toString());
        System.setProperty("toks.nvidia-smi", nvidiaSmi.toString());
        try {
            return command.call();
        } finally {
            System.clearProperty("toks.powercap");
            System.clearProperty("toks.nvidia-smi");
        }
    }

    /** nvidia-smi as it answers on a one-GPU machine drawing 50 W, once or every -lms milliseconds. */
    Path constantGpu() throws IOException {
        Path smi = dir.resolve("nvidia-smi");
        Files.writeString(smi, """
                #!/usr/bin/env bash
                for a in "$@"; do [ "$a" = "-lms" ] && sampling=1; done
                if [ -z "$sampling" ]; then echo "0, 50.00"; exit 0; fi
                while true; do echo "0, 50.00"; sleep 0.05; done
                """);
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return smi;
    }

    static void assertEnergy(JsonNode metrics, double tokens) {
        double joules = metrics.get("energy").get("mean").asDouble();
        assertThat(joules).isPositive();
        assertThat(metrics.get("average_power").get("mean").asDouble()).isCloseTo(WATTS, within(1e-6));
        assertThat(metrics.get("idle_power").get("mean").asDouble()).isCloseTo(WATTS, within(1e-6));
        assertThat(metrics.get("energy_above_idle").get("mean").asDouble()).isCloseTo(0, within(1e-6));
        assertThat(metrics.get("tokens_per_joule").get("mean").asDouble()).isCloseTo(tokens / joules, within(1e-9 * tokens / joules));
        assertThat(metrics.get("energy").get("unit").asText()).isEqualTo("J");
    }

    @Test
    void benchStatesEachTestsEnergyOverItsRepetitions() throws Exception {
        Path smi = constantGpu();
        JsonNode doc = withSources(smi, () -> ResultDocumentTest.checked(toks("bench", "-p", "8", "-n", "4", "-r", "2", "-t", "1",
                "--warmup", "0", "--jit-warmup-ms", "0", "--no-roofline", "--idle-seconds", "0.2", "-o", "json"), "bench"));
        JsonNode energy = doc.get("manifest").get("energy");
        assertThat(energy.get("source").asText()).isEqualTo("nvidia-smi power.draw, 1 GPU");
        assertThat(energy.get("idle_power").asDouble()).isCloseTo(WATTS, within(1e-6));
        assertThat(energy.get("idle_seconds").asDouble()).isEqualTo(0.2);
        assertThat(energy.get("not_measured").isNull()).isTrue();
        assertEnergy(doc.get("runs").get(0).get("metrics"), 2 * 8);
        assertEnergy(doc.get("runs").get(1).get("metrics"), 2 * 4);

        CliTest.Result table = withSources(smi, () -> toks("bench", "-p", "8", "-n", "0", "-r", "1", "-t", "1", "--warmup", "0",
                "--jit-warmup-ms", "0", "--no-roofline", "--idle-seconds", "0"));
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).containsPattern("\nenergy pp8 t=1: [0-9.]+ J, 50\\.0 W average \\(nvidia-smi power.draw, 1 GPU\\), [0-9.]+ tok/J\n");
    }

    @Test
    void withoutASourceTheOutputSaysSoInOneLineAndTheRunsHaveNoEnergy() throws Exception {
        Path absent = dir.resolve("absent/nvidia-smi");
        CliTest.Result r = withSources(absent, () -> toks("bench", "-p", "8", "-n", "4", "-r", "1", "-t", "1", "--warmup", "0",
                "--jit-warmup-ms", "0", "--no-roofline"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("energy")).toList()).containsExactly(
                "energy: not measured (no RAPL counters under " + dir.resolve("no-powercap") + ", no nvidia-smi at " + absent + ")");

        JsonNode doc = withSources(absent, () -> ResultDocumentTest.checked(toks("bench", "-p", "8", "-n", "0", "-r", "1", "-t", "1",
                "--warmup", "0", "--jit-warmup-ms", "0", "--no-roofline", "-o", "json"), "bench"));
        assertThat(doc.get("manifest").get("energy").get("source").isNull()).isTrue();
        assertThat(doc.get("runs").get(0).get("metrics").has("energy")).isFalse();
    }

    @Test
    void energyOffIsStatedAndBadValuesAreOneLineErrors() throws Exception {
        CliTest.Result off = withSources(constantGpu(), () -> toks("bench", "-p", "8", "-n", "0", "-r", "1", "-t", "1", "--warmup", "0",
                "--jit-warmup-ms", "0", "--no-roofline", "--energy", "off"));
        assertThat(off.out()).contains("\nenergy: not measured (--energy off)\n");
        assertOneLineError(toks("bench", "--energy", "maybe"), 1, "--energy must be auto or off, got 'maybe'");
        assertOneLineError(toks("perplexity", "x.txt", "--idle-seconds", "-1"), 1, "--idle-seconds must be between 0 and 600");
    }

    @Test
    void loadStatesEachLevelsEnergyForAServerOnThisMachine() throws Exception {
        Path smi = constantGpu();
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> ResponsePlan.ok(8,
                List.of(new ResponsePlan.Chunk(1_000_000, 1), new ResponsePlan.Chunk(2_000_000, 1))))) {
            JsonNode doc = withSources(smi, () -> ResultDocumentTest.checked(toks("load", "--url", server.baseUrl(), "--model", "m",
                    "--concurrency", "1", "--requests", "4", "--input-tokens", "8", "--output-tokens", "2", "--journal", "none",
                    "--idle-seconds", "0.1", "-o", "json"), "load"));
            JsonNode level = doc.get("runs").get(0);
            // The scripted server's usage: 8 prompt tokens and 2 output tokens per request, 4 requests.
            assertEnergy(level.get("metrics"), 4 * (8 + 2));
        }
    }

    @Test
    void perplexityStatesTokensScoredPerJoule() throws Exception {
        JsonNode doc = withSources(constantGpu(), () -> ResultDocumentTest.checked(toks("perplexity",
                CliTest.shared("corpus/tinystories/tinystories_sample.txt").toString(), "--ctx", "64", "--chunks", "2", "-t", "1",
                "--idle-seconds", "0.1", "-o", "json"), "perplexity"));
        JsonNode run = doc.get("runs").get(0);
        assertEnergy(run.get("metrics"), run.get("tokens_scored").asDouble());
    }
}
