package io.toks.report.html;

import io.toks.core.ToksException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What every page inlines, read from the class path: ECharts from its WebJar
 * ({@code org.webjars.npm:echarts}), and the page's own script and style beside this class.
 */
final class PageResources {

    static final String ECHARTS_VERSION = "5.3.1";
    static final String ECHARTS = "META-INF/resources/webjars/echarts/" + ECHARTS_VERSION + "/dist/echarts.min.js";

    private PageResources() {}

    static String echarts() {
        String script = read(ECHARTS, "ECharts " + ECHARTS_VERSION + " (org.webjars.npm:echarts)");
        // Cannot happen with 5.3.1 (checked by a test), but a later version must not end its element early.
        return script.replace("</script", "<\\/script");
    }

    /** A file of this package: report.js, errors.js, report.css. */
    static String own(String name) {
        return read("io/toks/report/html/" + name, name);
    }

    private static String read(String path, String what) {
        try (InputStream in = PageResources.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new ToksException(what + " is missing from the class path (" + path + "): a broken toks build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
