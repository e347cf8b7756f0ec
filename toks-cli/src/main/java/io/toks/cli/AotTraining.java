package io.toks.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The training run of the JDK's ahead-of-time cache (scripts/launcher-lib.sh): what a cold toks
 * does most, in one JVM, so the cache holds those classes loaded and linked and those methods'
 * profiles. The commands run in process exactly as the launcher runs them; their output is
 * dropped. Not a toks command: the build starts it with {@code -XX:AOTCacheOutput}.
 */
final class AotTraining {

    /** Command lines as users type them (README): the embedded model, greedy and sampled, text tools, help. */
    private static final String[][] COMMANDS = {
            {"run", "--prompt", "Once upon a time", "-n", "200", "--temperature", "0"},
            {"run", "--prompt", "Hello", "-n", "64", "--seed", "1"},
            {"tokenize", "hello"},
            {"tokenize", "--json", "Once upon a time, there was a little girl."},
            {"--help"},
            {"run", "--help"},
    };

    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        for (String[] command : COMMANDS) {
            int code = Toks.execute(command, discard, discard);
            if (code != 0) throw new IllegalStateException("training command failed (" + code + "): " + String.join(" ", command));
        }
        Path text = Files.createTempFile("toks-aot-training", ".txt");
        try {
            Files.writeString(text, "Once upon a time, there was a little girl named Lily. She loved to play outside.\n");
            int code = Toks.execute(new String[] {"count", "--no-history", text.toString()}, discard, discard);
            if (code != 0) throw new IllegalStateException("training command failed (" + code + "): count");
        } finally {
            Files.deleteIfExists(text);
        }
        firstServeRequests(discard);
    }

    /** toks serve on a free loopback port, a few completions (the first requests a cold server answers), stopped. */
    private static void firstServeRequests(PrintWriter discard) throws IOException, InterruptedException {
        ServeCommand serve = new ServeCommand();
        CommandLine cl = new CommandLine(serve);
        cl.setErr(discard);
        cl.parseArgs("--port", "0", "--parallel", "2");
        try (ServeCommand.Running running = serve.start(); HttpClient http = HttpClient.newHttpClient()) {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.server().port() + "/v1/completions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"Once upon a time\",\"max_tokens\":32,\"temperature\":0}"))
                    .build();
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) throw new IllegalStateException("training request got HTTP " + response.statusCode());
            }
        }
    }
}
