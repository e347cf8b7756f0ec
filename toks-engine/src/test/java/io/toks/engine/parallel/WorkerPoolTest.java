package io.toks.engine.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerPoolTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void everyIndexIsProcessedExactlyOncePerJob(int threads) {
        try (var pool = new WorkerPool(threads)) {
            for (int job = 0; job < 3000; job++) {
                int size = 1 + job % 97;
                var hits = new AtomicIntegerArray(size);
                pool.parallelFor(size, 1 + job % 5, (from, to) -> {
                    for (int i = from; i < to; i++) hits.incrementAndGet(i);
                });
                for (int i = 0; i < size; i++) assertThat(hits.get(i)).as("job %d index %d", job, i).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void survivesWorkersThatSleepBetweenJobs(int threads) throws InterruptedException {
        try (var pool = new WorkerPool(threads)) {
            for (int job = 0; job < 20; job++) {
                Thread.sleep(job % 4 == 0 ? 30 : 0); // long enough for workers to park
                var hits = new AtomicIntegerArray(64);
                pool.parallelFor(64, 1, (from, to) -> {
                    for (int i = from; i < to; i++) hits.incrementAndGet(i);
                });
                for (int i = 0; i < 64; i++) assertThat(hits.get(i)).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 5000})
    void rejectsAbsurdThreadCounts(int threads) {
        assertThatThrownBy(() -> new WorkerPool(threads)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be between 1 and 1024");
    }
}
