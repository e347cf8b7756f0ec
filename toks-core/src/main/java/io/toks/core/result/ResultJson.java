package io.toks.core.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.toks.core.ToksException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The JSON form of a {@link ResultDocument}: snake_case names, undefined figures (NaN) as
 * {@code null} and back, enums by their documented names. Reading checks the schema version
 * first, so an older or newer layout is refused with one line instead of a field-by-field error.
 */
public final class ResultJson {

    private static final ObjectMapper MAPPER = mapper();

    private ResultJson() {}

    /** The document as indented JSON. */
    public static String write(ResultDocument document) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Documents as an indented JSON array (what {@code toks history export -o FILE.json} writes). */
    public static String writeAll(java.util.List<ResultDocument> documents) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(documents);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every document of a result file's text: one document, a JSON array of them (as
     * {@link #writeAll} writes), or several one after another ({@code -o jsonl}: one line per
     * run), each checked as {@link #read} checks it. Consecutive lines of one command (what
     * {@code -o jsonl} prints) are read back as that command's one document.
     *
     * @throws ToksException one line naming what is wrong, and where ({@code line 3: ...})
     */
    public static java.util.List<ResultDocument> readAll(String text) {
        return ResultText.documents(text, MAPPER);
    }

    /**
     * Every document of a file, as {@link #readAll(String)}.
     *
     * @throws ToksException one line naming the file and what is wrong with it
     */
    public static java.util.List<ResultDocument> readAll(Path file) {
        String text = text(file);
        try {
            return readAll(text);
        } catch (ToksException e) {
            throw new ToksException(file + ": " + e.getMessage());
        }
    }

    /** Any part of a document (a run, a manifest) as one line of JSON. */
    public static String writeLine(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A part of a document (a run, a manifest) written by {@link #writeLine} read back, e.g.
     * {@code readPart(json, Run.class)}; the history store keeps documents in such parts.
     *
     * @throws ToksException naming what is wrong
     */
    public static <T> T readPart(String json, Class<T> type) {
        String part = type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ToksException("malformed " + part + " in a toks result: not JSON: " + firstLine(e.getMessage()));
        }
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonMappingException e) {
            throw new ToksException("malformed " + part + " in a toks result: " + MappingErrors.describe(e, tree));
        } catch (IOException e) {
            throw new ToksException("malformed " + part + " in a toks result: " + firstLine(e.getMessage()));
        }
    }

    /** The document as a JSON tree (for derived forms such as JSONL). */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * Reads a document back into the same records: one document, or the lines {@code -o jsonl}
     * printed for one command.
     *
     * @throws ToksException naming what is wrong: not JSON, not a toks result, another schema
     *                       version, a required field missing or of the wrong type, several documents
     */
    public static ResultDocument read(String json) {
        return one(readAll(json), "");
    }

    /**
     * Reads the one document of a file (its lines, where {@code -o jsonl} wrote it).
     *
     * @throws ToksException one line naming the file and what is wrong with it
     */
    public static ResultDocument read(Path file) {
        return one(readAll(file), file + ": ");
    }

    private static ResultDocument one(java.util.List<ResultDocument> documents, String where) {
        if (documents.size() == 1) return documents.getFirst();
        throw new ToksException(where + documents.size() + " result documents, where one is expected (lines of "
                + documents.size() + " commands, or a JSON array)");
    }

    /**
     * One document's tree as records: the schema version first (an older or newer layout is
     * refused in one line), then the fields every reader relies on, then the records themselves.
     */
    static ResultDocument document(JsonNode root) {
        if (root == null || !root.isObject() || !root.has("schema")) {
            throw new ToksException("not a toks result document (no \"schema\" field)");
        }
        JsonNode schema = root.get("schema");
        if (!schema.isInt()) {
            throw new ToksException("not a toks result document of schema " + ResultDocument.SCHEMA_VERSION
                    + " (its schema is " + schema + ")");
        }
        int version = schema.intValue();
        if (version == 1) {
            throw new ToksException("this is a schema 1 result (toks bench before the shared result document); "
                    + "only schema " + ResultDocument.SCHEMA_VERSION + " is read: measure again to get one");
        }
        if (version != ResultDocument.SCHEMA_VERSION) {
            throw new ToksException("result schema " + version + " is not known to this toks (it reads schema "
                    + ResultDocument.SCHEMA_VERSION + ")");
        }
        try {
            DocumentCheck.check(root);
            ResultDocument document = MAPPER.treeToValue(root, ResultDocument.class);
            DocumentCheck.checkHeadlines(document);
            return document;
        } catch (ToksException e) {
            throw new ToksException("malformed toks result document: " + e.getMessage());
        } catch (JsonMappingException e) {
            throw new ToksException("malformed toks result document: " + MappingErrors.describe(e, root));
        } catch (IOException e) {
            throw new ToksException("malformed toks result document: " + firstLine(e.getMessage()));
        }
    }

    private static String text(Path file) {
        try {
            // Bytes, decoded leniently: a binary file is "not a JSON document", not a decoding error.
            return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ToksException(file + ": no such file");
        } catch (IOException e) {
            throw new ToksException(file + ": cannot read: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        return ResultText.firstLine(message);
    }

    private static ObjectMapper mapper() {
        var nanAsNull = new StdSerializer<Double>(Double.class) {
            @Override
            public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (v.isNaN() || v.isInfinite()) g.writeNull();
                else g.writeNumber(v);
            }
        };
        var nullAsNan = new StdScalarDeserializer<Double>(Double.class) {
            @Override
            public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return p.getValueAsDouble();
            }

            @Override
            public Double getNullValue(DeserializationContext ctxt) {
                return Double.NaN;
            }
        };
        var arrayNanAsNull = new StdSerializer<double[]>(double[].class) {
            @Override
            public void serialize(double[] values, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartArray(values, values.length);
                for (double v : values) {
                    if (Double.isNaN(v) || Double.isInfinite(v)) g.writeNull();
                    else g.writeNumber(v);
                }
                g.writeEndArray();
            }
        };
        var arrayNullAsNan = new StdScalarDeserializer<double[]>(double[].class) {
            @Override
            public double[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                // The token is checked before it is read, so "samples": "x" names the field, not the input's end.
                if (!p.isExpectedStartArrayToken()) return (double[]) ctxt.handleUnexpectedToken(double[].class, p);
                JsonNode array = p.readValueAsTree();
                double[] values = new double[array.size()];
                for (int i = 0; i < values.length; i++) {
                    JsonNode v = array.get(i);
                    if (!v.isNull() && !v.isNumber()) return (double[]) ctxt.handleUnexpectedToken(double[].class, p);
                    values[i] = v.isNull() ? Double.NaN : v.asDouble();
                }
                return values;
            }
        };
        SimpleModule nan = new SimpleModule("toks-nan")
                .addSerializer(Double.class, nanAsNull).addSerializer(Double.TYPE, nanAsNull)
                .addSerializer(double[].class, arrayNanAsNull)
                .addDeserializer(Double.TYPE, nullAsNan).addDeserializer(double[].class, arrayNullAsNan);
        return new ObjectMapper()
                .registerModule(nan)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.ALWAYS)
                .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
                .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
