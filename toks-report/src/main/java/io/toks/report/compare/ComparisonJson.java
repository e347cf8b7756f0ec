package io.toks.report.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.toks.core.result.ResultJson;
import io.toks.core.stats.Difference;
import io.toks.core.stats.Estimate;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A comparison for bots: every pair (key, metric, a, b, ratio, ci, p, method, verdict), the
 * unmatched runs, differences, warnings and the counts. Undefined figures are null, as in the
 * result document (docs/results.md, "Comparisons").
 */
final class ComparisonJson {

    private static final ObjectMapper INDENT = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ComparisonJson() {}

    static void write(Comparison c, PrintStream out) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("a", c.nameA());
        root.put("b", c.nameB());
        root.put("alpha", c.alpha());
        root.put("threshold", c.threshold());
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (Comparison.Row r : c.rows()) pairs.add(pair(r));
        root.put("pairs", pairs);
        root.put("only_in_a", c.onlyInA());
        root.put("only_in_b", c.onlyInB());
        root.put("differences", c.differences());
        root.put("warnings", c.warnings());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("regressions", c.count(Verdict.REGRESSION));
        summary.put("beyond_threshold", c.beyondThreshold());
        summary.put("improvements", c.count(Verdict.IMPROVEMENT));
        summary.put("no_significant_change", c.count(Verdict.NO_SIGNIFICANT_CHANGE));
        summary.put("not_tested", c.count(Verdict.NOT_TESTED));
        summary.put("exit_code", c.exitCode());
        root.put("summary", summary);
        try {
            // Through the result document's mapper first: NaN becomes null there, as in every toks document.
            out.println(INDENT.writeValueAsString(ResultJson.tree(root)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> pair(Comparison.Row r) {
        Difference d = r.difference();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", r.kind());
        p.put("key", r.run());
        p.put("metric", r.figure());
        p.put("unit", r.unit().symbol());
        p.put("higher_is_better", r.direction().higherIsBetter());
        p.put("a", estimate(d.a()));
        p.put("b", estimate(d.b()));
        p.put("ratio", d.ratio());
        p.put("change", d.change());
        p.put("ci", List.of(d.ratioLow(), d.ratioHigh()));
        p.put("p", d.pValue());
        p.put("method", d.method().key());
        p.put("verdict", r.verdictText());
        p.put("regression", r.verdict() == Verdict.REGRESSION);
        p.put("beyond_threshold", r.beyondThreshold());
        p.put("note", d.note());
        return p;
    }

    private static Map<String, Object> estimate(Estimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", e.value());
        m.put("ci95_low", e.low());
        m.put("ci95_high", e.high());
        m.put("n", e.n());
        return m;
    }
}
