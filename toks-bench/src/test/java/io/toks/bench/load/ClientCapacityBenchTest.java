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
        // Steady state: from the last stream's first event to the first stream's end. Phases
        // spread the streams' schedules over one interval: about 58 of each stream's 60 remain.
        // Each stream's schedule starts when the server received its request, so a stall of the
        // host while the 40 requests go out (a GC pause, a neighbour on both cores: 100 ms and
        // more) starts the last stream later and shortens the window for all: 4 events per ms of
        // stall. More than half of each stream (30 of 60: a stall of up to ~280 ms) still proves
        // a window where every stream was streaming; all of them would mean no start or end left out.
        assertThat(r.steadyEvents()).isGreaterThan(40 * 30).isLessThan(r.events());
        assertThat(r.steady().count()).isEqualTo(r.steadyEvents());
        assertThat(r.gc().collections()).isNotNegative();
        assertThat(r.gc().millis()).isNotNegative();
        assertThat(r.jit().millis()).as("HotSpot reports its compilation time").isNotNegative();
    }

    @Test
    void steadyStateRunsFromTheLastStreamsStartToTheFirstStreamsEnd() {
        long[][] early = {{100, 200, 300}, {105, 205, 390}}; // writes, arrivals: its last arrives late
        long[][] late = {{150, 250, 350}, {151, 251, 351}};
        long[][] empty = {{}, {}};
        assertThat(ClientCapacityBench.steadyWindow(java.util.List.of(early, late, empty))).containsExactly(150, 351);
    }

    @Test
    void warmUpStreamsAreShorterThanMeasuredOnes() {
        assertThat(new ClientCapacityBench.Settings(10, 250, 40).warmupEvents()).isEqualTo(ClientCapacityBench.WARMUP_EVENTS);
        assertThat(new ClientCapacityBench.Settings(10, 20, 40).warmupEvents()).isEqualTo(20);
    }
}
