package io.toks.bench.energy;

import io.toks.core.events.Clock;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The power NVIDIA GPUs draw, as {@code nvidia-smi} reports it: one long-running
 * {@code nvidia-smi --query-gpu=index,power.draw --format=csv,noheader,nounits -lms 100} prints
 * every GPU's draw ten times a second, and the samples are integrated over time (trapezoids,
 * {@link PowerIntegral}), timed by when each line arrives. GPUs that report no power
 * ({@code [N/A]}, {@code [Not Supported]}) are left out and named; a sampler that dies or falls
 * silent makes every later span unknown, never a figure with a hole in it.
 */
final class NvidiaSmiMeter implements EnergyMeter {

    static final int SAMPLE_MILLIS = 100;
    /** How long a first query may take (nvidia-smi can take a second or more to load the driver). */
    static final long QUERY_TIMEOUT_SECONDS = 15;
    /** A span ends unknown when a GPU's last sample is older than this. */
    static final long STALE_NANOS = 5_000_000_000L;

    private static final List<String> QUERY = List.of("--query-gpu=index,power.draw", "--format=csv,noheader,nounits");

    private final Clock clock;
    private final Map<Integer, PowerIntegral> gpus = new TreeMap<>();
    private final String source;
    private final Process sampler;
    /** Ends the sampler if the JVM exits without closing the meter (Ctrl-C): a child process would outlive it. */
    private final Thread reaper;
    private volatile String failure;
    private volatile boolean closing;

    private NvidiaSmiMeter(Path executable, Clock clock, List<Integer> measured, List<Integer> silent) throws IOException {
        this.clock = clock;
        for (int gpu : measured) gpus.put(gpu, new PowerIntegral());
        int total = measured.size() + silent.size();
        this.source = "nvidia-smi power.draw, " + (silent.isEmpty() ? total + (total == 1 ? " GPU" : " GPUs")
                : measured.size() + " of " + total + " GPUs (no power reported by GPU " + join(silent) + ")");
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(QUERY);
        command.addAll(List.of("-lms", Integer.toString(SAMPLE_MILLIS)));
        this.sampler = new ProcessBuilder(command).redirectErrorStream(true).start();
        this.reaper = new Thread(sampler::destroy, "toks-nvidia-smi-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        Thread.ofPlatform().daemon().name("toks-nvidia-smi").start(this::readSamples);
    }

    /** The first {@code nvidia-smi} on {@code path} (a PATH value), or null. */
    static Path onPath(String path) {
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, "nvidia-smi");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }

