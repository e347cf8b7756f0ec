package io.toks.core.result;

import io.toks.core.manifest.Manifest;
import java.util.List;

/**
 * An immutable benchmark result: the manifest and every row. {@code schema} versions the JSON
 * form so that readers can tell layouts apart.
 */
public record BenchReport(int schema, Manifest manifest, List<BenchRecord> records) {

    public static final int SCHEMA_VERSION = 1;

    public BenchReport {
        records = List.copyOf(records);
    }
}
