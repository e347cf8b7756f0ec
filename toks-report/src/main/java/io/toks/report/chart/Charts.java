package io.toks.report.chart;

import io.toks.report.LabeledDocument;
import java.util.ArrayList;
import java.util.List;

/**
 * The charts a set of result documents calls for, decided by what they hold: engine runs, load
 * levels, tokenizer runs, hardware runs, quality, meter and training runs. Each document is one series
 * (or several, where it holds several configurations), so several documents become one comparison.
 */
public final class Charts {

    private Charts() {}

    public static List<ChartSpec> of(List<LabeledDocument> documents) {
        List<ChartSpec> charts = new ArrayList<>();
        charts.addAll(EngineCharts.of(documents));
        charts.addAll(LoadCharts.of(documents));
        charts.addAll(TokenizerCharts.of(documents));
        charts.addAll(HardwareCharts.of(documents));
        charts.addAll(QualityCharts.of(documents));
        charts.addAll(MeterCharts.of(documents));
        charts.addAll(TrainingCharts.of(documents));
        return charts;
    }
}
