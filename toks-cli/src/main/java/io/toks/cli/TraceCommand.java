package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.core.jfr.JfrTrace;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "trace", header = "A --profile recording as a Perfetto trace, or where the time went.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reads a recording made with --profile (toks run, bench, serve or train) and writes the per-token timeline",
                "as a Chrome / Perfetto trace (open it at ui.perfetto.dev), or with --summary prints where the time",
                "went: matrix products by weight type, attention, norms, sampling, tokenization."},
        footer = {"", "Examples:", "  toks run -n 64 --profile run.jfr --profile-kernels && toks trace run.jfr -o trace.json",
                "  toks trace run.jfr --summary"})
final class TraceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.jfr", description = "A recording made with --profile.")
    Path recording;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE.json", description = "Write the trace here (default: standard output).")
    Path output;

    @Option(names = "--summary", description = "Print where the time went instead of the trace.")
    boolean summary;

    @Override
    public Integer call() throws IOException {
        if (output != null && summary) throw new ToksException("--summary prints a table; drop -o");
        JfrTrace trace = JfrTrace.read(recording);
        if (trace.spans().isEmpty()) {
            throw new ToksException(recording + " has no toks events (was it made with toks ... --profile?)");
        }
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        if (summary) {
            printSummary(trace.summary(), out);
            return 0;
        }
        if (output == null) {
            trace.writeChromeTrace(out);
            out.println();
        } else {
            try (OutputStream file = Files.newOutputStream(output)) {
                trace.writeChromeTrace(file);
            }
            spec.commandLine().getErr().println("toks trace: " + trace.spans().size() + " events written to " + output
                    + " (open it at https://ui.perfetto.dev)");
        }
        return 0;
    }

    private static void printSummary(JfrTrace.Summary s, PrintStream out) {
        out.printf(Locale.ROOT, "%d requests, %d output tokens; prefill %.1f ms; %d decode steps, %.1f ms%n", s.requests(), s.outputTokens(),
                s.prefillNanos() / 1e6, s.decodeSteps(), s.decodeNanos() / 1e6);
        if (s.kernels().isEmpty()) {
            out.println("no kernel events (record with --profile-kernels for where the time went inside each pass)");
            return;
        }
        out.printf(Locale.ROOT, "%-24s %10s %12s %8s %12s%n", "operation", "count", "total ms", "share", "mean µs");
        for (JfrTrace.Summary.Row r : s.kernels()) {
            out.printf(Locale.ROOT, "%-24s %10d %12.2f %7.1f%% %12.2f%n", r.operation(), r.count(), r.totalNanos() / 1e6,
                    100.0 * r.totalNanos() / s.kernelNanos(), r.totalNanos() / 1e3 / r.count());
        }
        out.printf(Locale.ROOT, "%-24s %10s %12.2f%n", "all kernels", "", s.kernelNanos() / 1e6);
    }
}
