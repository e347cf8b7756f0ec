package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.report.Format;
import io.toks.report.Renderers;
import picocli.CommandLine.Option;

/** How a measuring command writes its result document (bench, load, count, hw). */
final class OutputOptions {

    @Option(names = {"-o", "--output"}, defaultValue = "md", paramLabel = "FORMAT",
            description = {"md (a table), json (the result document: docs/results.md), jsonl (a one-run document per",
                    "line, as each run ends), csv (the `toks bench` command only). Default: ${DEFAULT-VALUE}."})
    String output;

    /** The format, checked against what {@code command} can write before any slow work starts. */
    Format format(String command) {
        Format format;
        try {
            format = Format.parse(output);
        } catch (ToksException e) { // Format lists every format; this command may write fewer
            throw new ToksException("-o/--output: unknown output format '" + output + "' (" + command + " writes "
                    + Renderers.formatNames(command) + ")");
        }
        try {
            Renderers.check(command, format);
            return format;
        } catch (ToksException e) {
            throw new ToksException("-o/--output: " + e.getMessage());
        }
    }
}
