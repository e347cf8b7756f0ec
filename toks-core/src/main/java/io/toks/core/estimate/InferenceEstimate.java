package io.toks.core.estimate;

/**
 * Roofline bounds for one model on one piece of hardware: no run can be faster (a measured rate
 * above a bound means a byte or FLOP count is wrong).
 *
 * @param weightBytes    weights as stored
 * @param kvCacheBytes   KV caches of every sequence at the full context
 * @param decodeEmpty    decode with empty caches (the first generated token of each sequence)
 * @param decodeFull     decode with every cache at the full context
 * @param prefill        prefill of a full-context prompt
 */
public record InferenceEstimate(ModelShape model, HardwareLimits hardware, InferenceWorkload workload,
                                double weightBytes, double kvCacheBytes, Bound decodeEmpty, Bound decodeFull, Bound prefill) {

    /** Weights plus KV caches (activations and runtime buffers are not counted). */
    public double memoryBytes() {
        return weightBytes + kvCacheBytes;
    }

    /** Whether {@link #memoryBytes()} fits the hardware's memory; true when that is unknown. */
    public boolean fits() {
        return hardware.memoryBytes() <= 0 || memoryBytes() <= hardware.memoryBytes();
    }

    /**
     * One rate bound: the smaller of the memory limit (bandwidth / bytes per token) and the
     * compute limit (peak / FLOPs per token), as aggregate tokens per second over all sequences.
     *
     * @param bytesPerToken bytes read per token (weights shared by the tokens of one pass)
     * @param flopsPerToken FLOPs per token
     */
    public record Bound(double bytesPerToken, double flopsPerToken, double memoryLimitTps, double computeLimitTps) {

        public static Bound of(double bytesPerToken, double flopsPerToken, HardwareLimits hw) {
            return new Bound(bytesPerToken, flopsPerToken, hw.bandwidthBytesPerSecond() / bytesPerToken,
                    hw.peakFlopsPerSecond() / flopsPerToken);
        }

        public double tps() {
            return Math.min(memoryLimitTps, computeLimitTps);
        }

        /** "memory" or "compute": which limit binds. */
        public String bound() {
            return memoryLimitTps <= computeLimitTps ? "memory" : "compute";
        }
    }
}
