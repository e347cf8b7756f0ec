package io.toks.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedDataTest {

    @Test
    void besideTheRepositoryThenBesideItsOrigin(@TempDir Path dir) throws Exception {
        Path origin = Files.createDirectories(dir.resolve("work/main"));
        Path shared = Files.createDirectories(dir.resolve("work/shared"));
        Path clone = Files.createDirectories(dir.resolve("tmp/clone/.git"));
        Files.writeString(clone.resolve("config"), "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = " + origin + "\n\tfetch = +refs/heads/*\n");
        assertThat(SharedData.locate(origin)).isEqualTo(shared);            // beside
        assertThat(SharedData.locate(clone.getParent())).isEqualTo(shared); // beside the origin
        Path lonely = Files.createDirectories(dir.resolve("elsewhere/repo"));
        assertThat(SharedData.locate(lonely)).isEqualTo(dir.resolve("elsewhere/shared")); // not found: the usual place
    }
}
