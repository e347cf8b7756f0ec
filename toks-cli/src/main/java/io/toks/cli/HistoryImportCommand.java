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
        description = {"Stores result documents measured elsewhere: files of one document (-o json, --out, export -o DIR)",
                "or of a JSON array of them (export -o FILE.json), or directories of such *.json files. A document",
                "already stored (the same content) is not stored again."})
final class HistoryImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--history", paramLabel = "URL",
            description = "The store to import into: a file, jdbc:sqlite:FILE or jdbc:postgresql://... Default: $TOKS_HISTORY, else ~/.toks/history.db.")
    String history;

    @Parameters(arity = "1..*", paramLabel = "FILE.json", description = "Result documents, arrays of them, or directories of them.")
    List<Path> inputs;

    @Override
    public Integer call() throws IOException {
        // Every file is read and checked before anything is stored: a bad file stores nothing.
        List<ResultDocument> documents = new ArrayList<>();
        for (Path file : files()) {
            try {
                documents.addAll(ResultJson.readAll(Files.readString(file)));
            } catch (ToksException e) {
                throw new ToksException(file + ": " + e.getMessage());
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new ToksException(file + ": not UTF-8 text, so not a result document");
            } catch (IOException e) {
                throw new ToksException(file + ": cannot read: " + e.getMessage());
            }
        }
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
                    files.addAll(list.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList());
                }
            } else if (Files.isRegularFile(input)) {
                files.add(input);
            } else {
                throw new ToksException("not found: " + input);
            }
        }
        if (files.isEmpty()) throw new ToksException("no *.json files in " + inputs);
        return files;
    }
}
