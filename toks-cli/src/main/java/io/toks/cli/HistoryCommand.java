package io.toks.cli;

import io.toks.core.result.ResultJson;
import io.toks.history.HistoryEntry;
import io.toks.history.HistoryLocation;
import io.toks.history.HistoryStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {HistoryExportCommand.class, HistoryImportCommand.class},
        description = {"Lists the runs recorded by bench, load, count and hw (every measuring command records its result",
                "document unless --no-history), newest first: date, command, machine, model, weight type, test, threads,",
                "the headline figure with its 95% interval, whether the command ended, and the document's id.",
                "The store and its tables: docs/results.md, \"History\"."},
        footer = {"", "Examples:", "  toks history --test tg128 --since 7d",
                "  toks history export --model stories -o results.json      # a JSON array of result documents",
                "  toks history export -o results/                          # one document per file",
                "  toks history import results.json --history jdbc:postgresql://db:5432/toks?user=me"})
final class HistoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HistoryFilterOptions options;

    @Option(names = {"-o", "--output"}, defaultValue = "md", paramLabel = "FORMAT",
            description = "md (a table) or json (an array of the runs listed). Default: ${DEFAULT-VALUE}.")
    String output;

    @Override
    public Integer call() {
        String format = output.toLowerCase(Locale.ROOT);
        if (!format.equals("md") && !format.equals("json")) throw new IllegalArgumentException("-o/--output: md or json, not " + output);
        var filter = options.filter();
        HistoryLocation location = options.location();
        PrintWriter out = spec.commandLine().getOut();
        if (!location.chosen() && location.file() != null && !Files.exists(location.file())) {
            spec.commandLine().getErr().println("toks: nothing recorded yet in " + location.display());
            if (format.equals("json")) out.println("[]");
            return 0;
        }
        List<HistoryEntry> entries;
        try (HistoryStore store = HistoryStore.open(location)) {
            entries = store.runs(filter);
        }
        if (format.equals("json")) {
            out.println(ResultJson.tree(entries).toPrettyString());
        } else {
            HistoryTable.print(entries, out);
            if (entries.isEmpty()) spec.commandLine().getErr().println("toks: no runs match in " + location.display());
        }
        out.flush();
        return 0;
    }
}
