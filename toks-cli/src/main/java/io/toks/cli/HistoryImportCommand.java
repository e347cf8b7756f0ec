package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.history.HistoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Stores result documents measured elsewhere: files of one document (-o json, --out, export -o DIR),",
                "of a JSON array of them (export -o FILE.json) or of JSON lines (-o jsonl: a command's lines are its one",
                "document), or directories of such *.json and *.jsonl files. A document already stored (the same",
                "content) is not stored again."})
final class HistoryImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--history", paramLabel = "URL",
            description = "The store to import into: a file, jdbc:sqlite:FILE or jdbc:postgresql://... Default: $TOKS_HISTORY, else ~/.toks/history.db.")
    String history;

    @Parameters(arity = "1..*", paramLabel = "FILE.json", description = "Result documents, arrays or JSON lines of them, or directories of them.")
    List<Path> inputs;

    @Override
    public Integer call() throws IOException {
        // Every file is read and checked before anything is stored: a bad file stores nothing.
        List<ResultDocument> documents = new ArrayList<>();
        for (Path file : files()) documents.addAll(ResultJson.readAll(file));
        var filterless = new HistoryFilterOptions();
        filterless.history = history;
        int stored = 0;
        try (HistoryStore store = HistoryStore.open(filterless.location())) {
            for (ResultDocument d : documents) if (store.importDocument(d)) stored++;
            spec.commandLine().getOut().printf("imported %d document(s), %d already stored, into %s%n", stored, documents.size() - stored,
                    store.location().display());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    private List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> list = Files.list(input)) {
                    files.addAll(list.filter(p -> isResultFile(p.getFileName().toString()) && Files.isRegularFile(p)).sorted().toList());
                }
            } else if (Files.isRegularFile(input)) {
                files.add(input);
            } else {
                throw new ToksException("not found: " + input);
            }
        }
        if (files.isEmpty()) throw new ToksException("no *.json or *.jsonl files in " + inputs);
        return files;
    }

    private static boolean isResultFile(String name) {
        return name.endsWith(".json") || name.endsWith(".jsonl");
    }
}
