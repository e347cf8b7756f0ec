package io.toks.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BindingFactsTest {

    @Test
    void platformsAreNamedAsTheBindingsLibraryFolders() {
        assertThat(BindingFacts.platform("Linux", "amd64")).isEqualTo("Linux/x86_64");
        assertThat(BindingFacts.platform("Linux", "aarch64")).isEqualTo("Linux/aarch64");
        assertThat(BindingFacts.platform("Mac OS X", "aarch64")).isEqualTo("Mac/aarch64");
        assertThat(BindingFacts.platform("Windows 11", "amd64")).isEqualTo("Windows/x86_64");
        assertThat(BindingFacts.platform("Linux", "riscv64")).isEqualTo("Linux/riscv64");
    }

    @Test
    void theBindingOnTheClassPathIsKnown() {
        BindingFacts here = BindingFacts.here();
        assertThat(here.binding()).isEqualTo("de.kherud:llama 4.2.0 (JNI)");
        assertThat(here.llamaCppBuild()).isEqualTo("b4916");
        assertThat(here.describe()).startsWith("llama.cpp b4916 via de.kherud:llama 4.2.0 (JNI)");
    }

    /** The x86_64 library lacks AVX-512: the description says so, and the note says whether this CPU has it. */
    @Test
    void anAvx2BuildSaysItHasNoAvx512() {
        var features = List.of("SSE3", "AVX", "AVX2", "F16C", "FMA", "OPENMP");
        var onAvx512Host = new BindingFacts("de.kherud:llama 4.2.0 (JNI)", "b4916", "Linux/x86_64", features, true);
        assertThat(onAvx512Host.lacksAvx512()).isTrue();
        assertThat(onAvx512Host.describe()).isEqualTo("llama.cpp b4916 via de.kherud:llama 4.2.0 (JNI), CPU build AVX AVX2 F16C FMA, no AVX-512");
        assertThat(onAvx512Host.notes()).singleElement().asString().contains("no AVX-512 code", "this CPU has AVX-512");
        var onAvx2Host = new BindingFacts("b", "b4916", "Linux/x86_64", features, false);
        assertThat(onAvx2Host.notes()).singleElement().asString().doesNotContain("this CPU has");
        var arm = new BindingFacts("b", "b4916", "Mac/aarch64", List.of(), null);
        assertThat(arm.lacksAvx512()).isFalse();
        assertThat(arm.notes()).isEmpty();
        assertThat(arm.describe()).endsWith("CPU build not known for Mac/aarch64");
    }

    @Test
    void avx512IsReadFromCpuFlags(@TempDir Path dir) throws IOException {
        assertThat(BindingFacts.hostAvx512(Files.writeString(dir.resolve("a"), "model name : x\nflags : fpu sse avx2 avx512f avx512bw\n"))).isTrue();
        assertThat(BindingFacts.hostAvx512(Files.writeString(dir.resolve("b"), "flags\t\t: fpu sse avx2 fma\n"))).isFalse();
        assertThat(BindingFacts.hostAvx512(dir.resolve("missing"))).isNull();
    }

    /**
     * The table's entry for this platform is what the library itself prints: loaded with its log
     * on in a child JVM, its "system_info: ... CPU : A = 1 | B = 1 |" line lists the same features.
     */
    @Test
    void theCpuFeaturesAreWhatTheLibraryPrints() throws Exception {
        BindingFacts here = BindingFacts.here();
        assumeTrue(!here.cpuFeatures().isEmpty(), "no features recorded for " + here.platform());
        ChildJvm.Result r = ChildJvm.run(SystemInfoProbe.class, List.of(), Models.stories260K().toString());
        assertThat(r.out()).as(r.err()).contains("loaded");
        Matcher line = Pattern.compile("system_info:.*?CPU : (.*)").matcher(r.err());
        assertThat(line.find()).as(r.err()).isTrue();
        List<String> printed = Arrays.stream(line.group(1).split("\\|")).map(String::strip).filter(s -> s.endsWith("= 1"))
                .map(s -> s.substring(0, s.indexOf('=')).strip()).toList();
        assertThat(printed).isEqualTo(here.cpuFeatures());
    }
}
