package io.toks.core.result;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;

/**
 * One measured configuration of a result document: what was run (its workload parameters) and
 * what was measured ({@link #metrics()}, the same shape in every kind). The JSON form names the
 * kind in {@code "kind"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = EngineRun.class, name = "engine"),
        @JsonSubTypes.Type(value = LoadRun.class, name = "load"),
        @JsonSubTypes.Type(value = TokenizerRun.class, name = "tokenizer"),
        @JsonSubTypes.Type(value = HardwareRun.class, name = "hardware"),
        @JsonSubTypes.Type(value = QualityRun.class, name = "quality"),
        @JsonSubTypes.Type(value = MeterRun.class, name = "meter"),
        @JsonSubTypes.Type(value = TrainingRun.class, name = "training")})
public sealed interface Run permits EngineRun, LoadRun, TokenizerRun, HardwareRun, QualityRun, MeterRun, TrainingRun {

    /** What the run is, short: {@code pp512}, {@code c=4}, {@code cl100k}, {@code 2 threads}. */
    String name();

    /** Every figure measured, by metric. */
    Map<Metric, MetricSummary> metrics();

    /** The summary of {@code metric}, or null when this run did not measure it. */
    default MetricSummary metric(Metric metric) {
        return metrics().get(metric);
    }
}
