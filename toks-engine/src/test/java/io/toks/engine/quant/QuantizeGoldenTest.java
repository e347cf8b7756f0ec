package io.toks.engine.quant;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.engine.SharedData;
import io.toks.engine.gguf.GgufFile;
import io.toks.engine.gguf.GgufReader;
import io.toks.engine.gguf.GgufTensorInfo;
import io.toks.engine.synth.Preset;
import io.toks.engine.synth.SyntheticGguf;
import io.toks.engine.synth.WeightRecipe;
import io.toks.engine.tensor.GgmlType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code toks quantize} writes the same bytes as llama.cpp's {@code llama-quantize --pure}:
 * every tensor's SHA-256 matches golden/llamacpp-quantize.csv, recorded from llama.cpp's output
 * on the same deterministic F32 input.
 */
class QuantizeGoldenTest {

    @TempDir
    static Path tmp;
    static Path f32;
    static Map<String, String[]> golden = new LinkedHashMap<>();

    @BeforeAll
    static void writeInputAndReadGolden() throws IOException {
        f32 = tmp.resolve("golden-f32.gguf");
        SyntheticGguf.write(Preset.custom(256, 512, 2, 4, 2, 1000, 256), WeightRecipe.parse("f32"), f32,
                SharedData.path("tokenizers"), 11);
        try (InputStream in = QuantizeGoldenTest.class.getResourceAsStream("/golden/llamacpp-quantize.csv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.startsWith("target,") || line.isBlank()) continue;
                String[] f = line.split(",");
                golden.put(f[0] + "/" + f[1], new String[] {f[2], f[3]});
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"q8_0", "q4_0", "q4_1", "f16", "bf16"})
    void tensorsAreBitIdenticalToLlamaCpp(String type) throws Exception {
        Path out = tmp.resolve("toks-" + type + ".gguf");
        ModelQuantizer.quantizeFile(f32, out, ModelQuantizer.parseType(type));
        GgufFile f = GgufReader.read(out);
        int compared = 0;
        for (GgufTensorInfo t : f.tensors().values()) {
            String[] expected = golden.get(type + "/" + t.name());
            assertThat(expected).as("golden entry for %s %s", type, t.name()).isNotNull();
            assertThat(t.type().name()).as(t.name()).isEqualTo(expected[0]);
            var md = MessageDigest.getInstance("SHA-256");
            md.update(f.tensorData(t).asByteBuffer());
            assertThat(HexFormat.of().formatHex(md.digest())).as("%s %s", type, t.name()).isEqualTo(expected[1]);
            compared++;
        }
        assertThat(compared).isEqualTo(21);
        assertThat(f.integer("general.file_type")).isEqualTo(ModelQuantizer.fileType(GgmlType.valueOf(type.toUpperCase())));
    }
}
