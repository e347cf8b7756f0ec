package io.toks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.estimate.ModelShape;
import io.toks.engine.synth.Preset;
import io.toks.engine.synth.SyntheticGguf;
import io.toks.engine.synth.SyntheticModels;
import io.toks.engine.synth.WeightRecipe;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One shape whichever way a model is described: preset arithmetic, weights in memory, a GGUF header. */
class ModelShapesTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"f32", "q8_0", "q4_k_m", "bf16"})
    void aPresetsArithmeticMatchesItsWeightsInMemoryAndOnDisk(String type) throws Exception {
        Preset untied = Preset.custom(256, 512, 4, 8, 2, 1000, 512); // separate output matrix, grouped-query
        WeightRecipe recipe = WeightRecipe.parse(type);
        ModelShape arithmetic = ModelShapes.of(untied, recipe);
        ModelShape inMemory = ModelShapes.of(SyntheticModels.build(untied, recipe, 1));
        Path file = tmp.resolve(type + ".gguf");
        SyntheticGguf.write(untied, recipe, file, SharedData.path("tokenizers"), 1);
        ModelShape onDisk = ModelShapes.of(file);
        // What synth checks against memory and disk before writing: the tensors are the file but for its metadata.
        SyntheticGguf.TensorBytes sizes = SyntheticGguf.tensorBytes(untied, recipe);
        assertThat(sizes.total()).isBetween(java.nio.file.Files.size(file) - (8L << 20), java.nio.file.Files.size(file));
        // The vocabulary-wide matrices are this shape's largest (Q4_K_M writes the output one as Q6_K).
        assertThat(sizes.largest()).isEqualTo(Math.max(recipe.typeOf("token_embd", -1, 4, 256).bytesFor(1000L * 256),
                recipe.typeOf("output", -1, 4, 256).bytesFor(1000L * 256)));
        for (ModelShape s : new ModelShape[] {inMemory, onDisk}) {
            assertThat(s.parameters()).isEqualTo(arithmetic.parameters());
            assertThat(s.matmulParameters()).isEqualTo(arithmetic.matmulParameters());
            assertThat(s.weightBytes()).isEqualTo(arithmetic.weightBytes());
            assertThat(s.bytesReadPerToken()).isEqualTo(arithmetic.bytesReadPerToken());
            assertThat(s.kvDim()).isEqualTo(2 * 32);
        }
        // 4 layers of q, o 256x256; k, v 64x256; three 512x256; + the 1000x256 output
        assertThat(arithmetic.matmulParameters()).isEqualTo(4L * (2 * 65536 + 2 * 16384 + 3 * 131072) + 256_000);
    }

    @Test
    void aTiedPresetCountsItsSharedMatrixOnceAndReadsItWhole() {
        ModelShape s = ModelShapes.of(Preset.named("llama-3.2-1b"), WeightRecipe.parse("bf16"));
        assertThat(s.parameters()).isEqualTo(1_235_814_400L);
        long norms = 16 * 2 * 2048 + 2048; // F32 always
        assertThat(s.weightBytes()).isEqualTo(2 * (s.parameters() - norms) + 4 * norms);
        assertThat(s.bytesReadPerToken()).isEqualTo(s.weightBytes()); // the embedding is the output matrix: read whole
    }

    @Test
    void theStoriesGgufHasTheShapeOfItsLoadedModel() throws Exception {
        ModelShape header = ModelShapes.of(SharedData.stories("stories260K.gguf"));
        ModelShape loaded = ModelShapes.of(ModelLoader.load(SharedData.stories("stories260K.gguf"), null));
        assertThat(header.parameters()).isEqualTo(loaded.parameters());
        assertThat(header.matmulParameters()).isEqualTo(loaded.matmulParameters());
        assertThat(header.bytesReadPerToken()).isEqualTo(loaded.bytesReadPerToken());
        assertThat(header.layers()).isEqualTo(5);
    }
}
