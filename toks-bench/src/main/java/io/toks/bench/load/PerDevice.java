package io.toks.bench.load;

import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.LoadRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.Unit;
import java.util.EnumMap;
import java.util.Map;

/**
 * A load level's output rate per device and per watt of the devices' spec-sheet TDP, so levels
 * measured on different GPU servers compare (docs/metrics.md, output_tps_per_device).
 */
public final class PerDevice {

    private PerDevice() {}

    /** {@code level} with output_tps_per_device (and per TDP watt where the sheet states a TDP) added. */
    public static LoadRun apply(LoadRun level, TargetFacts.ServerHardware hardware) {
        MetricSummary output = level.metrics().get(Metric.OUTPUT_TPS);
        if (hardware == null || output == null || Double.isNaN(output.mean())) return level;
        Map<Metric, MetricSummary> metrics = new EnumMap<>(Metric.class);
        metrics.put(Metric.OUTPUT_TPS_PER_DEVICE, MetricSummary.single(Unit.TOKENS_PER_SECOND, output.mean() / hardware.devices()));
        if (hardware.tdpWatts() > 0) {
            metrics.put(Metric.OUTPUT_TPS_PER_TDP_WATT, MetricSummary.single(Unit.TOKENS_PER_JOULE,
                    output.mean() / (hardware.devices() * hardware.tdpWatts())));
        }
        return level.withMetrics(metrics);
    }
}
