package io.toks.core.result;

import io.toks.core.manifest.Manifest;

/**
 * Something that keeps a command's result as it is measured, beside what the command prints: the
 * history store, a {@code --out} file. It sees the same calls as a renderer: {@link #begin} when
 * the command starts, {@link #run} as each run is accepted, {@link #end} with the whole document
 * (also when the command failed midway, with the runs measured so far).
 *
 * <p>A sink that keeps a copy on the side (the history store) must not throw for its own
 * failures: what it keeps is secondary to what is measured, so it warns and the measurement goes
 * on. A file the user named ({@code --out}) may fail the command at {@link #end}, after the
 * output is written.
 */
public interface ResultSink {

    /** The command starts; {@code manifest} is as known now (a target's facts grow as models load). */
    default void begin(String command, Manifest manifest) {}

    /** A run was measured and accepted. */
    default void run(Run run) {}

    /** The command ended (done or failed): its whole document with the final manifest. */
    default void end(ResultDocument document) {}
}
