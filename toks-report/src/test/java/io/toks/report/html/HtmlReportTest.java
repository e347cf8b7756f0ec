package io.toks.report.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.Unit;
import io.toks.report.LabeledDocument;
import io.toks.report.ReportFixtures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The page as a file: self-contained, safe against markup in documents, with the figures of the md renderer. */
class HtmlReportTest {

    static final String ALERT = "<script>alert(1)";

    static String page() {
        return HtmlReport.of("java vs native", ReportFixtures.twoBenches());
    }

    /** The page without the inlined ECharts library (whose licence text names URLs it never loads). */
    static String withoutEcharts(String page) {
        return page.replace(PageResources.echarts(), "");
    }

    @Test
    void loadsNothingFromTheNetwork() {
        String page = page();
        assertThat(page).contains(PageResources.echarts());
        Pattern external = Pattern.compile("<(script|link|img|iframe|object|embed|source)\\b[^>]*\\b(src|href|data)\\s*=", Pattern.CASE_INSENSITIVE);
        // ECharts's own code builds an <img src=...> string for images in tooltips, which this page has none of.
        assertThat(external.matcher(withoutEcharts(page)).find()).as("an element that loads a resource").isFalse();
        assertThat(withoutEcharts(page)).doesNotContain("http://", "https://", "@import", "url(");
        assertThat(page).contains("Content-Security-Policy\" content=\"default-src 'none';");
    }

    @Test
    void aModelNamedLikeMarkupIsText() {
        List<LabeledDocument> named = ReportFixtures.twoBenches().stream()
                .map(d -> new LabeledDocument(d.label() + " " + ReportFixtures.HOSTILE_MODEL, d.document())).toList();
        String page = HtmlReport.of(ReportFixtures.HOSTILE_MODEL, named);
        assertThat(withoutEcharts(page)).doesNotContain(ALERT).contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
        Document dom = Jsoup.parse(page);
        // errors.js, the chart data, ECharts, report.js: nothing more.
        assertThat(dom.select("script")).hasSize(4);
        assertThat(dom.select("td").eachText()).contains(ReportFixtures.HOSTILE_MODEL);
        assertThat(dom.title()).isEqualTo(ReportFixtures.HOSTILE_MODEL);
        assertThat(dom.select("section.document h2").eachText()).contains("java " + ReportFixtures.HOSTILE_MODEL + " — toks bench");
        Element data = dom.getElementById("toks-charts");
        assertThat(data.attr("type")).isEqualTo("application/json");
        assertThat(data.data()).doesNotContain("</").contains("\\u003c/script\\u003e");
    }

    @Test
    void chartDataReadsBackAsTheChartsThemselves() throws Exception {
        JsonNode charts = new ObjectMapper().readTree(Jsoup.parse(page()).getElementById("toks-charts").data());
        assertThat(charts).hasSize(5);
        JsonNode first = charts.get(0);
        assertThat(first.get("title").asText()).isEqualTo("Prefill tok/s per test (mean, 95% CI)");
        assertThat(first.get("x").get("kind").asText()).isEqualTo("CATEGORY");
        assertThat(first.get("series")).hasSize(2);
        JsonNode point = first.get("series").get(0).get("points").get(0);
        assertThat(point.get("x").isNull()).as("NaN is null in JSON").isTrue();
        assertThat(point.get("low").asDouble()).isLessThan(point.get("y").asDouble());
    }

    @Test
    void eachDocumentShowsItsFiguresAsTheMarkdownTableAndItsManifest() {
        Document dom = Jsoup.parse(page());
        assertThat(dom.select("#chart-1, #chart-5")).hasSize(2);
        assertThat(dom.select("section.document h2").eachText()).containsExactly("java — toks bench", "native — toks bench");
        Element table = dom.selectFirst("section.document table:not(.kv)");
        assertThat(table.select("th").eachText()).startsWith("model", "size", "params", "type", "kernels", "threads", "cache", "test", "t/s");
        assertThat(table.select("tr")).hasSize(9); // header + 8 tests
        assertThat(table.select("td.num").eachText()).contains("916.00 ± 27.48");
        assertThat(dom.select("section.document pre.notes").first().text()).contains("t/s = mean ± stdev over 3 repetitions");
        Element manifest = dom.selectFirst("section.document details table.kv");
        assertThat(manifest.select("th").eachText()).contains("machine", "jvm", "target", "parameters", "cpu_model", "jit_warmup_ms");
    }

    @Test
    void markdownTablesBecomeTables() {
        String html = FiguresHtml.convert("| a | b |\n|---|---:|\n| x<y | 1.5 |\n\nnote & more\n");
        assertThat(html).isEqualTo("<table>\n<tr><th>a</th><th>b</th></tr>\n<tr><td>x&lt;y</td><td class=\"num\">1.5</td></tr>\n</table>\n"
                + "<pre class=\"notes\">note &amp; more</pre>\n");
    }

    @Test
    void scriptJsonEscapesWhatCouldEndTheScriptAndReadsBackTheSame() throws Exception {
        String hostile = "</script><!-- & \u2028";
        String json = ScriptJson.of(Map.of("name", hostile));
        assertThat(json).doesNotContain("<", ">", "&", "\u2028");
        assertThat(new ObjectMapper().readTree(json).get("name").asText()).isEqualTo(hostile);
    }

    @Test
    void trendPageDrawsALinePerSeriesOverTime() throws Exception {
        var before = new TrendPoint(Instant.parse("2026-01-02T10:00:00Z"), MetricSummary.ofSamples(Unit.TOKENS_PER_SECOND, 90, 100, 110));
        var after = new TrendPoint(Instant.parse("2026-01-03T10:00:00Z"), MetricSummary.ofSamples(Unit.TOKENS_PER_SECOND, 120, 125, 130));
        var single = new TrendPoint(Instant.parse("2026-01-02T12:00:00Z"), MetricSummary.single(Unit.TOKENS_PER_SECOND, 50));
        String page = HtmlReport.trend("decode_tps over time", "decode_tps",
                List.of(new TrendSeries("tiny tg16 2t", List.of(after, before)), new TrendSeries("<b>other</b>", List.of(single))));
        Document dom = Jsoup.parse(page);
        assertThat(dom.select("div.chart")).hasSize(1);
        assertThat(dom.title()).isEqualTo("decode_tps over time");
        JsonNode chart = new ObjectMapper().readTree(dom.getElementById("toks-charts").data()).get(0);
        assertThat(chart.get("x").get("kind").asText()).isEqualTo("TIME");
        assertThat(chart.get("y").get("unit").asText()).isEqualTo("tok/s");
        JsonNode points = chart.get("series").get(0).get("points");
        assertThat(points.get(0).get("x").asLong()).isEqualTo(Instant.parse("2026-01-02T10:00:00Z").toEpochMilli()); // sorted by time
        assertThat(points.get(0).get("high").asDouble()).isGreaterThan(110);
        assertThat(chart.get("series").get(1).get("points").get(0).get("low").isNull()).as("a single figure has no interval").isTrue();
        assertThat(withoutEcharts(page)).doesNotContain("<b>other");
        assertThat(Jsoup.parse(HtmlReport.trend("empty", "decode_tps", List.of())).select("p.subtitle").text()).contains("nothing to draw yet");
    }

    @Test
    void aReportNeedsADocument() {
        assertThatThrownBy(() -> HtmlReport.of("t", List.<LabeledDocument>of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one result document");
    }
}
