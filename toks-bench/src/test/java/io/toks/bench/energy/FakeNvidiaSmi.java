package io.toks.bench.energy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An {@code nvidia-smi} stand-in: a bash script that answers
 * {@code --query-gpu=index,power.draw --format=csv,noheader,nounits} as the real one does
 * ({@code 0, 71.23} per GPU), once, or every {@code -lms} milliseconds.
 */
final class FakeNvidiaSmi {

    private FakeNvidiaSmi() {}

    /**
     * A script printing {@code lines} (one per GPU) per query, and in sampling mode every 20 ms,
     * {@code samples} times (0: until killed) before it exits with {@code exitStatus}.
     */
    static Path sampling(Path dir, String lines, int samples, int exitStatus) {
        return script(dir, """
                #!/usr/bin/env bash
                print() { printf '%%s\\n' %s; }
                for a in "$@"; do [ "$a" = "-lms" ] && sampling=1; done
                if [ -z "$sampling" ]; then print; exit 0; fi
                n=0
                while [ %d -eq 0 ] || [ "$n" -lt %d ]; do print; n=$((n + 1)); sleep 0.02; done
                echo "Unable to determine the device handle for GPU0: Unknown Error"
                exit %d
                """.formatted(quoted(lines), samples, samples, exitStatus));
    }

    /** A script that fails as nvidia-smi does on a machine whose driver is not loaded. */
    static Path failing(Path dir) {
        return script(dir, """
                #!/usr/bin/env bash
                echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."
                exit 9
                """);
    }

    private static String quoted(String lines) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines.split("\n")) sb.append(sb.isEmpty() ? "" : " ").append('\'').append(line).append('\'');
        return sb.toString();
    }

    private static Path script(Path dir, String text) {
        try {
            Path file = dir.resolve("nvidia-smi");
            Files.writeString(file, text);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
