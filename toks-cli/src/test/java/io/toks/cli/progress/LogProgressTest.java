package io.toks.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private java.util.List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void everyIntervalALineWithDoneTotalTheMessageAndAnEta() {
        var log = new LogProgress(err, 0, false); // interval 0: a line at every update
        try (ProgressTask t = log.start("c=4", 10, "requests")) {
            t.message("ok 5");
            t.doneSoFar(5);
        }
        assertThat(lines()).hasSize(3);
        assertThat(lines().get(0)).isEqualTo("toks: c=4: started, 10 requests");
        assertThat(lines().get(1)).startsWith("toks: c=4: 5/10 requests in ").contains(", ok 5, ETA ");
        assertThat(lines().get(2)).startsWith("toks: c=4: done, 5/10 requests in ").endsWith("ok 5");
    }

    @Test
    void quietWorkThatEndsWithinTheIntervalSaysNothing() {
        var log = new LogProgress(err, LogProgress.DEFAULT_INTERVAL_NANOS, true);
        log.note("building");
        try (ProgressTask t = log.start("count", 100, "KiB")) {
            t.doneSoFar(100);
        }
        assertThat(lines()).isEmpty();
    }

    @Test
    void quietWorkThatRunsLongGetsItsLinesAndALastOne() {
        var log = new LogProgress(err, 0, true);
        try (ProgressTask t = log.start("count", 100, "KiB")) {
            t.doneSoFar(40);
        }
        assertThat(lines()).hasSize(2);
        assertThat(lines().get(0)).startsWith("toks: count: 40/100 KiB in ");
        assertThat(lines().get(1)).startsWith("toks: count: done, 40/100 KiB");
    }

    @Test
    void aBarIsDrawnInPlaceAndClearedWhenItsWorkEnds() {
        var bar = new BarProgress(err, 80);
        try (ProgressTask t = bar.start("[1/2] tg128 t=2", 5, "reps")) {
            t.message("41.00 t/s");
            t.doneSoFar(5);
        }
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("\r[1/2] tg128 t=2", "5/5 reps", "41.00 t/s").doesNotContain("\n");
        assertThat(shown).endsWith("\r"); // cleared: what is printed next starts on a clean line
    }
}
