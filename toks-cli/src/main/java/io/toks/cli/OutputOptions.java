package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.report.Format;
import io.toks.report.Renderers;
import picocli.CommandLine.Option;

/** How a measuring command writes its result document (bench, load, count, hw). */
final class OutputOptions {

    @Option(names = {"-o", "--output"}, defaultValue = "md", paramLabel = "FORMAT",
            description = {"md (a table), json (the result document: docs/results.md), jsonl (a one-run document per",
                    "line, as each run ends), csv (bench only). Default: ${DEFAULT-VALUE}."})
    String output;

    /** The format, checked against what {@code command} can write before any slow work starts. */
    Format format(String command) {
        try {
            Format format = Format.parse(output);
            Renderers.check(command, format);
            return format;
        } catch (ToksException e) {
            throw new ToksException("-o/--output: " + e.getMessage());
        }
    }
}
