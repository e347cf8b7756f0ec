package io.toks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class ModelLoaderEmbeddedTest {

    @Test
    void theWrittenDownHashIsTheHashOfTheEmbeddedModel() throws Exception {
        byte[] bytes;
        try (InputStream in = ModelLoader.class.getResourceAsStream("/io/toks/engine/embedded/stories260K.bin")) {
            bytes = in.readAllBytes();
        }
        assertThat(ModelLoader.EMBEDDED_SHA256).isEqualTo(io.toks.engine.model.ContentHash.of(MemorySegment.ofArray(bytes)).hex());
    }

    @Test
    void theEmbeddedModelCarriesThatHash() {
        assertThat(ModelLoader.loadEmbedded().info().sha256()).isEqualTo(ModelLoader.EMBEDDED_SHA256);
    }
}