    /**
     * A meter of the GPUs {@code executable} reports power for, sampling from now on; or an
     * unavailable meter saying why there is none ({@code executable} null: not on the PATH).
     */
    static EnergyMeter detect(Path executable, Clock clock) {
        if (executable == null) return EnergyMeter.unavailable("no nvidia-smi on PATH");
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            return EnergyMeter.unavailable("no nvidia-smi at " + executable);
        }
        try {
            List<String> lines = query(executable);
            Map<Integer, Double> draw = new TreeMap<>();
            for (String line : lines) {
                Sample s = Sample.parse(line);
                if (s != null) draw.put(s.gpu(), s.watts());
            }
            if (draw.isEmpty()) {
                return EnergyMeter.unavailable("nvidia-smi lists no GPU" + (lines.isEmpty() ? "" : " (it said: " + lines.get(0).strip() + ")"));
            }
            List<Integer> measured = draw.entrySet().stream().filter(e -> !Double.isNaN(e.getValue())).map(Map.Entry::getKey).toList();
            List<Integer> silent = draw.entrySet().stream().filter(e -> Double.isNaN(e.getValue())).map(Map.Entry::getKey).toList();
            if (measured.isEmpty()) return EnergyMeter.unavailable("nvidia-smi reports no power draw for GPU " + join(silent));
            return new NvidiaSmiMeter(executable, clock, measured, silent);
        } catch (IOException e) {
            return EnergyMeter.unavailable("nvidia-smi failed: " + e.getMessage());
        }
    }

    /** The lines of one query; IOException with nvidia-smi's own words when it fails. */
    private static List<String> query(Path executable) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(QUERY);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        try {
            if (!p.waitFor(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("no answer in " + QUERY_TIMEOUT_SECONDS + " s");
            }
            List<String> lines = output.get(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS).lines().filter(l -> !l.isBlank()).toList();
            if (p.exitValue() != 0) {
                throw new IOException(lines.isEmpty() ? "exit status " + p.exitValue() : lines.get(0).strip());
            }
            return lines;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("its output could not be read");
        }
    }

    /** Runs on the sampling thread: every line to its GPU's integral, until the process ends. */
    private void readSamples() {
        String said = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(sampler.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                long now = clock.nanoTime();
                Sample s = Sample.parse(line);
                if (s == null) {
                    if (!line.isBlank()) said = line.strip();
                    continue;
                }
                PowerIntegral gpu = gpus.get(s.gpu());
                if (gpu != null && !Double.isNaN(s.watts())) gpu.add(now, s.watts());
            }
        } catch (IOException e) {
            said = e.getMessage();
        }
        if (closing) return;
        String status;
        try {
            status = sampler.waitFor(1, TimeUnit.SECONDS) ? "exit status " + sampler.exitValue() : "still running";
        } catch (InterruptedException e) {
            status = "interrupted";
        }
        failure = "nvidia-smi stopped sampling (" + status + (said == null ? "" : ": " + said) + ")";
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public String failure() {
        return failure;
    }

    /** Returns once every GPU has sent a sample (the sampler's first lines take a moment). */
    @Override
    public void awaitReady() {
        awaitFirstSamples();
    }

    /** Starts a span once every GPU has sent a sample. */
    @Override
    public Span start() {
        awaitFirstSamples();
        long startNanos = clock.nanoTime();
        double startJoules = joulesAt(startNanos);
        return () -> {
            long endNanos = clock.nanoTime();
            double joules = joulesAt(endNanos) - startJoules;
            return new EnergyReading(joules, (endNanos - startNanos) / 1e9);
        };
    }

    /** The sum over GPUs at {@code nanos}; NaN once the sampler failed or a GPU fell silent. */
    private double joulesAt(long nanos) {
        double sum = 0;
        for (var e : gpus.entrySet()) {
            PowerIntegral gpu = e.getValue();
            if (failure == null && gpu.sampled() && nanos - gpu.lastNanos() > STALE_NANOS) {
                failure = "nvidia-smi sent no power sample of GPU " + e.getKey() + " for " + STALE_NANOS / 1_000_000_000L + " s";
            }
            if (failure != null || !gpu.sampled()) return Double.NaN;
            sum += gpu.joulesAt(nanos);
        }
        return sum;
    }

    private void awaitFirstSamples() {
        long deadline = System.nanoTime() + STALE_NANOS;
        while (failure == null && !gpus.values().stream().allMatch(PowerIntegral::sampled)) {
            if (System.nanoTime() > deadline) {
                failure = "nvidia-smi sent no power sample in " + STALE_NANOS / 1_000_000_000L + " s";
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        sampler.destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is already exiting: the hook runs, harmlessly
        }
    }

    private static String join(List<Integer> gpus) {
        return String.join(", ", gpus.stream().map(String::valueOf).toList());
    }

    /**
     * One line of the query: {@code 0, 71.23}; power NaN where nvidia-smi reports none
     * ({@code [N/A]}, {@code [Not Supported]}, {@code [Unknown Error]}).
     */
    record Sample(int gpu, double watts) {

        /** The sample on {@code line}, or null when the line is not one (a message, a header). */
        static Sample parse(String line) {
            String[] fields = line.split(",");
            if (fields.length != 2) return null;
            int gpu;
            try {
                gpu = Integer.parseInt(fields[0].strip());
            } catch (NumberFormatException e) {
                return null;
            }
            String value = fields[1].strip();
            if (value.startsWith("[")) return new Sample(gpu, Double.NaN);
            try {
                double watts = Double.parseDouble(value.toLowerCase(Locale.ROOT).replace("w", "").strip());
                return new Sample(gpu, watts >= 0 ? watts : Double.NaN);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
