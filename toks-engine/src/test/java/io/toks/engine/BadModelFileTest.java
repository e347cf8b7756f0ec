package io.toks.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.ToksException;
import io.toks.engine.format.ModelFormatException;
import io.toks.engine.format.UnsupportedModelException;
import io.toks.engine.gguf.GgufFile;
import io.toks.engine.gguf.GgufReader;
import io.toks.engine.gguf.GgufTensorInfo;
import io.toks.engine.gguf.GgufWriter;
import io.toks.engine.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad model file gets a one-line error that names the problem. */
class BadModelFileTest {

    @TempDir
    Path tmp;

    @Test
    void missingFile() {
        assertThatThrownBy(() -> ModelLoader.load(tmp.resolve("nope.gguf"), null))
                .isInstanceOf(ToksException.class).hasMessageContaining("not found").hasMessageContaining("nope.gguf");
    }

    @Test
    void textFileIsNotAModel() throws IOException {
        Path p = tmp.resolve("notes.txt");
        Files.writeString(p, "these are not weights\n".repeat(10));
        assertThatThrownBy(() -> ModelLoader.load(p, null))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("not a llama2.c model");
    }

    @Test
    void emptyFileAndDirectory() throws IOException {
        Path p = Files.createFile(tmp.resolve("empty.bin"));
        assertThatThrownBy(() -> ModelLoader.load(p, null)).isInstanceOf(ToksException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> ModelLoader.load(tmp, null)).isInstanceOf(ToksException.class).hasMessageContaining("directory");
    }

    @Test
    void truncatedLlama2cCheckpoint() throws IOException {
        byte[] all = Files.readAllBytes(SharedData.stories("stories260K.bin"));
        Path p = tmp.resolve("stories260K.bin");
        Files.write(p, Arrays.copyOf(all, all.length - 1000));
        assertThatThrownBy(() -> ModelLoader.load(p, SharedData.stories("tok512.bin")))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("truncated");
    }

    @Test
    void llama2cHeaderWhoseSizeOverflowsIsNamed() throws IOException {
        // Every field within LlamaConfig's bounds, but n_layers x dim^2 is over 2^63 bytes.
        var header = java.nio.ByteBuffer.allocate(28).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[] {1 << 24, 1 << 24, 1 << 24, 1, 1, 1, 1}) header.putInt(v);
        Path p = tmp.resolve("huge.bin");
        Files.write(p, header.array());
        assertThatThrownBy(() -> ModelLoader.load(p, SharedData.stories("tok512.bin")))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("n_layers").hasMessageContaining("over 2^63 bytes").hasMessageContaining("huge.bin");
    }

    @Test
    void truncatedTokenizer() throws IOException {
        byte[] tok = Files.readAllBytes(SharedData.stories("tok512.bin"));
        Path p = tmp.resolve("tok512.bin");
        Files.write(p, Arrays.copyOf(tok, tok.length / 2));
        assertThatThrownBy(() -> ModelLoader.load(SharedData.stories("stories260K.bin"), p))
                .isInstanceOf(ToksException.class).hasMessageContaining("truncated tokenizer");
    }

    @Test
    void unsupportedArchitectureIsNamed() throws IOException {
        Path p = tmp.resolve("arch.gguf");
        GgufReaderTest.writeCopy(GgufReaderTest.stories(), p, List.<Object[]>of(new Object[] {"general.architecture", "mamba"}));
        assertThatThrownBy(() -> ModelLoader.load(p, null))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("architecture 'mamba'");
    }

    @Test
    void unsupportedTensorTypeIsNamed() throws IOException {
        GgufFile f = GgufReaderTest.stories();
        var w = new GgufWriter();
        f.metadata().forEach((k, v) -> { if (!k.equals("general.alignment")) w.put(k, v); });
        for (GgufTensorInfo t : f.tensors().values()) {
            if (t.name().equals("blk.0.attn_q.weight")) {
                // Same shape stored as Q5_0 blocks (22 bytes per 32 values); content is irrelevant here.
                w.tensor(t.name(), t.shape(), GgmlType.Q5_0, MemorySegment.ofArray(new byte[64 * 64 / 32 * 22]));
            } else {
                w.tensor(t.name(), t.shape(), t.type(), f.tensorData(t));
            }
        }
        Path p = tmp.resolve("q5.gguf");
        w.write(p);
        assertThatThrownBy(() -> ModelLoader.load(p, null))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("blk.0.attn_q.weight").hasMessageContaining("Q5_0");
    }

    @Test
    void tensorShapeDisagreeingWithMetadata() throws IOException {
        Path p = tmp.resolve("shape.gguf");
        GgufReaderTest.writeCopy(GgufReaderTest.stories(), p, List.<Object[]>of(new Object[] {"llama.feed_forward_length", 128L}));
        assertThatThrownBy(() -> ModelLoader.load(p, null))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("ffn_gate").hasMessageContaining("shape");
    }

    @Test
    void missingMetadataKey() throws IOException {
        GgufFile f = GgufReaderTest.stories();
        var w = new GgufWriter();
        f.metadata().forEach((k, v) -> { if (!k.equals("general.alignment") && !k.equals("llama.block_count")) w.put(k, v); });
        for (GgufTensorInfo t : f.tensors().values()) w.tensor(t.name(), t.shape(), t.type(), f.tensorData(t));
        Path p = tmp.resolve("nokey.gguf");
        w.write(p);
        assertThatThrownBy(() -> ModelLoader.load(p, null))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("llama.block_count").hasMessageContaining("missing");
    }

    @Test
    void promptLongerThanContext() {
        var model = ModelLoader.loadEmbedded();
        try (var pool = new io.toks.engine.parallel.WorkerPool(1)) {
            var session = new io.toks.engine.model.InferenceSession(model, pool, 16);
            var gen = new Generator(session, 1, 2, io.toks.core.events.Clock.SYSTEM);
            int[] prompt = new int[17];
            assertThatThrownBy(() -> gen.generate(prompt, 1, new io.toks.engine.sampling.GreedySampler(),
                    Generator.StopRule.NEVER, io.toks.core.events.TokenEvents.NONE))
                    .isInstanceOf(ToksException.class).hasMessageContaining("17 tokens").hasMessageContaining("context");
        }
    }

    @Test
    void reReadingTheSameFileStillWorks() throws IOException {
        GgufFile f = GgufReader.read(SharedData.stories("stories260K.gguf"));
        org.assertj.core.api.Assertions.assertThat(f.tensors()).hasSize(48);
    }
}
