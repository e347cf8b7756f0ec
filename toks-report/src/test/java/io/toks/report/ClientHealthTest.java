package io.toks.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.result.LoadRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The open-loop "could not keep the schedule" warning judges the client against what its schedule
 * asked of the measured requests (a Poisson schedule runs above or below the nominal rate by
 * chance), so it fires when the client fell behind and only then.
 */
class ClientHealthTest {

    private static final String BEHIND = "could not keep the schedule";

    /** A Poisson level at a nominal 10 req/s whose schedule asked {@code scheduled} and whose client sent {@code achieved}. */
    private static LoadRun poisson(double scheduled, double achieved) {
        return new LoadRun("rate=10", null, 10.0, "poisson", 40, 40, Map.of(), Map.of(), 5, scheduled, achieved, 0, 0, 0,
                Map.of("server_usage", 40), 0, 0.1, null, Map.of());
    }

    @Test
    void aScheduleThatWasKeptGivesNoWarningEvenBelowTheNominalRate() {
        // The exponential gaps happened to add up to 8 req/s, and every request left on time.
        List<String> notes = LoadTable.notes(poisson(8.0, 7.99), "cl100k");
        assertThat(notes).noneMatch(n -> n.contains(BEHIND));
        assertThat(notes).contains("client: 7.99 req/s sent of 10.00 asked, send lag p99 n/a ms, CPU 10%");
    }

    @Test
    void aScheduleTheClientFellBehindIsWarnedEvenAboveTheNominalRate() {
        // The schedule asked 12 req/s; sending 10.5 is above the nominal 10 but behind the schedule.
        assertThat(LoadTable.notes(poisson(12.0, 10.5), "cl100k"))
                .contains("WARNING: sent 10.50 req/s of the 12.00 the schedule asked: the client could not keep the schedule "
                        + "(latencies still count from the schedule)");
        assertThat(ClientHealth.warnings(poisson(12.0, 11.5))).noneMatch(w -> w.contains(BEHIND)); // within 5% of it
    }

    @Test
    void aClosedLoopHasNoScheduleToKeep() {
        var closed = new LoadRun("c=4", 4, null, null, 40, 40, Map.of(), Map.of(), 5, Double.NaN, 1.0, 0, 0, 0,
                Map.of("server_usage", 40), 0, 0.1, null, Map.of());
        assertThat(ClientHealth.warnings(closed)).isEmpty();
    }
}
