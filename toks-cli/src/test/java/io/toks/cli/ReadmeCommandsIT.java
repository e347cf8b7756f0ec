package io.toks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ./toks} command the README shows, run as written with the built launcher, in a
 * directory holding the files the examples name (a model.gguf, docs/, result documents, a
 * journal), in the README's order (a command may read what an earlier one wrote). Runs after
 * {@code package} (failsafe), on the jar a user gets.
 *
 * <p>Three kinds of line are not run to their end, and the test says which: those that name a
 * machine that is not here (HOST, a vLLM host, ssh clients); {@code toks serve}, which runs until
 * stopped (it is started, answers /health, and serves the README's load command next to it; on a
 * port it picks itself, not the README's 8080, which another program on a shared host may hold); and
 * the few whose whole run takes minutes on two cores (a 1B-parameter model built twice, the full
 * hardware probe): each of those must run {@link #STARTED_SECONDS} seconds without failing.
 */
class ReadmeCommandsIT {

    private static final Pattern COMMENT = Pattern.compile("\\s+#\\s.*$");
    private static final List<String> ELSEWHERE = List.of("HOST", "vllm.internal", "$i", "client$");
    /** The address the README's serve/load pair uses; the test's own server is on another port. */
    static final String README_ADDRESS = "127.0.0.1:8080";
    private static final Pattern LISTENING = Pattern.compile("toks serve: .* on http://127\\.0\\.0\\.1:(\\d+)/v1");
    private static final List<String> MINUTES_LONG = List.of("--synthetic llama-3.2-1b", "synth --preset llama-3.2-1b",
            "load-capacity --streams 2000");
    static final int STARTED_SECONDS = 20;

    @TempDir
    Path dir;

    static Path root() {
        return Path.of(System.getProperty("toks.root", "..")).toAbsolutePath().normalize();
    }

    /** The README's shell lines that run toks, without their comments, in order. */
    static List<String> commands() throws IOException {
        List<String> out = new ArrayList<>();
        boolean inShell = false;
        for (String line : Files.readAllLines(root().resolve("README.md"))) {
            if (line.startsWith("```")) {
                inShell = line.equals("```sh");
                continue;
            }
            if (inShell && line.startsWith("./toks")) out.add(COMMENT.matcher(line).replaceFirst("").strip());
        }
        return out;
    }

    /** Splits a shell line into words: double and single quotes, no expansions. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
                else w.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || !w.isEmpty()) out.add(w.toString());
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
            }
        }
        if (any || !w.isEmpty()) out.add(w.toString());
        return out;
    }

    @Test
    void everyCommandTheReadmeShowsRunsAsWritten() throws Exception {
        List<String> commands = commands();
        assertThat(commands).hasSizeGreaterThan(25);
        prepareFiles();
        List<String> ran = new ArrayList<>(), started = new ArrayList<>(), elsewhere = new ArrayList<>();
        Process server = null;
        int serverPort = 0;
        try {
            for (String command : commands) {
                List<String> args = new ArrayList<>(words(command).subList(1, words(command).size()));
                if (ELSEWHERE.stream().anyMatch(command::contains)) {
                    elsewhere.add(command);
                } else if (command.startsWith("./toks serve")) {
                    assertThat(args).as(command + ": the test picks the port").doesNotContain("--port");
                    args.addAll(List.of("--port", "0")); // the server binds a free port and says which: nothing to race for
                    server = start(args);
                    serverPort = waitForHealth(server, command);
                    started.add(command);
                } else if (MINUTES_LONG.stream().anyMatch(command::contains) || command.equals("./toks hw")) {
                    Process p = start(args);
                    boolean ended = p.waitFor(STARTED_SECONDS, TimeUnit.SECONDS);
                    if (ended) assertThat(p.exitValue()).as(command + "\n" + output(p)).isZero();
                    else stop(p);
                    started.add(command);
                } else {
                    if (command.contains(README_ADDRESS)) {
                        assertThat(serverPort).as(command + ": no toks serve started before it").isPositive();
                        args = onPort(args, serverPort);
                    }
                    Process p = start(args);
                    boolean ended = p.waitFor(5, TimeUnit.MINUTES);
                    if (!ended) stop(p);
                    assertThat(ended).as(command + " did not end within 5 minutes").isTrue();
                    assertThat(p.exitValue()).as(command + "\n" + output(p)).isZero();
                    ran.add(command);
                    afterwards(command);
                }
            }
        } finally {
            if (server != null) stop(server);
        }
        System.out.printf("README: %d commands run to their end, %d started and stopped (%s), %d name machines not here (%s)%n",
                ran.size(), started.size(), started, elsewhere.size(), elsewhere);
        assertThat(ran).hasSizeGreaterThan(20);
    }

    /** The files the examples name, in the directory they run in. */
    private void prepareFiles() throws Exception {
        Path shared = io.toks.core.SharedData.locate(root());
        Files.copy(shared.resolve("models/stories260K/stories260K.gguf"), dir.resolve("model.gguf"));
        Files.copy(shared.resolve("models/stories260K/stories260K.gguf"), dir.resolve("model-f32.gguf"));
        Files.copy(root().resolve("README.md"), dir.resolve("README.md"));
        Path docs = Files.createDirectories(dir.resolve("docs"));
        try (Stream<Path> files = Files.list(root().resolve("docs"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, docs.resolve(f.getFileName()));
        }
        // Result documents to compare and draw: short runs of the embedded model, two kernel sets.
        for (String kernels : List.of("java", "native")) {
            Process p = start(List.of("bench", "-p", "512", "-n", "128", "-r", "2", "--jit-warmup-ms", "200", "--no-roofline",
                    "--kernels", kernels, "--no-history", "--out", kernels + ".json"));
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(output(p)).isZero();
        }
        // compare's examples gate on a regression (exit 1): on a shared CI host two kernel sets may
        // land either way, so they compare one document with itself; CompareCliTest does the real A/B.
        for (String name : List.of("a.json", "b.json", "base.json", "new.json")) Files.copy(dir.resolve("java.json"), dir.resolve(name));
    }

    /** What a command leaves that a later one reads under another name. */
    private void afterwards(String command) throws IOException {
        if (command.startsWith("./toks load --url http://" + README_ADDRESS + "/v1")) {
            Path journal;
            try (Stream<Path> files = Files.list(dir)) {
                journal = files.filter(f -> f.getFileName().toString().matches("toks-load-\\d{8}-\\d{6}\\.jsonl")).findFirst().orElseThrow();
            }
            Files.copy(journal, dir.resolve("toks-load-20261128-101500.jsonl"), StandardCopyOption.REPLACE_EXISTING);
            for (int i = 1; i <= 4; i++) Files.copy(journal, dir.resolve("client" + i + ".jsonl"), StandardCopyOption.REPLACE_EXISTING);
            Process p = start(List.of("load", "--from-journal", journal.toString(), "-o", "json", "--no-history", "--out", "load.json"));
            try {
                assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }
    }

    private Process start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", root().resolve("toks").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("output-" + System.nanoTime() + ".log").toFile());
        pb.environment().put("TOKS_HISTORY", dir.resolve("history.db").toString());
        pb.environment().put("TOKS_HARDWARE_CACHE", dir.resolve("hardware").toString()); // toks hw keeps its limits here, not in ~/.toks
        Process p = pb.start();
        outputs.put(p, pb.redirectOutput().file().toPath());
        return p;
    }

    private final java.util.Map<Process, Path> outputs = new java.util.HashMap<>();

    private String output(Process p) throws IOException {
        String all = Files.readString(outputs.get(p), StandardCharsets.UTF_8);
        return all.length() > 4000 ? all.substring(all.length() - 4000) : all;
    }

    private static void stop(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
    }

    /** The words of a README command with its server address moved to {@code port}, where the test's server listens. */
    static List<String> onPort(List<String> args, int port) {
        return args.stream().map(a -> a.replace(README_ADDRESS, "127.0.0.1:" + port)).toList();
    }

    /** Waits until the server says which port it took and answers /health there; returns the port. */
    private int waitForHealth(Process server, String command) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as(command + " died:\n" + output(server)).isTrue();
            var listening = LISTENING.matcher(new String(Files.readAllBytes(outputs.get(server)), StandardCharsets.UTF_8));
            if (listening.find()) {
                int port = Integer.parseInt(listening.group(1));
                try {
                    var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) return port;
                } catch (IOException notYet) {
                    // not answering yet
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError(command + " did not answer /health within 120 s:\n" + output(server));
    }
}
