package io.toks.report;

import io.toks.core.manifest.Manifest;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.core.result.Run;
import java.io.PrintStream;
import java.util.List;

/**
 * One JSON line per run, as it finishes: a one-run result document (schema, command, manifest,
 * runs), so every line reads back on its own like a document.
 */
final class JsonLines implements ResultRenderer {

    private final String command;
    private final PrintStream out;

    JsonLines(String command, PrintStream out) {
        this.command = command;
        this.out = out;
    }

    @Override
    public void run(Manifest manifest, Run run) {
        out.println(ResultJson.writeLine(ResultDocument.of(command, manifest, List.of(run))));
        out.flush();
    }
}
