package io.toks.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void summarizesFiveSamples() {
        Summary s = Statistics.summarize(5, 1, 4, 2, 3);
        assertThat(s.n()).isEqualTo(5);
        assertThat(s.mean()).isEqualTo(3.0);
        assertThat(s.stdev()).isCloseTo(Math.sqrt(2.5), within(1e-12));
        // t(0.975, 4 dof) = 2.776; half width = 2.776 * sqrt(2.5) / sqrt(5)
        assertThat(s.ci95HalfWidth()).isCloseTo(2.776 * Math.sqrt(2.5) / Math.sqrt(5), within(1e-9));
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.median()).isEqualTo(3);
        assertThat(s.max()).isEqualTo(5);
    }

    @Test
    void evenCountMedianIsTheMeanOfTheMiddleTwo() {
        assertThat(Statistics.summarize(4, 1, 3, 2).median()).isEqualTo(2.5);
    }

    @Test
    void oneSampleHasNoSpread() {
        Summary s = Statistics.summarize(7.5);
        assertThat(s.stdev()).isZero();
        assertThat(s.ci95Low()).isEqualTo(7.5);
        assertThat(s.ci95High()).isEqualTo(7.5);
    }

    @Test
    void largeSamplesUseTheNormalQuantile() {
        assertThat(Statistics.tQuantile975(1000)).isEqualTo(1.960);
        assertThat(Statistics.tQuantile975(1)).isEqualTo(12.706);
    }

    @Test
    void rejectsEmptyAndNaN() {
        assertThatThrownBy(Statistics::summarize).hasMessageContaining("zero samples");
        assertThatThrownBy(() -> Statistics.summarize(1, Double.NaN)).hasMessageContaining("NaN");
    }
}
