package io.toks.report.image;

import io.toks.core.ToksException;
import io.toks.report.chart.ChartSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Charts drawn to image files, one per chart, headless (no display needed): PNG, or SVG through
 * VectorGraphics2D. Files are named by position and title ({@code 01-decode-tok-s-per-test.png}),
 * so a folder lists them in the report's order.
 */
public final class ChartImages {

    private ChartImages() {}

    /**
     * @param directory created if missing
     * @return the files written, in chart order
     */
    public static List<Path> write(List<ChartSpec> charts, ImageFormat format, Path directory) {
        // Before any AWT class loads: no display, no toolkit window; fonts still come from the system.
        System.setProperty("java.awt.headless", "true");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new ToksException("cannot create the folder " + directory + ": " + e.getMessage());
        }
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < charts.size(); i++) {
            ChartSpec spec = charts.get(i);
            Path file = directory.resolve(String.format(Locale.ROOT, "%02d-%s.%s", i + 1, spec.slug(), format.extension()));
            Chart<?, ?> chart = XChartDrawing.of(spec);
            try (OutputStream out = Files.newOutputStream(file)) {
                switch (format) {
                    case PNG -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
                    case SVG -> VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
                }
            } catch (IOException e) {
                throw new ToksException("cannot write " + file + ": " + e.getMessage());
            }
            files.add(file);
        }
        return files;
    }
}
