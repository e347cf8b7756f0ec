package io.toks.bench.energy;

import io.toks.core.ToksException;
import io.toks.core.events.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the energy this machine draws, from the counters it has: RAPL packages
 * ({@code /sys/class/powercap/intel-rapl:N}, Intel and AMD) and GPUs that {@code nvidia-smi}
 * reports power for, summed when both are there. {@link #detect()} finds them; a machine with
 * neither gets a meter that is not {@link #available()} and says why, so nothing is ever guessed.
 */
public interface EnergyMeter extends AutoCloseable {

    /** Where {@link #detect()} looks for RAPL zones unless the system property {@code toks.powercap} names another folder. */
    Path POWERCAP = Path.of("/sys/class/powercap");

    /** Whether this meter reads anything; when not, {@link #unavailableReason()} says why. */
    boolean available();

    /** What is read, e.g. {@code RAPL package-0+package-1}; null when unavailable. */
    String source();

    /** Why nothing can be read, in a phrase; null when available. */
    String unavailableReason();

    /** Why the source stopped reading after it started (a sampling process died); null while it reads. */
    default String failure() {
        return null;
    }

    /**
     * Waits until the source can read (a sampling process has sent its first samples), so that
     * sources started together by {@link #start()} cover the same interval. Nothing by default.
     */
    default void awaitReady() {}

    /**
     * Starts measuring now.
     *
     * @throws IllegalStateException when the meter is not available
     */
    Span start();

    /** Energy from {@link #start()} to now. */
    interface Span {
        EnergyReading stop();
    }

    /**
     * The average power drawn over the next {@code interval}, this thread asleep meanwhile: the
     * machine's idle power when nothing else runs. NaN when the source failed.
     */
    default double idleWatts(Duration interval) {
        Span span = start();
        try {
            Thread.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToksException("interrupted while measuring idle power");
        }
        return span.stop().averageWatts();
    }

    /** Stops any sampling the meter runs in the background. */
    @Override
    void close();

    /**
     * This machine's meter: RAPL zones under {@link #POWERCAP} (or the folder the system property
     * {@code toks.powercap} names), and {@code nvidia-smi} from the PATH (or the file the system
     * property {@code toks.nvidia-smi} names).
     */
    static EnergyMeter detect() {
        String powercap = System.getProperty("toks.powercap");
        String nvidiaSmi = System.getProperty("toks.nvidia-smi");
        return detect(powercap == null ? POWERCAP : Path.of(powercap),
                nvidiaSmi == null ? NvidiaSmiMeter.onPath(System.getenv("PATH")) : Path.of(nvidiaSmi));
    }

    /**
     * The meter of the RAPL zones under {@code powercapRoot} and the GPUs {@code nvidiaSmi}
     * reports (null: no nvidia-smi), summed where both read.
     */
    static EnergyMeter detect(Path powercapRoot, Path nvidiaSmi) {
        List<EnergyMeter> found = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (EnergyMeter m : List.of(RaplMeter.detect(powercapRoot, Clock.SYSTEM),
                NvidiaSmiMeter.detect(nvidiaSmi, Clock.SYSTEM))) {
            if (m.available()) found.add(m);
            else reasons.add(m.unavailableReason());
        }
        return switch (found.size()) {
            case 0 -> unavailable(String.join(", ", reasons));
            case 1 -> found.get(0);
            default -> new CombinedMeter(found);
        };
    }

    /** A meter that reads nothing, for {@code reason}. */
    static EnergyMeter unavailable(String reason) {
        return new UnavailableMeter(reason);
    }
}
