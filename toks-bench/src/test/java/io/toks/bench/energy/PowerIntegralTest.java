package io.toks.bench.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PowerIntegralTest {

    @Test
    void trapezoidsBetweenSamplesAndTheLastPowerHeldAfter() {
        PowerIntegral p = new PowerIntegral();
        assertThat(p.joulesAt(0)).isNaN();
        p.add(0, 10);
        p.add(1_000_000_000L, 30);
        assertThat(p.joulesAt(1_000_000_000L)).isEqualTo(20.0);
        assertThat(p.joulesAt(1_500_000_000L)).isCloseTo(35.0, within(1e-9));
    }

    @Test
    void anInstantJustBeforeTheLastSampleDoesNotCountThatSamplesInterval() {
        // A constant draw: whatever the order in which the sample and the clock reading came,
        // the energy between two instants is the power times their distance.
        PowerIntegral p = new PowerIntegral();
        p.add(0, 40);
        p.add(20_000_000L, 40);
        double start = p.joulesAt(15_000_000L); // read before the 20 ms sample arrived
        p.add(40_000_000L, 40);
        double end = p.joulesAt(55_000_000L);
        assertThat(end - start).isCloseTo(40 * 0.040, within(1e-9));
    }
}
