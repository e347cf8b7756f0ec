package io.toks.report;

import io.toks.core.ToksException;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The renderer of each command's result document in each format. */
public final class Renderers {

    private Renderers() {}

    /** The formats {@code command} can write: csv is the engine benchmark's ({@code toks bench}) only. */
    public static List<Format> formats(String command) {
        return command.equals("bench") ? List.of(Format.values()) : List.of(Format.MD, Format.JSON, Format.JSONL);
    }

    /** The formats of {@code command} as a message lists them: "md, json or jsonl". */
    public static String formatNames(String command) {
        List<String> names = formats(command).stream().map(f -> f.name().toLowerCase(Locale.ROOT)).toList();
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
    }

    /** Refuses, with one line, a format that {@code command} cannot write. */
    public static void check(String command, Format format) {
        if (!formats(command).contains(format)) {
            throw new ToksException(format.name().toLowerCase(Locale.ROOT) + " output is not available for " + command
                    + " (use " + formatNames(command) + ")");
        }
    }

    /**
     * @param command the command whose document it is: bench, load, count, hw, perplexity, train, bench-train, or meter (a TokenMeter's)
     * @throws ToksException when the command has no such format
     */
    public static ResultRenderer of(String command, Format format, PrintStream out) {
        check(command, format);
        return switch (format) {
            case JSON -> new ResultRenderer() {
                @Override
                public void end(ResultDocument document) {
                    out.println(ResultJson.write(document));
                    out.flush();
                }
            };
            case JSONL -> new JsonLines(command, out);
            case CSV -> new BenchCsv(out);
            case MD -> switch (command) {
                case "bench" -> new BenchTable(out);
                case "load" -> new LoadTable(out);
                case "count" -> new CountTable(out);
                case "hw" -> new HardwareTable(out);
                case "perplexity" -> new QualityTable(out);
                case "meter" -> new MeterTable(out);
                case "train", "bench-train" -> new TrainingTable(out);
                default -> throw new IllegalArgumentException("no table for command " + command);
            };
        };
    }

    /** Renders a finished document at once (runs in order, then the end). */
    public static void render(ResultDocument document, Format format, PrintStream out) {
        ResultRenderer r = of(document.command(), format, out);
        r.begin(document.manifest());
        document.runs().forEach(run -> r.run(document.manifest(), run));
        r.end(document);
    }
}
