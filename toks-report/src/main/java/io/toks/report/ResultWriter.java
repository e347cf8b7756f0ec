package io.toks.report;

import io.toks.core.manifest.Manifest;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultSink;
import io.toks.core.result.Run;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects a command's runs into its result document while rendering them as they come, and hands
 * each step to the sinks that keep the result beside the output (the history store, a
 * {@code --out} file). {@link #finish()} renders what needs the whole document; call it also when
 * a run fails midway (in a {@code finally}), so what was measured is never lost. A process stopped
 * by a signal runs no {@code finally}: {@link #interrupt} finishes from a shutdown hook instead,
 * on another thread, so every step is synchronized and runs accepted after the end are dropped.
 */
public final class ResultWriter {

    private final String command;
    private final ResultRenderer renderer;
    private final List<ResultSink> sinks;
    private final List<Run> runs = new ArrayList<>();
    private Manifest manifest;
    private ResultDocument finished;

    public ResultWriter(String command, Manifest manifest, ResultRenderer renderer) {
        this(command, manifest, renderer, List.of());
    }

    public ResultWriter(String command, Manifest manifest, ResultRenderer renderer, List<? extends ResultSink> sinks) {
        this.command = command;
        this.manifest = manifest;
        this.renderer = renderer;
        this.sinks = List.copyOf(sinks);
        renderer.begin(manifest);
        for (ResultSink sink : this.sinks) sink.begin(command, manifest);
    }

    /** The manifest as it is now (a target's facts grow as models load). */
    public synchronized Manifest manifest() {
        return manifest;
    }

    public synchronized void manifest(Manifest updated) {
        this.manifest = updated;
    }

    public synchronized void accept(Run run) {
        if (finished != null) return; // measured after an interrupt ended the document: no output after its end
        runs.add(run);
        renderer.run(manifest, run);
        for (ResultSink sink : sinks) sink.run(run);
    }

    /** The document of everything accepted, rendered once; later calls return the same. */
    public synchronized ResultDocument finish() {
        return end(null);
    }

    /**
     * The command was stopped before it finished (Ctrl-C): the document of the runs accepted so
     * far, marked {@link ResultDocument#incomplete() incomplete} for {@code why}, rendered and handed
     * to the sinks as {@link #finish()} does; the document {@link #finish()} made, where it ran first.
     */
    public synchronized ResultDocument interrupt(String why) {
        return end(why);
    }

    private ResultDocument end(String incomplete) {
        if (finished == null) {
            finished = new ResultDocument(ResultDocument.SCHEMA_VERSION, command, manifest, runs, incomplete);
            renderer.end(finished);
            for (ResultSink sink : sinks) sink.end(finished);
        }
        return finished;
    }
}
