package io.toks.bench.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toks.core.manifest.Manifest;
import io.toks.core.result.BenchRecord;
import io.toks.core.result.BenchReport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * JSON forms of results: one document ({@code json}) or one self-contained line per record
 * ({@code jsonl}: each line carries the schema version and the manifest).
 */
public final class JsonResults {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonResults() {}

    public static void writeDocument(BenchReport report, PrintStream out) {
        try {
            out.println(PRETTY.writeValueAsString(report));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void writeLine(Manifest manifest, BenchRecord record, PrintStream out) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("schema", BenchReport.SCHEMA_VERSION);
        line.set("manifest", MAPPER.valueToTree(manifest));
        line.set("record", MAPPER.valueToTree(record));
        out.println(line);
        out.flush();
    }

    public static BenchReport readDocument(String json) throws IOException {
        return MAPPER.readValue(json, BenchReport.class);
    }
}
