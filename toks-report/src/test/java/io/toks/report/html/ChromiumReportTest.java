package io.toks.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.report.LabeledDocument;
import io.toks.report.ReportFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports opened in a real browser, offline: the page runs without a script error, and draws as
 * many charts, with as many series each, as its documents imply (counted from the ECharts
 * instances by the page itself). Screenshots go to target/report-screenshots (build artifacts).
 */
class ChromiumReportTest {

    static final Path SCREENSHOTS = Path.of("target", "report-screenshots");

    @TempDir
    Path dir;

    @BeforeAll
    static void chromium() {
        HeadlessChromium.assumeInstalled();
    }

    @Test
    void twoBenchesDrawFiveChartsWithASeriesPerDocumentOrConfiguration() throws Exception {
        List<LabeledDocument> documents = ReportFixtures.twoBenches().stream()
                .map(d -> new LabeledDocument(d.label() + " " + ReportFixtures.HOSTILE_MODEL, d.document())).toList();
        Document dom = open(HtmlReport.of("java vs native " + ReportFixtures.HOSTILE_MODEL, documents), "bench");
        // Bars per document (pp, tg); lines: 4 tests x 2 documents (threads), 2 thread counts x 2 documents (pp, tg lengths).
        assertDrawn(dom, List.of(2, 2, 8, 4, 4), List.of(2, 2, 8, 4, 4));
        // The hostile name is text in the page, never a script: the page's own four scripts only.
        assertThat(dom.select("script")).hasSize(4);
        assertThat(dom.select("td").eachText()).contains(ReportFixtures.HOSTILE_MODEL);
    }

    @Test
    void loadCountAndHardwareDrawTheirChartsTogether() throws Exception {
        Document dom = open(HtmlReport.of("load, count, hw", ReportFixtures.loadCountHw()), "load-count-hw");
        // load: TTFT, ITL, TPOT, E2E (p50/p90/p99), output tok/s, Pareto; count: tokens, chars/token, speed; hw: bandwidth, FMA.
        assertDrawn(dom, List.of(3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1), List.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1));
    }

    @Test
    void trendDrawsALinePerSeries() throws Exception {
        var at = java.time.Instant.parse("2026-01-02T10:00:00Z");
        var tps = io.toks.core.result.MetricSummary.ofSamples(io.toks.core.result.Unit.TOKENS_PER_SECOND, 90, 100, 110);
        var series = List.of(new TrendSeries("a", List.of(new TrendPoint(at, tps), new TrendPoint(at.plusSeconds(86_400), tps))),
                new TrendSeries("b", List.of(new TrendPoint(at, tps))));
        assertDrawn(open(HtmlReport.trend("decode_tps", "decode_tps", series), "trend"), List.of(2), List.of(2));
    }

    private Document open(String html, String name) throws Exception {
        Path page = dir.resolve(name + ".html");
        Files.writeString(page, html);
        HeadlessChromium.screenshot(page, SCREENSHOTS.resolve(name + ".png"));
        return Jsoup.parse(HeadlessChromium.dumpDom(page));
    }

    private static void assertDrawn(Document dom, List<Integer> series, List<Integer> errorBars) {
        assertThat(dom.select("#toks-errors").text()).as("script errors").isEmpty();
        assertThat(dom.selectFirst("html").attr("data-errors")).isEqualTo("0");
        assertThat(dom.body().attr("data-charts-rendered")).isEqualTo(Integer.toString(series.size()));
        List<Element> charts = dom.select("div.chart");
        assertThat(charts).extracting(c -> c.attr("data-rendered")).containsOnly("true");
        assertThat(charts).extracting(c -> Integer.parseInt(c.attr("data-series"))).containsExactlyElementsOf(series);
        assertThat(charts).extracting(c -> Integer.parseInt(c.attr("data-error-bars"))).containsExactlyElementsOf(errorBars);
        assertThat(dom.select("div.chart canvas")).hasSizeGreaterThanOrEqualTo(series.size());
    }
}
