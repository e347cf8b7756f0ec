package io.toks.bench.hw;

import io.toks.core.hardware.SpecCatalog;
import io.toks.core.manifest.TargetFacts.Hardware.Gpu;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NVIDIA GPUs as {@code nvidia-smi} reports them, each matched to the spec catalog by its
 * product name. Asks the CSV query first ({@link NvidiaSmiCsv}); where that fails (an old driver
 * without a field, output in another form) the XML report ({@link NvidiaSmiXml}). The executable
 * is the one on PATH, or the one the system property {@value #PROPERTY} names (tests point it at
 * a script).
 */
public final class NvidiaSmi {

    /** The system property naming the nvidia-smi to run instead of the one on PATH. */
    public static final String PROPERTY = "toks.nvidia-smi";
    /** How long one call may take: a driver in a bad state can make nvidia-smi hang. */
    private static final long TIMEOUT_SECONDS = 15;
    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*(-?\\d+(?:\\.\\d+)?)");

    /**
     * The GPUs found, with what reported them, or why there are none.
     *
     * @param gpus    the GPUs, by the driver's index; empty when none was found
     * @param from    the command that reported them; null when none was found
     * @param missing why there are none; null when there are
     */
    public record Report(List<Gpu> gpus, String from, String missing) {
        public Report {
            gpus = List.copyOf(gpus);
        }

        static Report none(String why) {
            return new Report(List.of(), null, why);
        }
    }

    private NvidiaSmi() {}

    /** Asks the nvidia-smi found as {@link #executable()} says. */
    public static Report query() {
        Path smi;
        try {
            smi = executable();
        } catch (IllegalStateException e) {
            return Report.none(e.getMessage());
        }
        return query(smi, SpecCatalog.builtIn());
    }

    /** Asks {@code smi}: the CSV query, else the XML report; GPUs matched to {@code catalog}. */
    static Report query(Path smi, SpecCatalog catalog) {
        List<String> failures = new ArrayList<>();
        for (var form : List.of(NvidiaSmiCsv.FORM, NvidiaSmiXml.FORM)) {
            try {
                String output = run(smi, form.arguments());
                List<Gpu> gpus = form.parser().parse(output);
                if (gpus.isEmpty()) return Report.none("nvidia-smi found no GPU");
                return new Report(gpus.stream().map(g -> withSpec(g, catalog)).toList(), "nvidia-smi " + String.join(" ", form.arguments()), null);
            } catch (IllegalArgumentException | IllegalStateException e) {
                failures.add(form.name() + ": " + e.getMessage());
            }
        }
        return Report.none("nvidia-smi failed (" + String.join("; ", failures) + ")");
    }

    /**
     * The nvidia-smi to run: {@value #PROPERTY}'s, else the first on PATH.
     *
     * @throws IllegalStateException saying which was looked for where
     */
    static Path executable() {
        String chosen = System.getProperty(PROPERTY);
        if (chosen != null && !chosen.isBlank()) {
            Path p = Path.of(chosen.strip());
            if (!Files.isExecutable(p)) throw new IllegalStateException("no executable nvidia-smi at " + p + " (-D" + PROPERTY + ")");
            return p;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
                if (dir.isBlank()) continue;
                for (String name : List.of("nvidia-smi", "nvidia-smi.exe")) {
                    Path p = Path.of(dir, name);
                    if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
                }
            }
        }
        throw new IllegalStateException("no nvidia-smi on PATH");
    }

    /** Runs smi with the arguments; its standard output, or IllegalStateException with its first line when it fails. */
    private static String run(Path smi, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(smi.toString());
        command.addAll(arguments);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close(); // it reads nothing
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + smi + ": " + e.getMessage());
        }
        // Read while it runs: a full pipe would stop it before it exits.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("no answer within " + TIMEOUT_SECONDS + " s");
            }
            String text = output.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (process.exitValue() != 0) throw new IllegalStateException("exit " + process.exitValue() + ": " + firstLine(text));
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("cannot read its output: " + e.getMessage());
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstLine(String text) {
        String t = text.strip();
        int nl = t.indexOf('\n');
        return t.isEmpty() ? "no output" : nl < 0 ? t : t.substring(0, nl).strip();
    }

    private static Gpu withSpec(Gpu g, SpecCatalog catalog) {
        return new Gpu(g.index(), g.name(), g.uuid(), g.memoryMib(), g.powerLimitWatts(), g.maxSmClockMhz(), g.maxMemoryClockMhz(),
                g.driverVersion(), g.pciBusId(), catalog.find(g.name()).orElse(null));
    }

    /** One way to ask nvidia-smi: its arguments and the parser of what it prints. */
    record Form(String name, List<String> arguments, Parser parser) {}

    /** Output to GPUs (spec not yet matched); IllegalArgumentException naming what does not parse. */
    @FunctionalInterface
    interface Parser {
        List<Gpu> parse(String output);
    }

    /** A value nvidia-smi could not give: {@code [N/A]}, {@code N/A}, {@code [Not Supported]}, {@code [Unknown Error]}, empty. */
    static boolean unavailable(String value) {
        String v = value == null ? "" : value.strip();
        if (v.startsWith("[") && v.endsWith("]")) return true;
        return v.isEmpty() || v.equalsIgnoreCase("N/A") || v.equalsIgnoreCase("Not Supported") || v.equalsIgnoreCase("Unknown Error");
    }

    /** The leading number of a value ({@code 81559 MiB}, {@code 700.00 W}, {@code 1980}); NaN where it is {@link #unavailable}. */
    static double number(String field, String value) {
        if (unavailable(value)) return Double.NaN;
        Matcher m = LEADING_NUMBER.matcher(value);
        if (!m.find()) throw new IllegalArgumentException(field + ": '" + value.strip() + "' is not a number");
        return Double.parseDouble(m.group(1));
    }

    /** The text, or null where it is {@link #unavailable}. */
    static String text(String value) {
        return unavailable(value) ? null : value.strip();
    }
}
