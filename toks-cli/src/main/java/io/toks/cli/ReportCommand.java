package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.history.HistoryStore;
import io.toks.history.StoredDocument;
import io.toks.report.DocumentLabels;
import io.toks.report.LabeledDocument;
import io.toks.report.chart.ChartSpec;
import io.toks.report.chart.Charts;
import io.toks.report.html.HtmlReport;
import io.toks.report.image.ChartImages;
import io.toks.report.image.ImageFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "report", header = "Charts of result documents: one HTML page, or PNG/SVG images.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draws result documents (-o json of bench, load, count, hw) as charts: one",
                "self-contained HTML file (ECharts and the data inlined: it opens offline and",
                "loads nothing from the network), or one PNG/SVG image per chart. Several",
                "documents become one comparison, each a series. Charts follow the documents:",
                "  bench: tok/s per test with 95%% CI error bars; tok/s against threads, prompt",
                "         length, generation length or model size where those vary",
                "  load:  TTFT, ITL, TPOT, E2E p50/p90/p99 and output tok/s against concurrency",
                "         or rate; the serving Pareto curve (tok/s per user vs total tok/s)",
                "  count: tokens, chars/token and speed per tokenizer",
                "  hw:    memory bandwidth and peak FMA against threads",
                "  meter: output, decode and training tok/s per model, latency percentiles",
                "         (a TokenMeter's result in your own code: docs/library.md)",
                "The HTML page also shows each document's tables (as -o md) and manifest."},
        footer = {"", "Examples:",
                "  toks bench -p 16,64 -t 1,2 --kernels java -o json > java.json",
                "  toks report java.json -o report.html",
                "  toks report java.json native.json --label java,native -o compare.html",
                "  toks report load.json --format png -o charts/",
                "  toks report --from-history --test tg128 --since 7d -o week.html   # documents from toks history",
                "",
                "PNG and SVG (XChart) draw error bars symmetric (mean +/- the upper half of the",
                "interval) and leave Pareto points unlabelled; the HTML page draws both exactly."})
final class ReportCommand implements Callable<Integer> {


    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "RESULT.json", description = {"Result documents (toks bench|load|count|hw -o json or -o jsonl;",
            "a file of several, a JSON array or JSON lines of several commands, draws each)."})
    List<Path> files = List.of();

    @Option(names = "--from-history", description = {"Also draw the documents of the history store (toks history) that hold a",
            "run matching --model/--test/--type/--machine/--command/--since (--limit N: the newest N)."})
    boolean fromHistory;

    @Mixin
    HistoryFilterOptions historyFilter;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH",
            description = "The HTML file to write; with --format png|svg, the folder for the images (created if missing).")
    Path output;

    @Option(names = "--format", defaultValue = "html", paramLabel = "FORMAT", description = "html, png or svg. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--title", paramLabel = "TITLE", description = "The page's title. Default: toks report: LABEL vs LABEL ...")
    String title;

    @Option(names = "--label", split = ",", paramLabel = "LABEL",
            description = "One series name per document, in order. Default: the file names without .json (with their folder where two are alike).")
    List<String> labels;

    @Override
    public Integer call() throws IOException {
        String kind = format.trim().toLowerCase(Locale.ROOT);
        ImageFormat image = kind.equals("html") ? null : parseImage(kind);
        checkOutput(image != null);
        if (files.isEmpty() && !fromHistory) throw new ToksException("give result documents (RESULT.json...) or --from-history");
        List<ResultDocument> documents = new ArrayList<>();
        List<Path> sources = new ArrayList<>(); // each document's file: a JSON array or JSON lines of several commands hold several
        for (Path file : files) { // every file checked before anything is drawn
            for (ResultDocument d : ResultJson.readAll(file)) {
                documents.add(d);
                sources.add(file);
            }
        }
        List<String> names = new ArrayList<>(sources.isEmpty() ? List.of() : DocumentLabels.of(sources, documents));
        if (fromHistory) {
            List<StoredDocument> stored;
            try (HistoryStore store = HistoryStore.openForReading(historyFilter.location())) {
                stored = store.documents(historyFilter.filter());
            }
            if (stored.isEmpty()) throw new ToksException("no documents in " + historyFilter.location().display() + " match (toks history lists what is there)");
            for (StoredDocument d : stored) {
                documents.add(d.document());
                names.add("#" + d.id() + " " + d.document().command() + " " + shortTime(d.document().manifest().createdAt()));
            }
        }
        if (labels != null && labels.size() != documents.size()) {
            throw new ToksException("--label: " + labels.size() + " label(s) for " + documents.size() + " document(s); give one per document");
        }
        if (labels != null) names = labels.stream().map(String::strip).toList();
        if (names.stream().anyMatch(String::isEmpty)) throw new ToksException("--label: a label is empty");
        List<LabeledDocument> labelled = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) labelled.add(new LabeledDocument(names.get(i), documents.get(i)));
        PrintWriter out = spec.commandLine().getOut();
        if (image == null) {
            String page = HtmlReport.of(title != null ? title : "toks report: " + String.join(" vs ", names), labelled);
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(output, page, StandardCharsets.UTF_8);
            out.printf(Locale.ROOT, "wrote %s: %d chart(s) from %d document(s)%n", output, Charts.of(labelled).size(), labelled.size());
        } else {
            List<ChartSpec> charts = Charts.of(labelled);
            List<Path> written = ChartImages.write(charts, image, output);
            out.printf(Locale.ROOT, "wrote %d %s file(s) to %s%n", written.size(), image.extension().toUpperCase(Locale.ROOT), output);
            for (Path file : written) out.println("  " + file.getFileName());
        }
        out.flush();
        return 0;
    }

    /** "2026-11-30T14:05:09Z" as "11-30 14:05": enough to tell a history's documents apart in a legend. */
    private static String shortTime(String iso) {
        return iso != null && iso.length() >= 16 && iso.charAt(10) == 'T' ? iso.substring(5, 16).replace('T', ' ') : String.valueOf(iso);
    }

    private static ImageFormat parseImage(String kind) {
        try {
            return ImageFormat.parse(kind);
        } catch (ToksException e) {
            throw new ToksException("--format: unknown format '" + kind + "' (expected html, png or svg)");
        }
    }

    /** The output's kind must fit the format before anything is read or drawn. */
    private void checkOutput(boolean images) {
        if (images && Files.exists(output) && !Files.isDirectory(output)) {
            throw new ToksException("-o " + output + ": a file exists there; --format png|svg writes a folder of images");
        }
        if (!images && Files.isDirectory(output)) {
            throw new ToksException("-o " + output + ": is a folder; give the HTML file to write (e.g. " + output.resolve("report.html") + ")");
        }
    }

}
