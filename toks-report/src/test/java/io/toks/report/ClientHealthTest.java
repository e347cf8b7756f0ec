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
        assertThat(notes).contains("client: 7.99 req/s sent of the 8.00 the schedule asked (nominal rate 10.00), send lag p99 n/a ms, CPU 10%");
    }

    /**
     * A short run at a huge nominal rate: the schedule of 8 Poisson arrivals asked less than the
     * nominal. The client line and the warning name one rate asked, the schedule's, and the
     * nominal one only as such.
     */
    @Test
    void theClientLineAndTheWarningNameTheSameRateAsked() {
        var huge = new LoadRun("rate=1000000000/s poisson", null, 1e9, "poisson", 8, 8, Map.of(), Map.of(), 0.05, 7e8, 218.4, 0, 0, 0,
                Map.of("server_usage", 8), 0, 0.1, null, Map.of());
        List<String> notes = LoadTable.notes(huge, "cl100k");
        assertThat(notes).contains("client: 218.40 req/s sent of the 700000000.00 the schedule asked (nominal rate 1000000000.00), "
                        + "send lag p99 n/a ms, CPU 10%")
                .contains("WARNING: sent 218.40 req/s of the 700000000.00 the schedule asked: the client could not keep the schedule "
                        + "(latencies still count from the schedule)");
        // A schedule that asked the nominal rate names it once; one request has no schedule rate, only the nominal.
        assertThat(LoadTable.notes(poisson(10.0, 9.99), "cl100k")).contains("client: 9.99 req/s sent of the 10.00 the schedule asked, "
                + "send lag p99 n/a ms, CPU 10%");
        assertThat(LoadTable.notes(poisson(Double.NaN, Double.NaN), "cl100k")).contains("client: n/a req/s sent (nominal rate 10.00), "
                + "send lag p99 n/a ms, CPU 10%");
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
