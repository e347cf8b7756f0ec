package io.toks.core.estimate;

import io.toks.core.hardware.HardwareSpec;
import io.toks.core.hardware.Precision;

/**
 * The two limits an estimate is drawn against, with where they come from. Several devices are
 * taken as one with their sums: an ideal tensor-parallel split, no communication cost.
 *
 * @param name                    what the limits are of ({@code h100-sxm}, {@code this machine, 2 threads})
 * @param origin                  measured here or read from a spec sheet
 * @param devices                 how many devices are summed
 * @param bandwidthBytesPerSecond memory bandwidth of all devices
 * @param peakFlopsPerSecond      peak arithmetic of all devices at {@code precision}
 * @param precision               what the peak is for
 * @param memoryBytes             memory of all devices; 0 when unknown
 * @param source                  the spec sheet's URL, or how the figures were measured
 */
public record HardwareLimits(String name, Origin origin, int devices, double bandwidthBytesPerSecond,
                             double peakFlopsPerSecond, Precision precision, double memoryBytes, String source) {

    public enum Origin {
        MEASURED("measured"), SPEC_SHEET("spec sheet");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public HardwareLimits {
        if (devices < 1) throw new IllegalArgumentException("devices must be at least 1, got " + devices);
        if (!(bandwidthBytesPerSecond > 0)) throw new IllegalArgumentException(name + " has no memory bandwidth to estimate against");
        if (!(peakFlopsPerSecond > 0)) throw new IllegalArgumentException(name + " has no " + precision + " peak to estimate against");
    }

    /**
     * A catalog entry's limits at {@code precision} times {@code devices}; IllegalArgumentException
     * naming the precisions the sheet does state when it has no figure for this one.
     */
    public static HardwareLimits of(HardwareSpec spec, Precision precision, int devices) {
        double peak = spec.peakPerSecond(precision).orElseThrow(() -> new IllegalArgumentException(
                spec.id() + "'s spec sheet states no " + precision + " peak (it states: "
                        + (spec.peakTera().isEmpty() ? "none" : String.join(", ", spec.peakTera().keySet().stream().map(Precision::key).toList()))
                        + "); pick one with --precision"));
        return new HardwareLimits(spec.id(), Origin.SPEC_SHEET, devices, spec.memoryBandwidthBytesPerSecond() * devices,
                peak * devices, precision, spec.memoryGb() * 1e9 * devices, spec.source());
    }
}
