package io.toks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.ToksException;
import io.toks.engine.format.ModelFormatException;
import io.toks.engine.gguf.GgufFile;
import io.toks.engine.gguf.GgufReader;
import io.toks.engine.gguf.GgufTensorInfo;
import io.toks.engine.gguf.GgufWriter;
import io.toks.engine.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GgufReaderTest {

    @TempDir
    Path tmp;

    static GgufFile stories() throws IOException {
        return GgufReader.read(SharedData.stories("stories260K.gguf"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsTheReferenceFileFromLlamaCpp() throws IOException {
        GgufFile f = stories();
        assertThat(f.version()).isEqualTo(3);
        assertThat(f.tensors()).hasSize(48);
        assertThat(f.metadata()).hasSize(19);
        assertThat(f.string("general.architecture")).isEqualTo("llama");
        assertThat(f.integer("llama.embedding_length")).isEqualTo(64);
        assertThat(f.integer("tokenizer.ggml.seperator_token_id")).isEqualTo(4294967295L);
        assertThat(f.real("llama.attention.layer_norm_rms_epsilon", 0)).isCloseTo(1e-5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat((List<Object>) f.array("tokenizer.ggml.tokens")).hasSize(512).startsWith("<unk>", "<s>", "</s>");
        GgufTensorInfo q = f.tensor("blk.0.attn_q.weight");
        assertThat(q.shape()).containsExactly(64, 64);
        assertThat(q.type()).isEqualTo(GgmlType.F32);
        assertThat(f.tensor("output_norm.weight").shape()).containsExactly(64);
    }

    @Test
    void writerRoundTripsMetadataAndTensorsBitForBit() throws IOException {
        GgufFile original = stories();
        Path copy = tmp.resolve("copy.gguf");
        writeCopy(original, copy, List.of());
        GgufFile back = GgufReader.read(copy);
        assertThat(back.metadata().keySet()).containsAll(original.metadata().keySet());
        for (String key : original.metadata().keySet()) {
            assertThat(back.metadata().get(key)).as(key).isEqualTo(original.metadata().get(key));
        }
        assertThat(back.tensors().keySet()).containsExactlyElementsOf(original.tensors().keySet());
        for (GgufTensorInfo t : original.tensors().values()) {
            GgufTensorInfo u = back.tensor(t.name());
            assertThat(u.shape()).containsExactly(t.shape());
            assertThat(back.tensorData(u).mismatch(original.tensorData(t))).as(t.name()).isEqualTo(-1L);
        }
    }

    /** Writes the file's content again, applying edits (key, value) to the metadata. */
    static void writeCopy(GgufFile f, Path out, List<Object[]> edits) throws IOException {
        var w = new GgufWriter();
        f.metadata().forEach((k, v) -> { if (!k.equals("general.alignment")) w.put(k, v); });
        for (Object[] e : edits) w.put((String) e[0], e[1]);
        for (GgufTensorInfo t : f.tensors().values()) w.tensor(t.name(), t.shape(), t.type(), f.tensorData(t));
        w.write(out);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 3, 4, 10, 24, 100, 5000, 14000, 14100, 200000, 1185375})
    void truncatedFileFailsWithOffsetNotCrash(long length) throws IOException {
        byte[] all = Files.readAllBytes(SharedData.stories("stories260K.gguf"));
        MemorySegment cut = MemorySegment.ofArray(Arrays.copyOf(all, (int) length));
        assertThatThrownBy(() -> GgufReader.read(cut, "cut.gguf"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("cut.gguf")
                .hasMessageMatching("(?s).*(offset|truncated|magic).*");
    }

    /** Real models have hundreds of tensors (Llama 3.1 8B: 291); a count limit must not refuse them. */
    @Test
    void filesWithManyTensorsRead(@TempDir Path dir) throws IOException {
        var w = new GgufWriter().put("general.architecture", "llama");
        for (int i = 0; i < 1000; i++) {
            w.tensor("t." + i, new long[] {4}, GgmlType.F32, MemorySegment.ofArray(new float[] {i, 1, 2, 3}));
        }
        Path file = dir.resolve("many.gguf");
        w.write(file);
        GgufFile back = GgufReader.read(file);
        assertThat(back.tensors()).hasSize(1000);
        assertThat(back.tensorData(back.tensor("t.999")).get(ValueLayout.JAVA_FLOAT_UNALIGNED, 0)).isEqualTo(999f);
    }

    @Test
    void absurdCountsAreRejectedBeforeAllocating() {
        byte[] header = new byte[64];
        var seg = MemorySegment.ofArray(header);
        var le = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        seg.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0, GgufReader.MAGIC);
        seg.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 4, 3);
        seg.set(le, 8, 0);
        seg.set(le, 16, Long.MAX_VALUE / 2);
        assertThatThrownBy(() -> GgufReader.read(seg, "huge.gguf"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("metadata_kv_count");
    }

    @Test
    void randomCorruptionOfTheHeaderNeverEscapesAsAnUnexpectedException() throws IOException {
        byte[] all = Files.readAllBytes(SharedData.stories("stories260K.gguf"));
        Random random = new Random(1234);
        for (int trial = 0; trial < 400; trial++) {
            byte[] bytes = all.clone();
            for (int flips = 0; flips < 1 + random.nextInt(4); flips++) {
                bytes[random.nextInt(14200)] = (byte) random.nextInt(256); // header and tensor infos
            }
            try {
                GgufFile f = GgufReader.read(MemorySegment.ofArray(bytes), "fuzz.gguf");
                var config = GgufModelLoader.config(f);
                GgufModelLoader.weights(f, config);
                GgufModelLoader.tokenizer(f);
            } catch (ToksException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }
}
