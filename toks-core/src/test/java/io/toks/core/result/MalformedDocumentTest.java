package io.toks.core.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.toks.core.ToksException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A malformed document is refused in one line that names the field, never with a Java or Jackson
 * class name, and never read into records a renderer would trip over (a null manifest).
 */
class MalformedDocumentTest {

    static ObjectNode tree() {
        return (ObjectNode) ResultJson.tree(ResultJsonTest.everyKind());
    }

    static String malformed(Consumer<ObjectNode> change) {
        ObjectNode tree = tree();
        change.accept(tree);
        try {
            ResultJson.read(tree.toString());
        } catch (ToksException e) {
            return e.getMessage();
        }
        throw new AssertionError("read without an error: " + tree);
    }

    @Test
    void aDocumentWithoutAManifestIsRefusedNamingIt() {
        assertThatThrownBy(() -> ResultJson.read("{\"schema\":2,\"command\":\"bench\",\"runs\":[]}"))
                .isInstanceOf(ToksException.class).hasMessage("malformed toks result document: no \"manifest\" field");
        assertThat(malformed(t -> t.putNull("manifest"))).isEqualTo("malformed toks result document: manifest: expected an object, not null");
        assertThat(malformed(t -> ((ObjectNode) t.get("manifest")).remove("machine")))
                .isEqualTo("malformed toks result document: no \"machine\" field in manifest");
        assertThat(malformed(t -> ((ObjectNode) t.get("runs").get(0)).remove("metrics")))
                .isEqualTo("malformed toks result document: no \"metrics\" field in runs[0]");
        assertThat(malformed(t -> ((ObjectNode) t.get("runs").get(0).get("metrics").get("decode_tps")).remove("unit")))
                .isEqualTo("malformed toks result document: no \"unit\" field in runs[0].metrics.decode_tps");
    }

    @Test
    void aFieldOfTheWrongTypeIsNamedWithWhatItShouldHold() {
        assertThat(malformed(t -> ((ObjectNode) t.get("runs").get(0).get("metrics").get("decode_tps")).put("samples", "x")))
                .isEqualTo("malformed toks result document: runs[0].metrics.decode_tps.samples: expected a list of numbers, not \"x\"");
        assertThat(malformed(t -> ((ObjectNode) t.get("runs").get(0)).put("n_threads", "many")))
                .isEqualTo("malformed toks result document: runs[0].n_threads: expected a whole number, not \"many\"");
        assertThat(malformed(t -> ((ObjectNode) t.get("runs").get(0)).put("kind", "teleport")))
                .startsWith("malformed toks result document: runs[0]: unknown kind \"teleport\" (expected engine, load, ");
        assertThat(malformed(t -> ((ObjectNode) t.get("runs").get(0)).remove("samples_ts")))
                .isEqualTo("malformed toks result document: no \"samples_ts\" field in runs[0]");
        assertThat(malformed(t -> ((ObjectNode) t.get("runs").get(0)).putNull("samples_ts")))
                .isEqualTo("malformed toks result document: runs[0]: no \"samples_ts\" field (or it is null)");
        assertThat(malformed(t -> ((ObjectNode) t.get("runs").get(0).get("metrics")).remove("decode_tps")))
                .isEqualTo("malformed toks result document: runs[0] (tg4): no \"decode_tps\" metric");
        assertThat(malformed(t -> ((ObjectNode) t.get("runs").get(0).get("metrics").get("decode_tps")).put("unit", "furlongs")))
                .startsWith("malformed toks result document: runs[0].metrics.decode_tps.unit: expected one of \"tok/s\", ");
        assertThat(malformed(t -> ((ObjectNode) t.get("runs").get(0).get("metrics")).set("speed", t.get("runs").get(0).get("metrics").get("decode_tps"))))
                .startsWith("malformed toks result document: runs[0].metrics: ");
    }

    /**
     * Every field of a document of every kind, removed or made text in turn: each change reads, or
     * is refused in one line without a class name.
     */
    @Test
    void noChangeToADocumentLeaksAClassName() {
        List<String> paths = new ArrayList<>();
        collect(tree(), "", paths);
        assertThat(paths).hasSizeGreaterThan(100);
        List<String> leaks = new ArrayList<>();
        for (String path : paths) {
            for (boolean remove : new boolean[] {true, false}) {
                ObjectNode tree = tree();
                change(tree, path, remove);
                try {
                    ResultJson.read(tree.toString());
                } catch (ToksException e) {
                    String m = e.getMessage();
                    if (m.contains("\n") || m.matches("(?s).*(io\\.toks|java\\.|jackson|`|Exception).*")) leaks.add(path + " -> " + m);
                } catch (RuntimeException e) {
                    leaks.add(path + " -> " + e);
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    private static void collect(JsonNode node, String path, List<String> paths) {
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                String at = path + "/" + name;
                paths.add(at);
                collect(node.get(name), at, paths);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            String at = path + "/0";
            paths.add(at);
            collect(node.get(0), at, paths);
        }
    }

    private static void change(ObjectNode root, String path, boolean remove) {
        int cut = path.lastIndexOf('/');
        JsonNode parent = root.at(path.substring(0, cut));
        String last = path.substring(cut + 1);
        if (parent instanceof ObjectNode o) {
            if (remove) o.remove(last);
            else o.set(last, TextNode.valueOf("x"));
        } else if (parent instanceof ArrayNode a) {
            if (remove) a.remove(0);
            else a.set(0, TextNode.valueOf("x"));
        }
    }
}
