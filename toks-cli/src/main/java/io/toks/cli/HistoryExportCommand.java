package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.history.HistoryStore;
import io.toks.history.StoredDocument;
import io.toks.report.ResultFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes the stored documents with a run matching the filters, each whole, as result documents",
                "(docs/results.md): -o FILE.json writes one JSON array of them; -o DIR (any other name) writes one",
                "document per file, DIR/ID-COMMAND-DATE.json, each a file 'toks history import' and ResultJson.read load."})
final class HistoryExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HistoryFilterOptions options;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.json|DIR", description = "Where to write.")
    Path output;

    @Override
    public Integer call() throws IOException {
        var filter = options.filter();
        boolean oneFile = output.getFileName() != null && output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        Path folder = oneFile ? output.toAbsolutePath().getParent() : output;
        if (oneFile && !Files.isDirectory(folder)) throw new ToksException("-o " + output + ": no such directory " + folder);
        if (!oneFile && Files.exists(output) && !Files.isDirectory(output)) throw new ToksException("-o " + output + " is a file; name a .json file or a directory");
        List<StoredDocument> stored;
        try (HistoryStore store = HistoryStore.openForReading(options.location())) {
            stored = store.documents(filter);
        }
        if (oneFile) {
            ResultFile.writeAtomically(output, ResultJson.writeAll(stored.stream().map(StoredDocument::document).toList()) + "\n");
        } else {
            Files.createDirectories(output);
            for (StoredDocument s : stored) ResultFile.writeAtomically(output.resolve(fileName(s)), ResultJson.write(s.document()) + "\n");
        }
        long incomplete = stored.stream().filter(s -> !s.complete()).count();
        spec.commandLine().getErr().printf("toks: exported %d document(s) to %s%s%n", stored.size(), output,
                incomplete == 0 ? "" : " (" + incomplete + " of a command that did not end: the runs it measured)");
        return 0;
    }

    /** {@code 12-bench-20261102-090000.json}: unique by id, sorted by nothing in particular, readable. */
    private static String fileName(StoredDocument s) {
        ResultDocument d = s.document();
        String created = d.manifest() == null || d.manifest().createdAt() == null ? "" : d.manifest().createdAt();
        String compact = created.replaceAll("[^0-9]", "");
        String stamp = compact.length() >= 14 ? "-" + compact.substring(0, 8) + "-" + compact.substring(8, 14) : "";
        return s.id() + "-" + d.command().replaceAll("[^A-Za-z0-9_-]", "_") + stamp + ".json";
    }
}
