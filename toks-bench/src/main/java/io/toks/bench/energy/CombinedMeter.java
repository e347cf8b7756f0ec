package io.toks.bench.energy;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** Several sources read together (CPU packages and GPUs): their energies add up. */
final class CombinedMeter implements EnergyMeter {

    private final List<EnergyMeter> meters;

    CombinedMeter(List<EnergyMeter> meters) {
        this.meters = List.copyOf(meters);
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public String source() {
        return meters.stream().map(EnergyMeter::source).collect(Collectors.joining(" + "));
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public String failure() {
        return meters.stream().map(EnergyMeter::failure).filter(Objects::nonNull).findFirst().orElse(null);
    }

    @Override
    public Span start() {
        // A source that is slow to start (nvidia-smi's first lines) must not shorten its own span
        // against the others': all wait first, then all start.
        meters.forEach(EnergyMeter::awaitReady);
        List<Span> spans = meters.stream().map(EnergyMeter::start).toList();
        return () -> {
            double joules = 0, seconds = 0;
            for (Span s : spans) {
                EnergyReading r = s.stop();
                joules += r.joules();
                seconds = Math.max(seconds, r.seconds());
            }
            return new EnergyReading(joules, seconds);
        };
    }

    @Override
    public void close() {
        meters.forEach(EnergyMeter::close);
    }
}
