package io.toks.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.estimate.KvCacheType;
import io.toks.engine.ModelLoader;
import io.toks.engine.parallel.WorkerPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A session rewound to a position continues exactly as it did from there the first time. */
class RewindTest {

    @ParameterizedTest(name = "{0} cache")
    @EnumSource(KvCacheType.class)
    void aRewoundSessionDecodesAsBefore(KvCacheType cache) {
        LlamaModel model = ModelLoader.loadEmbedded();
        try (var pool = new WorkerPool(1)) {
            var session = new InferenceSession(model, pool, 32, cache);
            session.prefill(new int[] {1, 40, 41, 42, 43, 44, 45, 46, 47, 48});
            float[] first = session.decode(100).clone();
            float[] firstNext = session.decode(101).clone();
            session.rewind(10);
            assertThat(session.position()).isEqualTo(10);
            assertThat(session.decode(100)).containsExactly(first);
            assertThat(session.decode(101)).containsExactly(firstNext);
            assertThatThrownBy(() -> session.rewind(13)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot rewind to position 13 of a sequence at 12");
        }
    }
}
