package io.toks.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NativeLibraryTest {

    /**
     * A platform the binding has no library for (simulated with its own architecture override):
     * one line naming the platform and the ones it ships for, the same line again on a second try,
     * and nothing of the loader's chatter on the process's output.
     */
    @Test
    void anUnsupportedPlatformIsOneLineEveryTime() throws Exception {
        ChildJvm.Result r = ChildJvm.run(LoadFailureProbe.class, List.of("-Dde.kherud.llama.osinfo.architecture=riscv64"),
                Models.stories260K().toString());
        List<String> lines = r.out().strip().lines().toList();
        assertThat(lines).as(r.out() + r.err()).hasSize(2);
        assertThat(lines.get(0)).startsWith("error: llama.cpp cannot run here: its native library did not load")
                .contains("riscv64", "here has it for Linux/x86_64, Linux/aarch64");
        assertThat(lines.get(1)).isEqualTo(lines.get(0));
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void theReasonIsOneLineWithWhatTheLoaderSaid() {
        var failure = new ExceptionInInitializerError(new UnsatisfiedLinkError("No native library found for os.name=Linux, os.arch=riscv64, paths=[/x]"));
        String reason = NativeLibrary.reason(failure, "Extracted 'libjllama.so' to '/tmp/x'\nlibc.so.6: version `GLIBC_2.99' not found\n");
        assertThat(reason).doesNotContain("\n", "Extracted").contains("os.arch=riscv64", "GLIBC_2.99");
    }
}
