package io.toks.core.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.toks.core.manifest.Manifest;
import java.util.List;

/**
 * What every measuring command writes: a manifest (where, how, on what) and its runs. The one
 * document that renderers, comparison and history read; docs/results.md and
 * docs/result-schema.json describe its JSON form.
 *
 * @param schema   the layout's version, {@link #SCHEMA_VERSION}
 * @param command  the command that measured: bench, load, count, hw
 * @param manifest where and how
 * @param runs       every run, in the order measured
 * @param incomplete why the runs stop short of what the command set out to measure (it was
 *                   interrupted: Ctrl-C, SIGTERM); null for a command that finished, and then
 *                   absent from the JSON, so a finished document reads as before the field existed
 */
public record ResultDocument(int schema, String command, Manifest manifest, List<Run> runs,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String incomplete) {

    /** Version 1 was toks bench's own layout (records with untyped extras); 2 is the shared one. */
    public static final int SCHEMA_VERSION = 2;

    public ResultDocument {
        runs = List.copyOf(runs);
    }

    /** A finished command's document. */
    public ResultDocument(int schema, String command, Manifest manifest, List<Run> runs) {
        this(schema, command, manifest, runs, null);
    }

    /** The same runs, marked as stopped short for this reason. */
    public ResultDocument incomplete(String why) {
        return new ResultDocument(schema, command, manifest, runs, why);
    }

    public static ResultDocument of(String command, Manifest manifest, List<? extends Run> runs) {
        return new ResultDocument(SCHEMA_VERSION, command, manifest, List.copyOf(runs));
    }

    /** The runs of one kind, e.g. {@code runs(EngineRun.class)}. */
    public <R extends Run> List<R> runs(Class<R> kind) {
        return runs.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
