package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.core.result.ResultSink;
import io.toks.history.HistoryLocation;
import io.toks.history.HistoryStore;
import io.toks.report.ResultFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a measuring command keeps its result besides what it prints (bench, load, count, hw):
 * the history store (on by default) and a {@code --out} file.
 */
final class HistoryOptions {

    @Option(names = "--history", paramLabel = "URL",
            description = {"Record the result in this store: a file or jdbc:sqlite:FILE (SQLite), or",
                    "jdbc:postgresql://HOST:PORT/DB?user=U&password=P. Default: $TOKS_HISTORY, else ~/.toks/history.db."})
    String history;

    @Option(names = "--no-history", description = "Record nothing in the history store.")
    boolean noHistory;

    @Option(names = "--out", paramLabel = "FILE.json",
            description = {"Also write the result document (JSON) to FILE, whatever -o prints; written at the end, also after a",
                    "failure or when stopped (Ctrl-C, SIGTERM: the runs measured, marked \"incomplete\")."})
    Path out;

    /**
     * Opens what this run records into, now, before any slow work: a store the user named that
     * cannot be opened is an error; the default one is a warning on {@code err}, and the
     * measurement goes on without it.
     */
    Recording open(PrintWriter err) {
        if (noHistory && history != null) throw new ToksException("give --history or --no-history, not both");
        List<ResultSink> sinks = new ArrayList<>();
        ResultSink file = out == null ? null : ResultFile.of(out); // a bad --out fails before the store is opened
        HistoryStore store = null;
        HistoryLocation location = noHistory ? null : HistoryLocation.resolve(history);
        if (location != null) {
            try {
                store = HistoryStore.open(location);
            } catch (ToksException e) {
                if (location.chosen()) throw history != null ? new ToksException("--history: " + e.getMessage()) : e;
                warn(err, "toks: warning: history not recorded: " + e.getMessage() + " (--no-history skips it)");
            }
        }
        if (file != null) sinks.add(file);
        if (store != null) sinks.addFirst(store.sink(line -> warn(err, line)));
        return new Recording(sinks, store);
    }

    private static void warn(PrintWriter err, String line) {
        err.println(line);
        err.flush();
    }

    /** The sinks of one run and the store they write to (closed with the command, whatever happens). */
    record Recording(List<ResultSink> sinks, HistoryStore store) implements AutoCloseable {
        @Override
        public void close() {
            if (store != null) store.close();
        }
    }
}
