package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.report.Format;
import io.toks.report.compare.Comparison;
import io.toks.report.compare.ComparisonOutput;
import io.toks.report.compare.Comparisons;
import io.toks.report.compare.MetricSelection;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "compare", header = "Compare two result documents, figure by figure, with significance.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compares two result documents (-o json of bench, load, count, hw or",
                "perplexity; a TokenMeter's result, docs/library.md).",
                "Runs are matched by their parameters; each figure is tested (Welch's t on",
                "repetitions, a seeded bootstrap for percentiles and skewed samples) and judged",
                "faster/slower, better/worse or no significant change. Exit 1 when a figure of B",
                "is significantly worse than A's by more than --threshold (a CI gate).",
                "Method: docs/metrics.md, \"Comparing results\"."})
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A.json", description = "The baseline result document.")
    Path a;

    @Parameters(index = "1", paramLabel = "B.json", description = "The result document compared with it.")
    Path b;

    @Option(names = "--threshold", defaultValue = "0%", paramLabel = "PERCENT",
            description = {"Exit 1 only for significant regressions larger than",
                    "this (3%% or 3). Default: ${DEFAULT-VALUE}, any significant regression."})
    String threshold;

    @Option(names = "--metric", split = ",", paramLabel = "NAME",
            description = {"Figures to compare: tgN or ppN (that engine test's",
                    "tok/s), a metric (decode_tps, output_tps: its mean), a",
                    "latency percentile (ttft_p99, tpot_p50, e2e_p90).",
                    "Default: each run's headline (engine tok/s; load",
                    "output_tps, ttft and tpot p50/p99, e2e p50; count",
                    "tokenize_mb_per_s; hw read_bandwidth, peak_fma; meter",
                    "as load plus decode_tps and train_tps)."})
    List<String> metrics;

    @Option(names = "--alpha", defaultValue = "0.05", paramLabel = "A",
            description = "Significance level of each test. Default: ${DEFAULT-VALUE}.")
    double alpha;

    @Option(names = {"-o", "--output"}, defaultValue = "md", paramLabel = "FORMAT",
            description = "md (a table) or json (for bots). Default: ${DEFAULT-VALUE}.")
    String output;

    @Override
    public Integer call() {
        // Every option is checked before the documents are read.
        Format format;
        try {
            format = Format.parse(output);
            ComparisonOutput.check(format);
        } catch (ToksException e) {
            throw new ToksException("-o/--output: " + e.getMessage());
        }
        double relativeThreshold = Comparisons.parseThreshold(threshold);
        if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("--alpha must be between 0 and 1 (exclusive), not " + alpha);
        MetricSelection selection = MetricSelection.of(metrics);
        ResultDocument docA = ResultJson.read(a);
        ResultDocument docB = ResultJson.read(b);
        Comparison comparison = Comparisons.compare(docA, a.toString(), docB, b.toString(), selection, alpha, relativeThreshold);
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        ComparisonOutput.write(comparison, format, out);
        // A gate that compared nothing must not pass: the documents hold different tests or levels.
        if (comparison.rows().isEmpty()) throw new ToksException("nothing compared: no run of " + b + " matches a run of " + a);
        return comparison.exitCode();
    }
}
