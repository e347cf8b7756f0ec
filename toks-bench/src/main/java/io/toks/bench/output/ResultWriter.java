package io.toks.bench.output;

import io.toks.core.manifest.Manifest;
import io.toks.core.result.BenchRecord;
import io.toks.core.result.BenchReport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes benchmark records in a chosen format as they arrive. Table, CSV and JSONL rows are
 * printed immediately; the JSON document is printed by {@link #finish}, which also runs when a
 * sweep fails midway, so measured rows are never lost.
 */
public final class ResultWriter {

    private final Format format;
    private final PrintStream out;
    private final Manifest manifest;
    private final List<BenchRecord> records = new ArrayList<>();
    private final MarkdownTable table;
    private final CsvWriter csv;

    public ResultWriter(Format format, PrintStream out, Manifest manifest) {
        this.format = format;
        this.out = out;
        this.manifest = manifest;
        this.table = new MarkdownTable(out);
        this.csv = new CsvWriter(out);
        switch (format) {
            case MD -> table.header();
            case CSV -> csv.header();
            default -> { }
        }
    }

    public void accept(BenchRecord r) {
        records.add(r);
        switch (format) {
            case MD -> table.row(r);
            case CSV -> csv.row(r);
            case JSONL -> JsonResults.writeLine(manifest, r, out);
            case JSON -> { }
        }
    }

    public BenchReport finish() {
        BenchReport report = new BenchReport(BenchReport.SCHEMA_VERSION, manifest, records);
        if (format == Format.JSON) JsonResults.writeDocument(report, out);
        out.flush();
        return report;
    }
}
