package io.toks.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import io.toks.core.manifest.Manifest;
import io.toks.core.result.ResultJson;
import io.toks.report.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A manifest as nested key/value tables, under the names the JSON document uses, so a reader can
 * find each fact in the file too. Every field is shown, whatever the target kind: a field added
 * to the manifest later appears without a change here.
 */
final class ManifestHtml {

    private ManifestHtml() {}

    static String of(Manifest manifest) {
        return object(ResultJson.tree(manifest));
    }

    private static String object(JsonNode node) {
        StringBuilder sb = new StringBuilder("<table class=\"kv\">\n");
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            sb.append("<tr><th>").append(Html.escape(field.getKey())).append("</th><td>")
                    .append(value(field.getKey(), field.getValue())).append("</td></tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    private static String value(String key, JsonNode node) {
        if (node == null || node.isNull()) return "<i>none</i>";
        if (node.isObject()) return node.isEmpty() ? "<i>none</i>" : object(node);
        if (node.isArray()) {
            if (node.isEmpty()) return "<i>none</i>";
            boolean scalars = true;
            for (JsonNode item : node) scalars &= item.isValueNode();
            List<String> items = new ArrayList<>();
            for (JsonNode item : node) items.add(scalars ? Html.escape(item.asText()) : value(key, item));
            return String.join(scalars ? ", " : "", items);
        }
        String text = Html.escape(node.asText());
        // Sizes are easier to read in binary units; the raw figure stays for whoever compares with the JSON.
        if (node.isIntegralNumber() && key.endsWith("_bytes") && node.asLong() >= 1024) text += " (" + Units.bytes(node.asLong()) + ")";
        return text;
    }
}
