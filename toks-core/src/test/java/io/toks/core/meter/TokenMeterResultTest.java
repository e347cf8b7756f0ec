package io.toks.core.meter;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.result.MeterRun;
import io.toks.core.result.Metric;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import org.junit.jupiter.api.Test;

/** A meter's result is the document every toks command writes: it reads back into the same records. */
class TokenMeterResultTest {

    @Test
    void theResultDocumentRoundTripsAndHoldsTheStats() {
        FakeClock clock = new FakeClock();
        TokenMeter meter = TokenMeter.create("my-model", clock);
        for (int i = 0; i < 3; i++) {
            clock.at(100 * i);
            try (TokenMeter.Call call = meter.start(12)) {
                clock.at(100 * i + 20); call.firstToken();
                clock.at(100 * i + 21); call.tokens(1);
                clock.at(100 * i + 23); call.tokens(2);
                clock.at(100 * i + 30);
            }
        }
        meter.trainStep(512);
        TokenMeter.Call open = meter.start(1); // in flight when the result is taken

        ResultDocument doc = meter.result();
        assertThat(doc.command()).isEqualTo("meter");
        assertThat(doc.manifest().target()).isNull();
        assertThat(doc.manifest().parameters()).containsEntry("model", "my-model").containsEntry("clock", "custom");
        MeterRun run = doc.runs(MeterRun.class).getFirst();
        TokenStats stats = meter.stats();
        assertThat(run.name()).isEqualTo("my-model");
        assertThat(run.calls()).isEqualTo(3);
        assertThat(run.inFlight()).isEqualTo(1);
        assertThat(run.outputTokens()).isEqualTo(12);
        assertThat(run.countSources()).containsExactlyEntriesOf(java.util.Map.of("chunks_counted", 3L));
        assertThat(run.trainTokens()).isEqualTo(512);
        assertThat(run.metrics()).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(stats.metrics());
        assertThat(run.metric(Metric.TTFT).samples()).containsExactly(20, 20, 20);

        String json = ResultJson.write(doc);
        ResultDocument back = ResultJson.read(json);
        assertThat(back).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(doc);
        assertThat(ResultJson.write(back)).isEqualTo(json);
        open.close();
    }

    @Test
    void aMeterOnTheSystemClockSaysSo() {
        assertThat(TokenMeter.create("m").result().manifest().parameters()).containsEntry("clock", "System.nanoTime");
    }
}
