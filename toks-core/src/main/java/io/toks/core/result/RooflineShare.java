package io.toks.core.result;

/**
 * A test's share of the machine's limit (docs/metrics.md: mbu, mfu). The limit is the lower of
 * the memory limit (bandwidth / bytes read per token) and the compute limit (peak FLOPs / FLOPs
 * per token); a model small enough to stay in cache has no memory limit ({@code bound = cache}).
 *
 * @param bound                    {@code memory}, {@code compute} or {@code cache}
 * @param limitTps                 tok/s the binding limit allows
 * @param share                    measured tok/s / limitTps (NaN when bound = cache)
 * @param bytesPerToken            bytes read per token (weights, and the KV cache at the test's average depth)
 * @param flopsPerToken            FLOPs per token (2 per weight, plus attention)
 * @param bandwidthGbs             the bandwidth the share is against, GB/s
 * @param bandwidthSource          {@code up_front} (measured before the tests) or
 *                                 {@code median_of_samples_during_test}
 * @param bandwidthSamplesGbs      the samples taken around the test's repetitions (empty: none)
 * @param upFrontBandwidthGbs      the bandwidth measured before the tests
 * @param shareOfUpFrontBandwidth  the share against that up-front figure
 */
public record RooflineShare(String bound, double limitTps, double share, double bytesPerToken, double flopsPerToken,
                            double bandwidthGbs, String bandwidthSource, double[] bandwidthSamplesGbs,
                            double upFrontBandwidthGbs, double shareOfUpFrontBandwidth) {

    public RooflineShare {
        bandwidthSamplesGbs = bandwidthSamplesGbs == null ? new double[0] : bandwidthSamplesGbs.clone();
    }
}
