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
 * a run fails midway (in a {@code finally}), so what was measured is never lost.
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
    public Manifest manifest() {
        return manifest;
    }

    public void manifest(Manifest updated) {
        this.manifest = updated;
    }

    public void accept(Run run) {
        runs.add(run);
        renderer.run(manifest, run);
        for (ResultSink sink : sinks) sink.run(run);
    }

    /** The document of everything accepted, rendered once; later calls return the same. */
    public ResultDocument finish() {
        if (finished == null) {
            finished = ResultDocument.of(command, manifest, runs);
            renderer.end(finished);
            for (ResultSink sink : sinks) sink.end(finished);
        }
        return finished;
    }
}
