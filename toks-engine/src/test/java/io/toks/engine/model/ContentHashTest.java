package io.toks.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.engine.ModelLoader;
import io.toks.engine.SharedData;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentHashTest {

    @Test
    void hashesOnlyWhenAskedAndThenAsPublished() {
        ContentHash h = ContentHash.of(MemorySegment.ofArray("abc".getBytes(StandardCharsets.US_ASCII)));
        assertThat(h.computed()).isFalse();
        // FIPS 180-2, appendix B.1: SHA-256("abc").
        assertThat(h.hex()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(h.computed()).isTrue();
        assertThat(ContentHash.known("x").hex()).isEqualTo("x");
    }

    @Test
    void loadingAModelDoesNotHashItsFile() {
        ModelInfo info = ModelLoader.load(SharedData.path("models/stories260K/stories260K.gguf"), null).info();
        assertThat(info.hash().computed()).as("nothing asked for the hash yet").isFalse();
        assertThat(info.sha256()).hasSize(64);
        assertThat(info.hash().computed()).isTrue();
    }
}
