package io.toks.report.compare;

import io.toks.core.ToksException;
import io.toks.report.Format;
import java.io.PrintStream;

/** Writes a {@link Comparison}: a Markdown table for people, JSON for bots. */
public final class ComparisonOutput {

    private ComparisonOutput() {}

    /** Refuses, with one line, a format a comparison is not written in. */
    public static void check(Format format) {
        if (format != Format.MD && format != Format.JSON) {
            throw new ToksException("compare writes md or json, not " + format.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    public static void write(Comparison comparison, Format format, PrintStream out) {
        check(format);
        if (format == Format.JSON) ComparisonJson.write(comparison, out);
        else ComparisonMarkdown.write(comparison, out);
        out.flush();
    }
}
