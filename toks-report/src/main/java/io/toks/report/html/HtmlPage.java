package io.toks.report.html;

import io.toks.core.manifest.MachineFacts;
import io.toks.report.chart.ChartSpec;
import java.util.List;

/**
 * The skeleton every report page shares: one file that works offline. Style, data and scripts
 * are inlined; a Content-Security-Policy forbids the page any network access (no fetch, no
 * images, no fonts from elsewhere), so an offline page cannot silently depend on one.
 */
final class HtmlPage {

    private static final String POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

    private HtmlPage() {}

    /**
     * @param title    the page's heading
     * @param subtitle a line under it
     * @param charts   the charts, drawn in order at the top
     * @param sections HTML of what follows the charts (already escaped)
     */
    static String render(String title, String subtitle, List<ChartSpec> charts, String sections) {
        StringBuilder page = new StringBuilder(1_100_000);
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(POLICY).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"toks ").append(Html.escape(MachineFacts.toksVersion())).append("\">\n")
                .append("<title>").append(Html.escape(title)).append("</title>\n")
                .append("<style>\n").append(PageResources.own("report.css")).append("</style>\n")
                .append("<script>\n").append(PageResources.own("errors.js")).append("</script>\n")
                .append("</head>\n<body data-charts=\"").append(charts.size()).append("\">\n")
                .append("<h1>").append(Html.escape(title)).append("</h1>\n")
                .append("<p class=\"subtitle\">").append(Html.escape(subtitle)).append("</p>\n")
                .append("<div id=\"toks-errors\" hidden></div>\n");
        if (!charts.isEmpty()) {
            page.append("<section id=\"charts\">\n<h2>Charts</h2>\n");
            for (int i = 0; i < charts.size(); i++) {
                page.append("<div class=\"chart\" id=\"chart-").append(i + 1).append("\" data-title=\"")
                        .append(Html.escape(charts.get(i).title())).append("\"></div>\n");
            }
            page.append("</section>\n");
        }
        page.append(sections)
                .append("<script type=\"application/json\" id=\"toks-charts\">").append(ScriptJson.of(charts)).append("</script>\n")
                .append("<script>\n").append(PageResources.echarts()).append("\n</script>\n")
                .append("<script>\n").append(PageResources.own("report.js")).append("</script>\n")
                .append("</body>\n</html>\n");
        return page.toString();
    }
}
