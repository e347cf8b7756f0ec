package io.toks.cli;

import io.toks.cli.progress.Progress;
import io.toks.cli.progress.ProgressMode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --progress}: how long work shows it is alive (stderr only; stdout keeps the results). */
final class ProgressOptions {

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "MODE",
            description = {"auto (a bar on a terminal; in a pipe, a line every 10 s once work runs long), bar, log",
                    "(plain lines), none. Always on stderr. Default: ${DEFAULT-VALUE}."})
    String mode;

    /** The mode, checked before any slow work. */
    ProgressMode mode() {
        return ProgressMode.parse(mode);
    }

    /** The display on the command's stderr. */
    Progress open(CommandSpec spec) {
        PrintStream err = new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true, StandardCharsets.UTF_8);
        return Progress.of(mode(), err);
    }
}
