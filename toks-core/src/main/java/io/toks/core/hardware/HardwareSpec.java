package io.toks.core.hardware;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a spec sheet says a chip can do: never a measurement. Every entry names its source, and
 * every figure that toks prints from it says "spec sheet".
 *
 * @param id                 short name used on the command line ({@code h100-sxm})
 * @param name               the product's full name
 * @param kind               GPU, CPU or SoC
 * @param vendor             who makes it
 * @param aliases            other names it goes by, e.g. what {@code nvidia-smi} prints
 * @param memoryGb           memory on the device (GPU) or the most the platform takes (CPU), 10^9 bytes; 0 if not stated
 * @param memoryBandwidthGbs peak memory bandwidth, 10^9 bytes/s
 * @param peakTera           dense (no structured sparsity) peak per precision: 10^12 FLOP/s, or OP/s for int8
 * @param tdpWatts           board power / TDP the sheet states; 0 if not stated
 * @param source             where the figures come from (a URL of the vendor's sheet)
 * @param notes              how figures were read or derived (halved sparse figures, per-GPU shares of a system, ...)
 */
public record HardwareSpec(String id, String name, Kind kind, String vendor, List<String> aliases, double memoryGb,
                           double memoryBandwidthGbs, Map<Precision, Double> peakTera, double tdpWatts, String source,
                           String notes) {

    public enum Kind {
        GPU, CPU, SOC;

        @JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public HardwareSpec {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("a catalog entry needs an id");
        if (source == null || source.isBlank()) throw new IllegalArgumentException("catalog entry '" + id + "' has no source");
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        EnumMap<Precision, Double> peaks = new EnumMap<>(Precision.class);
        if (peakTera != null) peaks.putAll(peakTera);
        peakTera = Collections.unmodifiableMap(peaks);
        notes = notes == null ? "" : notes;
    }

    /** The dense peak at {@code precision} in FLOP/s (OP/s for int8), if the sheet states one. */
    public Optional<Double> peakPerSecond(Precision precision) {
        Double tera = peakTera.get(precision);
        return tera == null ? Optional.empty() : Optional.of(tera * 1e12);
    }

    /** Peak memory bandwidth in bytes/s. */
    public double memoryBandwidthBytesPerSecond() {
        return memoryBandwidthGbs * 1e9;
    }
}
