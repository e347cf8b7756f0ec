package io.toks.report.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.ToksException;
import io.toks.report.LabeledDocument;
import io.toks.report.ReportFixtures;
import io.toks.report.chart.ChartSpec;
import io.toks.report.chart.Charts;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Charts drawn headless to files: one per chart, decodable. */
class ChartImagesTest {

    @TempDir
    Path dir;

    static List<ChartSpec> everyKind() {
        List<LabeledDocument> documents = new ArrayList<>(ReportFixtures.twoBenches());
        documents.addAll(ReportFixtures.loadCountHw());
        return Charts.of(documents);
    }

    @Test
    void pngOnePerChartThatImageIoDecodes() throws Exception {
        List<ChartSpec> charts = everyKind();
        List<Path> files = ChartImages.write(charts, ImageFormat.PNG, dir.resolve("charts"));
        assertThat(files).hasSize(charts.size()).hasSize(16);
        assertThat(files.get(0).getFileName().toString()).isEqualTo("01-prefill-tok-s-per-test-mean-95-ci.png");
        try (var listed = Files.list(dir.resolve("charts"))) {
            assertThat(listed.count()).isEqualTo(16);
        }
        for (Path file : files) {
            assertThat(Files.size(file)).isPositive();
            BufferedImage image = ImageIO.read(file.toFile());
            assertThat(image).as(file.toString()).isNotNull();
            assertThat(image.getWidth()).isEqualTo(XChartDrawing.WIDTH);
            assertThat(image.getHeight()).isEqualTo(XChartDrawing.HEIGHT);
        }
    }

    @Test
    void svgOnePerChart() throws Exception {
        List<Path> files = ChartImages.write(Charts.of(ReportFixtures.loadCountHw()), ImageFormat.SVG, dir);
        assertThat(files).hasSize(11);
        for (Path file : files) {
            String svg = Files.readString(file);
            assertThat(svg).contains("<svg").endsWith("</svg>\n");
        }
    }

    @Test
    void formatsByName() {
        assertThat(ImageFormat.parse("PNG")).isEqualTo(ImageFormat.PNG);
        assertThatThrownBy(() -> ImageFormat.parse("gif")).isInstanceOf(ToksException.class).hasMessageContaining("expected png or svg");
    }
}
