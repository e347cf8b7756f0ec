package io.toks.cli;

import io.toks.bench.energy.EnergyMeter;
import io.toks.bench.energy.EnergyMonitor;
import io.toks.bench.energy.ServerLocation;
import io.toks.cli.progress.Progress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** Whether a measuring command also states the energy its runs drew (bench, load, perplexity). */
final class EnergyOptions {

    @Option(names = "--energy", defaultValue = "auto", paramLabel = "auto|off",
            description = {"auto: where RAPL counters (/sys/class/powercap) or nvidia-smi can be read, state each run's",
                    "energy, average power and tokens per joule, with idle power sampled first; off: do not.",
                    "Default: ${DEFAULT-VALUE}."})
    String mode;

    @Option(names = "--idle-seconds", defaultValue = "2", paramLabel = "S",
            description = "How long idle power is sampled before the runs (0: not sampled). Default: ${DEFAULT-VALUE}.")
    double idleSeconds;

    /** Checks the options before any slow work: whether energy is asked for. */
    boolean wanted() {
        if (!(idleSeconds >= 0 && idleSeconds <= 600)) {
            throw new IllegalArgumentException("--idle-seconds must be between 0 and 600, got " + idleSeconds);
        }
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "auto" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--energy must be auto or off, got '" + mode + "'");
        };
    }

    /** This machine's meter with its idle power sampled (a note on {@code display} meanwhile), or why none. */
    EnergyMonitor open(Progress display) {
        if (!wanted()) return EnergyMonitor.off("--energy off");
        EnergyMeter meter = EnergyMeter.detect();
        if (meter.available() && idleSeconds > 0) {
            display.note(String.format(Locale.ROOT, "measuring idle power for %.0f s (%s) ...", idleSeconds, meter.source()));
        }
        return EnergyMonitor.start(meter, Duration.ofNanos(Math.round(idleSeconds * 1e9)));
    }

    /** As {@link #open(Progress)} for work a server at {@code server} does: measured only when it runs on this machine. */
    EnergyMonitor open(Progress display, URI server) {
        if (wanted() && !ServerLocation.onThisMachine(server)) return EnergyMonitor.off(ServerLocation.elsewhere(server));
        return open(display);
    }

    /** The options, for a manifest's parameters. */
    void record(Map<String, Object> parameters) {
        parameters.put("energy", mode);
        parameters.put("idle_seconds", idleSeconds);
    }
}
