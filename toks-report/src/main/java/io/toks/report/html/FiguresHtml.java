package io.toks.report.html;

import io.toks.core.result.ResultDocument;
import io.toks.report.Format;
import io.toks.report.Renderers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A document's figures as its command's Markdown renderer prints them (the same figures, the
 * same rounding, the same notes), turned into HTML: pipe tables become tables, other lines
 * (footers, notes, warnings) stay preformatted text.
 */
final class FiguresHtml {

    private FiguresHtml() {}

    static String of(ResultDocument document) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            Renderers.render(document, Format.MD, out);
        }
        return convert(bytes.toString(StandardCharsets.UTF_8));
    }

    /** Markdown tables and plain lines as HTML. */
    static String convert(String markdown) {
        StringBuilder html = new StringBuilder();
        List<String> table = new ArrayList<>();
        List<String> text = new ArrayList<>();
        for (String line : markdown.split("\n", -1)) {
            boolean row = line.startsWith("|");
            if (row && !text.isEmpty()) flushText(text, html);
            if (!row && !table.isEmpty()) flushTable(table, html);
            (row ? table : text).add(line);
        }
        flushTable(table, html);
        flushText(text, html);
        return html.toString();
    }

    private static void flushText(List<String> lines, StringBuilder html) {
        String block = String.join("\n", lines).strip();
        lines.clear();
        if (!block.isEmpty()) html.append("<pre class=\"notes\">").append(Html.escape(block)).append("</pre>\n");
    }

    private static void flushTable(List<String> rows, StringBuilder html) {
        if (rows.isEmpty()) return;
        List<List<String>> cells = rows.stream().map(FiguresHtml::cells).toList();
        rows.clear();
        boolean separated = cells.size() > 1 && cells.get(1).stream().allMatch(c -> c.matches(":?-+:?"));
        List<String> alignment = separated ? cells.get(1) : List.of();
        html.append("<table>\n");
        for (int r = 0; r < cells.size(); r++) {
            if (separated && r == 1) continue;
            boolean header = separated && r == 0;
            html.append("<tr>");
            List<String> row = cells.get(r);
            for (int c = 0; c < row.size(); c++) {
                boolean right = c < alignment.size() && alignment.get(c).endsWith(":");
                String tag = header ? "th" : "td";
                html.append('<').append(tag).append(right && !header ? " class=\"num\"" : "").append('>')
                        .append(Html.escape(row.get(c))).append("</").append(tag).append('>');
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    /** {@code | a | b |} -> [a, b]. */
    private static List<String> cells(String row) {
        String inner = row.strip();
        if (inner.startsWith("|")) inner = inner.substring(1);
        if (inner.endsWith("|")) inner = inner.substring(0, inner.length() - 1);
        List<String> out = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) out.add(cell.strip());
        return out;
    }
}
