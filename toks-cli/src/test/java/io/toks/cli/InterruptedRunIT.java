package io.toks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ./toks bench stopped by a signal midway writes --out with the runs it measured. SIGTERM
 * takes the JVM's shutdown path that Ctrl-C's SIGINT takes (a process started from a background
 * job may ignore SIGINT, and the JVM then never sees it; nothing ignores SIGTERM so).
 */
class InterruptedRunIT {

    @Test
    void aStoppedBenchWritesWhatItMeasured(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bint.json"), stdout = dir.resolve("stdout.txt"), stderr = dir.resolve("stderr.txt");
        List<String> command = List.of("bash", ReadmeCommandsIT.root().resolve("toks").toString(), "bench", "-p", "16,32,64,128", "-n", "128",
                "-r", "300", "--jit-warmup-ms", "0", "--no-roofline", "-t", "1", "--energy", "off", "--no-history", "--out", out.toString());
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!Files.readString(stdout).contains("| pp16 ") && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
            assertThat(p.isAlive()).as("still measuring after its first test: %s", Files.readString(stderr)).isTrue();
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).isEqualTo(143);
        ResultDocument document = ResultJson.read(out);
        assertThat(document.incomplete()).isEqualTo(FinishOnInterrupt.WHY);
        assertThat(document.runs()).isNotEmpty().hasSizeLessThan(5);
        assertThat(document.runs().getFirst().name()).isEqualTo("pp16");
        assertThat(Files.readString(stderr)).contains("toks bench: interrupted; the result holds the ");
    }
}
