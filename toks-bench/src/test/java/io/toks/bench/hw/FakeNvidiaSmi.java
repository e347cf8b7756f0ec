package io.toks.bench.hw;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A bash script standing in for nvidia-smi: for the CSV query toks makes it prints a CSV fixture,
 * for {@code -q -x} an XML fixture, for anything else an error (so a test also checks the
 * arguments). The fixtures are written in nvidia-smi's documented formats; they are not recorded
 * from hardware.
 */
final class FakeNvidiaSmi {

    private FakeNvidiaSmi() {}

    /**
     * @param csv the CSV fixture (a resource beside this class), or null: the CSV query then fails as an old driver's does
     * @param xml the XML fixture, or null: {@code -q -x} then fails
     */
    static Path in(Path dir, String csv, String xml) {
        try {
            String query = String.join(" ", NvidiaSmiCsv.FORM.arguments());
            String script = "#!/bin/bash\n"
                    + "if [ \"$*\" = '" + query + "' ]; then\n"
                    + (csv == null ? "  echo 'Field \"clocks.max.memory\" is not a valid field to query.'; exit 2\n" : "  cat '" + copy(dir, csv) + "'\n")
                    + "elif [ \"$*\" = '-q -x' ]; then\n"
                    + (xml == null ? "  echo 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'; exit 9\n"
                        : "  cat '" + copy(dir, xml) + "'\n")
                    + "else\n  echo \"unexpected arguments: $*\" >&2; exit 64\nfi\n";
            Path file = Files.writeString(dir.resolve("nvidia-smi"), script);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A script printing {@code output} and exiting 0 for any arguments. */
    static Path printing(Path dir, String output) throws IOException {
        Path text = Files.writeString(dir.resolve("output.txt"), output);
        Path file = Files.writeString(dir.resolve("nvidia-smi"), "#!/bin/bash\ncat '" + text + "'\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static Path copy(Path dir, String resource) throws IOException {
        try (InputStream in = FakeNvidiaSmi.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + resource);
            Path file = dir.resolve(resource);
            Files.write(file, in.readAllBytes());
            return file;
        }
    }
}
