package io.toks.report.html;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Chromium run headless on a local file, offline: no sandbox (tests run as root in CI),
 * no GPU, no background networking, a fresh profile each time. Where it is not installed the
 * test is skipped, unless {@code TOKS_REQUIRE_CHROMIUM=1} (CI) makes that a failure.
 */
final class HeadlessChromium {

    static final Path BINARY = Path.of(System.getenv().getOrDefault("TOKS_CHROMIUM", "/usr/bin/chromium"));
    private static final long TIMEOUT_SECONDS = 120;

    private HeadlessChromium() {}

    /** Skips the calling test when Chromium is missing, or fails it when CI requires Chromium. */
    static void assumeInstalled() {
        boolean installed = Files.isExecutable(BINARY);
        if (!installed && "1".equals(System.getenv("TOKS_REQUIRE_CHROMIUM"))) {
            throw new AssertionError("TOKS_REQUIRE_CHROMIUM=1 but " + BINARY + " is missing (apt-get install -y chromium)");
        }
        assumeTrue(installed, BINARY + " is not installed: headless report checks skipped");
    }

    /** The DOM after the page's scripts ran (10 s of virtual time: no animation or timer left pending). */
    static String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, "--dump-dom");
    }

    /** A PNG of the page's top 1280 x 4000 pixels. */
    static void screenshot(Path page, Path png) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=1280,4000", "--hide-scrollbars");
        if (!Files.isRegularFile(png) || Files.size(png) == 0) throw new AssertionError("chromium wrote no screenshot " + png);
    }

    /** A file's text; bytes that are not UTF-8 are replaced, not an error that would hide Chromium's message. */
    private static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    private static String run(Path page, String... action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("toks-chromium-");
        // Both outputs go to files, not pipes: reading a pipe would block until Chromium exits,
        // and a Chromium that never does would hang the build past the timeout below.
        Path stdout = Files.createTempFile("toks-chromium-", ".out");
        Path stderr = Files.createTempFile("toks-chromium-", ".log");
        try {
            List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=10000"));
            command.addAll(List.of(action));
            command.add(page.toAbsolutePath().toUri().toString());
            Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly); // its renderer and GPU processes too
                process.destroyForcibly();
                throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s on " + page + ", killed: "
                        + text(stderr));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + process.exitValue() + ": " + text(stderr));
            }
            return text(stdout);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
