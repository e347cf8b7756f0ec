package io.toks.report.chart;

import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.TrainingRun;
import io.toks.report.LabeledDocument;
import java.util.ArrayList;
import java.util.List;

/**
 * Charts of {@code toks train} and {@code toks bench-train} runs: each run's loss curve (training
 * loss per step, validation loss where measured), and steady-state training tok/s per run.
 */
final class TrainingCharts {

    private TrainingCharts() {}

    static List<ChartSpec> of(List<LabeledDocument> documents) {
        if (documents.stream().allMatch(d -> d.document().runs(TrainingRun.class).isEmpty())) return List.of();
        List<ChartSpec> charts = new ArrayList<>();
        List<ChartSeries> curves = new ArrayList<>();
        List<ChartSeries> speeds = new ArrayList<>();
        for (LabeledDocument d : documents) {
            List<ChartPoint> rates = new ArrayList<>();
            for (TrainingRun t : d.document().runs(TrainingRun.class)) {
                String name = documents.size() == 1 ? t.name() : d.label() + " · " + t.name();
                List<ChartPoint> loss = new ArrayList<>(), validation = new ArrayList<>();
                for (TrainingRun.LossPoint p : t.lossCurve()) {
                    loss.add(ChartPoint.at(p.step(), p.loss(), Double.NaN, Double.NaN));
                    if (!Double.isNaN(p.validationLoss())) validation.add(ChartPoint.at(p.step(), p.validationLoss(), Double.NaN, Double.NaN));
                }
                // bench-train's runs are a few steps each on random tokens: their curves say nothing
                if (t.lossCurve().size() > 1 && t.trainTokens() > 0) {
                    curves.add(new ChartSeries(name + " train", SeriesStyle.LINE, loss));
                    if (!validation.isEmpty()) curves.add(new ChartSeries(name + " validation", SeriesStyle.LINE, validation));
                }
                MetricSummary tps = t.metric(Metric.TRAIN_TPS);
                if (tps != null) rates.add(ChartPoint.at(t.name(), tps.mean(), tps.ci95Low(), tps.ci95High()));
            }
            if (!rates.isEmpty()) speeds.add(new ChartSeries(d.label(), SeriesStyle.BAR, rates));
        }
        if (!curves.isEmpty()) {
            charts.add(new ChartSpec("Loss curve (mean cross-entropy per step)", new Axis("step", "", AxisKind.VALUE),
                    new Axis("loss", Metric.TRAIN_LOSS.unit().symbol(), AxisKind.VALUE), curves));
        }
        if (!speeds.isEmpty()) {
            charts.add(new ChartSpec("Training tok/s, steady state (mean, 95% CI)", Axis.category("run"),
                    new Axis(Metric.TRAIN_TPS.key(), Metric.TRAIN_TPS.unit().symbol(), AxisKind.VALUE), speeds));
        }
        return charts;
    }
}
