package io.toks.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientCapacityBenchTest {

    @Test
    void everyScheduledEventArrivesAndIsMeasuredAgainstItsWriteTime() throws Exception {
        var settings = new ClientCapacityBench.Settings(40, 60, 10);
        ClientCapacityBench.Result r = ClientCapacityBench.run(settings, true);

        assertThat(r.completedStreams()).isEqualTo(40);
        assertThat(r.failedStreams()).isZero();
        // The warm-up round (40 streams of 50 events) is not counted: only the measured 40 x 60.
        assertThat(r.events()).isEqualTo(40 * 60);
        assertThat(r.delivery().count()).isEqualTo(40 * 60);
        assertThat(r.delivery().max()).isLessThan(5_000); // ms: every event arrived, none stuck for seconds
        assertThat(r.delivery().p50()).isLessThanOrEqualTo(r.delivery().p99());
        // Steady state: without the first and last 2 of the 60 intervals of each stream's schedule.
        assertThat(r.steadyEvents()).isPositive().isLessThan(r.events());
        assertThat(r.steady().count()).isEqualTo(r.steadyEvents());
        assertThat(r.gc().collections()).isNotNegative();
        assertThat(r.gc().millis()).isNotNegative();
    }

    @Test
    void warmUpStreamsAreShorterThanMeasuredOnes() {
        assertThat(new ClientCapacityBench.Settings(10, 250, 40).warmupEvents()).isEqualTo(ClientCapacityBench.WARMUP_EVENTS);
        assertThat(new ClientCapacityBench.Settings(10, 20, 40).warmupEvents()).isEqualTo(20);
    }
}
