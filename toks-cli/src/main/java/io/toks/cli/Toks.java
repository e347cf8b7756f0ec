package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.core.manifest.MachineFacts;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code toks COMMAND [OPTIONS]}. Wiring only; the work lives in the other modules. */
@Command(name = "toks", mixinStandardHelpOptions = true, versionProvider = Toks.Version.class,
        description = "Measures, explains and compares how many tokens per second a language model processes.",
        footer = {"", "With no MODEL, commands use the embedded stories260K model (no download).",
                "Exit codes: 0 success, 1 error (bad input, failed run; compare: a regression), 2 bad command line."})
public final class Toks implements Runnable {

    /** Exit code for failures the user can act on (bad files, impossible settings). */
    static final int EXIT_ERROR = 1;
    /** Exit code for a command line that does not parse. */
    static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line with the given streams; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Toks());
        Subcommands.register(cl, args);
        shareVersion(cl);
        HelpText.reflow(cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("toks: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof ToksException || ex instanceof IllegalArgumentException) {
                c.getErr().println("toks: error: " + ex.getMessage());
            } else {
                c.getErr().println("toks: internal error: " + ex);
                if (System.getenv("TOKS_DEBUG") != null) ex.printStackTrace(c.getErr());
                else c.getErr().println("(set TOKS_DEBUG=1 for a stack trace)");
            }
            return EXIT_ERROR;
        });
        try {
            return cl.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler above; an Error (out of memory, a broken
            // installation) still gets one line and an exit code, not a stack trace.
            err.println("toks: fatal: " + e);
            if (System.getenv("TOKS_DEBUG") != null) e.printStackTrace(err);
            err.flush();
            return EXIT_ERROR;
        }
    }

    /** Every subcommand's -V (from mixinStandardHelpOptions) prints toks's version, not nothing. */
    private static void shareVersion(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            if (sub.getCommandSpec().version().length == 0) sub.getCommandSpec().versionProvider(new Version());
            shareVersion(sub);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"toks " + MachineFacts.toksVersion() + " (Java " + Runtime.version() + ")"};
        }
    }
}
