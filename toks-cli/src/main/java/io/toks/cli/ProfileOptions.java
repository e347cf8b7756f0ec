package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.core.jfr.ToksEvents;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import picocli.CommandLine.Option;

/** {@code --profile FILE.jfr}: a Java Flight Recorder recording of the command, toks's events included. */
final class ProfileOptions {

    @Option(names = "--profile", paramLabel = "FILE.jfr",
            description = "Record the run with Java Flight Recorder (JDK's profile settings plus toks's request, prefill, decode-step "
                    + "and token events) into FILE.jfr: JDK Mission Control opens it; toks trace FILE.jfr -o trace.json makes a Perfetto trace.")
    Path file;

    @Option(names = "--profile-kernels",
            description = "With --profile: also an event per operation of every forward pass (matrix products by type, attention, norms, "
                    + "sampling). Costly where passes are short (docs/performance.md).")
    boolean kernels;

    /** A recording that ends when closed; nothing when --profile was not given. */
    interface Profiling extends AutoCloseable {
        @Override
        void close();
    }

    /** Starts recording now (checked before any slow work: the file's folder must exist). */
    Profiling start(PrintWriter err) {
        if (file == null) {
            if (kernels) throw new ToksException("--profile-kernels needs --profile FILE.jfr");
            return () -> {};
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) throw new ToksException("--profile: folder " + parent + " does not exist");
        Recording recording;
        try {
            recording = new Recording(Configuration.getConfiguration("profile"));
        } catch (IOException | ParseException e) {
            recording = new Recording();
        }
        for (String event : new String[] {ToksEvents.PREFILL_EVENT, ToksEvents.DECODE_STEP_EVENT,
                ToksEvents.REQUEST_EVENT, ToksEvents.CHUNK_EVENT, ToksEvents.TRAINING_STEP_EVENT}) {
            recording.enable(event).withoutThreshold().withoutStackTrace();
        }
        if (kernels) recording.enable(ToksEvents.KERNEL_EVENT).withoutThreshold().withoutStackTrace();
        else recording.disable(ToksEvents.KERNEL_EVENT);
        recording.setName("toks");
        recording.setToDisk(true);
        try {
            // Stopping writes the file; and if the JVM's own JFR shutdown hook stops the recording
            // first (Ctrl-C on toks serve), that hook writes it.
            recording.setDestination(file);
        } catch (IOException e) {
            recording.close();
            throw new ToksException("--profile: cannot write " + file + ": " + e.getMessage());
        }
        recording.setDumpOnExit(true);
        recording.start();
        Recording started = recording;
        return new Profiling() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (closed) return;
                closed = true;
                try {
                    started.stop();
                    started.close();
                } catch (IllegalStateException alreadyStopped) {
                    // The JVM is exiting (SIGTERM, Ctrl-C) and JFR's own shutdown hook is stopping the
                    // recording and writing the file: closing it now would delete the chunks it is
                    // copying. Leave it to that hook; the JVM ends after it.
                    return;
                }
                err.println(written()
                        ? "toks: profile written to " + file + " (JDK Mission Control opens it; toks trace " + file + " --summary)"
                        : "toks: the profile could not be written to " + file);
                err.flush();
            }

            private boolean written() {
                try {
                    return Files.isRegularFile(file) && Files.size(file) > 0;
                } catch (IOException e) {
                    return false;
                }
            }
        };
    }
}
