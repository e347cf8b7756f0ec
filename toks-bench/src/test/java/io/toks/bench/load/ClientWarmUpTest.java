package io.toks.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientWarmUpTest {

    @Test
    void warmsUpOncePerJvmAndNotAtAllForZero() throws Exception {
        assertThat(ClientWarmUp.runOnce(Duration.ZERO, true, null)).as("0s skips it, and leaves it to do").isFalse();
        long start = System.nanoTime();
        assertThat(ClientWarmUp.runOnce(Duration.ofMillis(300), true, null)).isTrue();
        assertThat((System.nanoTime() - start) / 1e9).as("the streams' length plus at most 3 s of waiting for the JIT").isLessThan(30);
        assertThat(ClientWarmUp.runOnce(Duration.ofMillis(300), false, null)).as("this JVM is warm now").isFalse();
    }
}
