package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.core.result.Metric;
import io.toks.core.result.ResultJson;
import io.toks.history.Series;
import io.toks.report.html.HtmlReport;
import io.toks.report.html.TrendPoint;
import io.toks.report.html.TrendSeries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import io.toks.history.HistoryEntry;
import io.toks.history.HistoryLocation;
import io.toks.history.HistoryStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "history", header = "Recorded runs, filtered; trends over time.", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {HistoryExportCommand.class, HistoryImportCommand.class},
        description = {"Lists the runs recorded by bench, load, count and hw (every measuring command records its result",
                "document unless --no-history), newest first: date, command, machine, model, weight type, test, threads,",
                "the headline figure with its 95% interval, whether the command ended, and the document's id.",
                "The store and its tables: docs/results.md, \"History\"."},
        footer = {"", "Examples:", "  toks history --test tg128 --since 7d",
                "  toks history --chart tg128 -o trend.html                 # tok/s of tg128 over time, a line per model/machine/setting",
                "  toks history --chart ttft --command load -o ttft.html    # any metric of docs/metrics.md",
                "  toks history export --model stories -o results.json      # a JSON array of result documents",
                "  toks history export -o results/                          # one document per file",
                "  toks history import results.json --history jdbc:postgresql://db:5432/toks?user=me"})
final class HistoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HistoryFilterOptions options;

    @Option(names = {"-o", "--output"}, defaultValue = "md", paramLabel = "FORMAT",
            description = {"md (a table) or json (an array of the runs listed). Default: ${DEFAULT-VALUE}.",
                    "With --chart: the HTML file to write (default: toks-trend-WHAT.html)."})
    String output;

    @Option(names = "--chart", paramLabel = "WHAT",
            description = {"Draw a trend instead of listing: a test (tg128, pp512, c=4: its tok/s, or a load level's",
                    "output tok/s) or a metric (decode_tps, ttft, read_bandwidth, ...) over time, one line per model,",
                    "type, machine, test, threads and kernels, as one self-contained HTML page."})
    String chart;

    @Override
    public Integer call() throws java.io.IOException {
        if (chart != null) return chart();
        String format = output.toLowerCase(Locale.ROOT);
        if (!format.equals("md") && !format.equals("json")) throw new IllegalArgumentException("-o/--output: md or json, not " + output);
        var filter = options.filter();
        HistoryLocation location = options.location();
        PrintWriter out = spec.commandLine().getOut();
        if (!location.chosen() && location.file() != null && !Files.exists(location.file())) {
            spec.commandLine().getErr().println("toks: nothing recorded yet in " + location.display());
            if (format.equals("json")) out.println("[]");
            return 0;
        }
        List<HistoryEntry> entries;
        try (HistoryStore store = HistoryStore.openForReading(location)) {
            entries = store.runs(filter);
        }
        if (format.equals("json")) {
            out.println(ResultJson.tree(entries).toPrettyString());
        } else {
            HistoryTable.print(entries, out);
            if (entries.isEmpty()) spec.commandLine().getErr().println("toks: no runs match in " + location.display());
        }
        out.flush();
        return 0;
    }

    /** A metric's name picks that metric; anything else is a test whose headline metric is drawn. */
    private int chart() throws java.io.IOException {
        Metric metric = metricNamed(chart);
        var filter = metric == null ? options.filter().withTest(chart) : options.filter();
        Path file = Path.of(output.equalsIgnoreCase("md") ? "toks-trend-" + chart.replaceAll("[^A-Za-z0-9_.=-]", "_") + ".html" : output);
        if (Files.isDirectory(file)) throw new IllegalArgumentException("-o " + file + ": is a folder; give the HTML file to write");
        HistoryLocation location = options.location();
        List<Series> series;
        try (HistoryStore store = HistoryStore.openForReading(location)) {
            series = store.series(filter, metric);
        }
        if (series.isEmpty()) throw new ToksException("no runs of " + chart + " match in " + location.display() + " (toks history lists what is there)");
        List<TrendSeries> lines = series.stream().map(s -> new TrendSeries(s.key().label(), s.points().stream()
                .map(p -> new TrendPoint(p.createdAt(), p.value())).toList())).toList();
        String label = metric != null ? metric.key() : series.get(0).metric();
        String page = HtmlReport.trend("toks history: " + chart + " over time", label, lines);
        Files.writeString(file, page, StandardCharsets.UTF_8);
        int points = lines.stream().mapToInt(l -> l.points().size()).sum();
        spec.commandLine().getErr().println("toks: wrote " + file + " (" + lines.size() + " line(s), " + points + " measurement(s))");
        return 0;
    }

    private static Metric metricNamed(String name) {
        try {
            return Metric.ofKey(name.toLowerCase(Locale.ROOT));
        } catch (RuntimeException notAMetric) {
            return null;
        }
    }
}
