package io.toks.history;

import io.toks.core.manifest.Manifest;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultSink;
import io.toks.core.result.Run;
import java.util.function.Consumer;

/**
 * Records a command's document in a {@link HistoryStore} as it is measured. The first failure is
 * one warning and ends the recording: the measurement itself never stops because history failed.
 */
final class HistorySink implements ResultSink {

    private final HistoryStore store;
    private final Consumer<String> warnings;
    private Manifest manifest;
    private long documentId = -1;
    private int seq;
    private boolean failed;

    HistorySink(HistoryStore store, Consumer<String> warnings) {
        this.store = store;
        this.warnings = warnings;
    }

    @Override
    public void begin(String command, Manifest manifest) {
        this.manifest = manifest;
        attempt(() -> documentId = store.beginDocument(command, manifest));
    }

    @Override
    public void run(Run run) {
        int at = seq++;
        if (documentId >= 0) attempt(() -> store.addRun(documentId, at, run, manifest));
    }

    @Override
    public void end(ResultDocument document) {
        try {
            // An interrupted command's document stays incomplete, as one whose process died: its runs are all stored.
            if (documentId >= 0 && document.incomplete() == null) attempt(() -> store.completeDocument(documentId, document));
        } finally {
            store.close();
        }
    }

    private void attempt(Runnable write) {
        if (failed) return;
        try {
            write.run();
        } catch (RuntimeException e) {
            failed = true;
            warnings.accept("toks: warning: history not recorded in " + store.location().display() + ": "
                    + HistoryStore.oneLine(e) + " (the measurement goes on)");
        }
    }
}
