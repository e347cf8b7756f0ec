package io.toks.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's file in the user's cache: written once, found again, and never trusted without its bytes checked. */
class NativeLibraryFileTest {

    @Test
    void writtenOnceThenFoundAgain(@TempDir Path dir) throws Exception {
        byte[] library = {0x7f, 'E', 'L', 'F', 1, 2, 3};
        Path first = NativeKernels.unpacked(library, dir.resolve("native"));
        assertThat(first).hasBinaryContent(library);
        Files.setLastModifiedTime(first, FileTime.fromMillis(0));
        Path again = NativeKernels.unpacked(library, dir.resolve("native"));
        assertThat(again).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(again).toMillis()).as("not written again").isZero();
        try (Stream<Path> files = Files.list(dir.resolve("native"))) {
            assertThat(files).containsExactly(first); // no partial file left
        }
    }

    @Test
    void aFileWhoseBytesDifferIsReplaced(@TempDir Path dir) throws Exception {
        byte[] library = {0x7f, 'E', 'L', 'F', 9, 9, 9};
        Path file = NativeKernels.unpacked(library, dir);
        Files.write(file, new byte[] {0x7f, 'E', 'L', 'F', 6, 6, 6}); // same length, other bytes: e.g. tampered with
        assertThat(NativeKernels.unpacked(library, dir)).isEqualTo(file).hasBinaryContent(library);
    }

    @Test
    void anotherBuildGetsAnotherFile(@TempDir Path dir) throws Exception {
        Path a = NativeKernels.unpacked(new byte[] {1, 2, 3}, dir), b = NativeKernels.unpacked(new byte[] {1, 2, 4}, dir);
        assertThat(a).isNotEqualTo(b);
        assertThat(a).hasBinaryContent(new byte[] {1, 2, 3});
        assertThat(b).hasBinaryContent(new byte[] {1, 2, 4});
    }
}
