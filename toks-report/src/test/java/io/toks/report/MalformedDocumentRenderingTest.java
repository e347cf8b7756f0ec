package io.toks.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toks.core.ToksException;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.report.chart.Charts;
import io.toks.report.compare.Comparisons;
import io.toks.report.compare.MetricSelection;
import io.toks.report.html.HtmlReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A document a user edited or another tool wrote: with any one field removed, it is either refused
 * when read (one line, ResultJson) or drawn by every renderer (table, CSV, HTML page, comparison),
 * never an internal error halfway through drawing.
 */
class MalformedDocumentRenderingTest {

    @Test
    void everyDocumentMissingAFieldIsRefusedOrRendered() {
        List<ResultDocument> documents = List.of(ReportFixtures.bench("m", "java", 100), ReportFixtures.load(), ReportFixtures.count(),
                ReportFixtures.hw(), ReportFixtures.meter("m", 10), ReportFixtures.train());
        List<String> crashes = new ArrayList<>();
        int rendered = 0;
        for (ResultDocument original : documents) {
            List<String> paths = new ArrayList<>();
            collect(ResultJson.tree(original), "", paths);
            for (String path : paths) {
                ObjectNode tree = (ObjectNode) ResultJson.tree(original);
                remove(tree, path);
                ResultDocument changed;
                try {
                    changed = ResultJson.read(tree.toString());
                } catch (ToksException refused) {
                    continue;
                }
                try {
                    renderAll(original, changed);
                    rendered++;
                } catch (ToksException clean) {
                    assertThat(clean.getMessage()).doesNotContain("\n");
                } catch (RuntimeException e) {
                    crashes.add(original.command() + " without " + path + ": " + e);
                }
            }
        }
        assertThat(crashes).isEmpty();
        assertThat(rendered).isPositive();
    }

    private static void renderAll(ResultDocument original, ResultDocument changed) {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Renderers.render(changed, Format.MD, out);
        if (changed.command().equals("bench")) Renderers.render(changed, Format.CSV, out);
        List<LabeledDocument> both = List.of(new LabeledDocument("a", original), new LabeledDocument("b", changed));
        Charts.of(both);
        HtmlReport.of("t", List.of(new LabeledDocument("b", changed)));
        Comparisons.compare(original, "a", changed, "b", MetricSelection.of(null), 0.05, 0);
    }

    /**
     * Fields down to a run's metrics ({@code /runs/0/metrics/decode_tps}) and the manifest's parts:
     * deeper ones (a metric's figures, a model's facts) are required as a whole or read as
     * defaults, and drawing every one of them would make this test slow.
     */
    private static void collect(JsonNode node, String path, List<String> paths) {
        if (path.chars().filter(c -> c == '/').count() >= 4) return;
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                paths.add(path + "/" + name);
                collect(node.get(name), path + "/" + name, paths);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            collect(node.get(0), path + "/0", paths);
        }
    }

    private static void remove(ObjectNode root, String path) {
        int cut = path.lastIndexOf('/');
        JsonNode parent = root.at(path.substring(0, cut));
        if (parent instanceof ObjectNode o) o.remove(path.substring(cut + 1));
        else if (parent instanceof ArrayNode a) a.remove(0);
    }
}
