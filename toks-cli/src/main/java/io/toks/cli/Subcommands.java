package io.toks.cli;

import java.util.List;
import picocli.CommandLine;

/**
 * The toks subcommands, registered lazily: picocli builds a command's model by reflection over
 * its options and mixins, and building all of them cost a cold {@code toks run} or
 * {@code toks tokenize} about a tenth of its CPU time (docs/performance.md, "Cold start").
 * A command line that names one command gets only that one; anything else (no command, --help,
 * help, a name that is not a command) gets them all.
 */
final class Subcommands {

    /** A subcommand's name (the same as its {@code @Command(name)}: SubcommandsTest) and class. */
    record Entry(String name, Class<?> type) {}

    /** In the order {@code toks --help} lists them. */
    static final List<Entry> ALL = List.of(
            new Entry("run", RunCommand.class),
            new Entry("bench", BenchCommand.class),
            new Entry("load", LoadCommand.class),
            new Entry("load-capacity", LoadCapacityCommand.class),
            new Entry("serve", ServeCommand.class),
            new Entry("hw", HwCommand.class),
            new Entry("estimate", EstimateCommand.class),
            new Entry("perplexity", PerplexityCommand.class),
            new Entry("train", TrainCommand.class),
            new Entry("bench-train", BenchTrainCommand.class),
            new Entry("report", ReportCommand.class),
            new Entry("compare", CompareCommand.class),
            new Entry("trace", TraceCommand.class),
            new Entry("synth", SynthCommand.class),
            new Entry("quantize", QuantizeCommand.class),
            new Entry("tokenize", TokenizeCommand.class),
            new Entry("count", CountCommand.class),
            new Entry("history", HistoryCommand.class),
            new Entry("help", CommandLine.HelpCommand.class));

    private Subcommands() {}

    /**
     * Adds to {@code toks} the subcommand {@code args} names; none for {@code --version} alone
     * (it prints a line); all of them when it names none ("help" included).
     */
    static void register(CommandLine toks, String[] args) {
        String first = args.length > 0 ? args[0] : "";
        if (args.length == 1 && (first.equals("--version") || first.equals("-V"))) return;
        for (Entry e : ALL) {
            if (e.name().equals(first) && !first.equals("help")) {
                toks.addSubcommand(e.name(), e.type());
                return;
            }
        }
        for (Entry e : ALL) toks.addSubcommand(e.name(), e.type());
    }
}
