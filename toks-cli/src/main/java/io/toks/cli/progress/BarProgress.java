package io.toks.cli.progress;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A bar redrawn in place on stderr (me.tongfei:progressbar), cleared when its work ends. */
final class BarProgress implements Progress {

    private final PrintStream err;
    private final int width;

    /** @param width characters the bar may take; -1 asks the terminal */
    BarProgress(PrintStream err, int width) {
        this.err = err;
        this.width = width;
    }

    @Override
    public ProgressTask start(String name, long total, String unit) {
        clearLine();
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII) // plain characters: every terminal and log viewer shows them
                .setUpdateIntervalMillis(250)
                .setConsumer(new InPlace(err, width))
                .continuousUpdate()
                .build();
        return new ProgressTask() {
            @Override public void doneSoFar(long units) {
                bar.stepTo(units);
            }

            @Override public void message(String message) {
                bar.setExtraMessage(message);
            }

            @Override public void close() {
                bar.close();
                clearLine(); // the library clears only in some of its paths; the next output needs a clean line
            }
        };
    }

    @Override
    public void note(String message) {
        clearLine();
        err.print("  " + message + "\r");
        err.flush();
    }

    @Override
    public void clear() {
        clearLine();
    }

    private void clearLine() {
        err.print("\r" + " ".repeat(Math.max(1, width > 0 ? width : 100)) + "\r");
        err.flush();
    }

    /**
     * The library's console consumer, except that closing ends nothing with a newline (the
     * library's would leave the finished bar behind on its own line, or an empty one): the line is
     * cleared here instead, so what is printed next starts where the bar was.
     */
    private static final class InPlace extends ConsoleProgressBarConsumer {
        private final PrintStream out;

        InPlace(PrintStream out, int width) {
            super(out, width);
            this.out = out;
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
