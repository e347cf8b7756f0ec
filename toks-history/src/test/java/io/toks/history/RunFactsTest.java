package io.toks.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.events.TokenCountSource;
import io.toks.core.result.EngineRun;
import io.toks.core.result.Metric;
import org.junit.jupiter.api.Test;

class RunFactsTest {

    static EngineRun decode(int sequences) {
        return EngineRun.ofBatch("tg16", Documents.MODEL, "java-vector-256bit", 2, false, 16, 0, sequences, new double[] {1e8, 1.1e8},
                TokenCountSource.ENGINE_IDS, null, null);
    }

    @Test
    void severalSequencesJoinTheTestNameAndListTheirAggregate() {
        RunFacts four = RunFacts.of(decode(4), null);
        assertThat(four.name()).isEqualTo("tg16 B=4"); // a series or a --test filter never mixes batch sizes
        assertThat(four.headline()).isEqualTo(Metric.AGGREGATE_DECODE_TPS);
        RunFacts one = RunFacts.of(decode(1), null);
        assertThat(one.name()).isEqualTo("tg16"); // as before -B: one sequence's history carries on
        assertThat(one.headline()).isEqualTo(Metric.DECODE_TPS);
    }
}
