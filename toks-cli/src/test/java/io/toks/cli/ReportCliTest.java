package io.toks.cli;

import static io.toks.cli.CliTest.assertOneLineError;
import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** toks report on documents the measuring commands just wrote. */
class ReportCliTest {

    /** Measured once for all tests (toks hw takes seconds); each test writes under its own folder. */
    @TempDir
    static Path measured;

    static Path hw;
    static Path count;

    @TempDir
    Path tmp;

    @BeforeAll
    static void measure() throws Exception {
        Path tmp = measured;
        CliTest.Result h = toks("hw", "-t", "2", "--buffer-mib", "16", "-r", "2", "-o", "json");
        assertThat(h.code()).as(h.err()).isZero();
        hw = Files.writeString(tmp.resolve("hw.json"), h.out());
        Path text = Files.createDirectories(tmp.resolve("text"));
        Files.writeString(text.resolve("a.txt"), "Once upon a time there was a little robot who liked to count tokens. ".repeat(20));
        CliTest.Result c = toks("count", text.toString(), "--tokenizer", "cl100k,gpt2", "--vocab-dir",
                CliTest.shared("tokenizers").toString(), "-o", "json");
        assertThat(c.code()).as(c.err()).isZero();
        count = Files.writeString(tmp.resolve("count.json"), c.out());
    }

    @Test
    void htmlReportOfSeveralDocuments() throws Exception {
        Path page = tmp.resolve("out/report.html");
        CliTest.Result r = toks("report", hw.toString(), count.toString(), "-o", page.toString(), "--title", "machine and tokenizers");
        assertThat(r.code()).as(r.err()).isZero();
        // hw: bandwidth, FMA; count: tokens, chars/token, speed.
        assertThat(r.out()).isEqualTo("wrote " + page + ": 5 chart(s) from 2 document(s)\n");
        String html = Files.readString(page);
        assertThat(html).contains("<title>machine and tokenizers</title>", "<h2>hw — toks hw</h2>", "<h2>count — toks count</h2>");
        assertThat(html.split("<div class=\"chart\"", -1)).hasSize(6);
    }

    @Test
    void imagesOnePerChartWithLabelsGiven() throws Exception {
        Path dir = tmp.resolve("charts");
        CliTest.Result r = toks("report", hw.toString(), count.toString(), "--label", "machine,tokenizers", "--format", "png", "-o", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("wrote 5 PNG file(s) to " + dir);
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> pngs = files.sorted().toList();
            assertThat(pngs).hasSize(5);
            for (Path png : pngs) assertThat(ImageIO.read(png.toFile())).as(png.toString()).isNotNull();
        }
        assertThat(toks("report", hw.toString(), "--format", "svg", "-o", tmp.resolve("svg").toString()).out()).startsWith("wrote 2 SVG file(s)");
    }

    @Test
    void aMeterResultIsDrawnWithItsTable() throws Exception {
        Path meter = MeterDocuments.write(tmp.resolve("meter.json"), "my-model", 1);
        Path page = tmp.resolve("meter.html");
        CliTest.Result r = toks("report", meter.toString(), "-o", page.toString());
        assertThat(r.code()).as(r.err()).isZero();
        // output tok/s, decode tok/s, training tok/s per step, latency percentiles.
        assertThat(r.out()).isEqualTo("wrote " + page + ": 4 chart(s) from 1 document(s)\n");
        String html = Files.readString(page);
        assertThat(html).contains("<h2>meter — toks meter</h2>", "<th>output tok/s</th>", "<th>ttft ms mean / p50 / p99</th>",
                "<th>train tok/s</th>");
        // 24 calls of 12 tokens from 1000 ms to the last one's end at 2230 ms (sent at 2150, ttft 35, 11 gaps of 4 ms, 1 ms): 288 / 1.23 s.
        assertThat(html).contains("<tr><td>my-model</td><td class=\"num\">24</td><td class=\"num\">24</td><td class=\"num\">0</td>"
                + "<td class=\"num\">19.51</td><td class=\"num\">234.1</td>");
        assertThat(html).contains("output token counts from: chunks_counted 24 calls");
    }

    @Test
    void helpListsTheChartsAndExamples() {
        CliTest.Result r = toks("report", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("95% CI error bars", "toks report java.json -o report.html", "--format png -o charts/");
        assertThat(r.err()).isEmpty();
        assertThat(toks("--help").out()).contains("report");
    }

    @Test
    void badInputIsOneLineNamingItBeforeAnythingIsWritten() throws Exception {
        Path page = tmp.resolve("report.html");
        Path broken = Files.writeString(tmp.resolve("broken.json"), "{\"schema\": 2, \"command\": ");
        assertOneLineError(toks("report", hw.toString(), broken.toString(), "-o", page.toString()), 1, "broken.json", "not a JSON document");
        assertOneLineError(toks("report", tmp.resolve("missing.json").toString(), "-o", page.toString()), 1, "missing.json: no such file");
        Path notToks = Files.writeString(tmp.resolve("other.json"), "{\"a\": 1}");
        assertOneLineError(toks("report", notToks.toString(), "-o", page.toString()), 1, "other.json", "not a toks result document");
        assertOneLineError(toks("report", hw.toString(), "--label", "a,b", "-o", page.toString()), 1, "2 label(s) for 1 document(s)");
        assertOneLineError(toks("report", hw.toString(), "-o", tmp.toString()), 1, "is a folder");
        assertOneLineError(toks("report", hw.toString(), "--format", "gif", "-o", page.toString()), 1, "expected html, png or svg");
        assertOneLineError(toks("report", hw.toString()), 2, "-o");
        assertThat(page).doesNotExist();
    }
}
