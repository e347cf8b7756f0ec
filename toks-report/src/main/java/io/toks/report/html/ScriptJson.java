package io.toks.report.html;

import io.toks.core.result.ResultJson;

/**
 * Data as JSON that is safe inside a {@code <script>} element: a string holding
 * {@code </script>} or {@code <!--} must not end the element or change how it is parsed, so
 * {@code <}, {@code >} and {@code &} are written as {@code \u003c}-style escapes, which JSON and
 * JavaScript read back as the same characters. Those three characters occur in JSON only inside
 * strings, so replacing them everywhere is exact. U+2028 and U+2029 are escaped too (older
 * JavaScript engines end a line there). Numbers that are undefined (NaN) become {@code null}.
 */
final class ScriptJson {

    private ScriptJson() {}

    static String of(Object value) {
        String json = ResultJson.writeLine(value);
        StringBuilder sb = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> sb.append("\\u003c");
                case '>' -> sb.append("\\u003e");
                case '&' -> sb.append("\\u0026");
                case '\u2028' -> sb.append("\\u2028");
                case '\u2029' -> sb.append("\\u2029");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
