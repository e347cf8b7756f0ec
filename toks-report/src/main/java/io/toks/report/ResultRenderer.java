package io.toks.report;

import io.toks.core.manifest.Manifest;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.Run;

/**
 * Writes a result document in one format while it is measured: a header before the first run,
 * each run as it finishes (a table row, a CSV or JSONL line), and what needs the whole document
 * (a JSON document, footers and notes) at the end, which also comes when a sweep failed midway.
 * Renderers read only the result document.
 */
public interface ResultRenderer {

    default void begin(Manifest manifest) {}

    default void run(Manifest manifest, Run run) {}

    default void end(ResultDocument document) {}
}
