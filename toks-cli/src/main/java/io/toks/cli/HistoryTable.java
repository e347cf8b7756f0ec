package io.toks.cli;

import io.toks.history.HistoryEntry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The run list of {@code toks history} as a Markdown table. */
final class HistoryTable {

    private static final String[] HEADER = {"date (UTC)", "command", "machine", "model", "type", "test", "threads", "kernels", "value ± 95% CI", "metric", "state", "doc"};

    private HistoryTable() {}

    static void print(List<HistoryEntry> entries, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        for (HistoryEntry e : entries) {
            rows.add(new String[] {date(e.createdAt()), e.command(), text(e.machine()), text(e.model()), text(e.modelType()), e.test(),
                    e.threads() == null ? "" : e.threads().toString(), text(e.kernels()), value(e), e.metric() == null ? "" : e.metric() + " (" + e.unit() + ")",
                    e.complete() ? "complete" : "incomplete", Long.toString(e.documentId())});
        }
        int[] width = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) width[i] = HEADER[i].length();
        for (String[] row : rows) for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        line(out, HEADER, width);
        String[] rule = new String[HEADER.length];
        for (int i = 0; i < rule.length; i++) rule[i] = "-".repeat(width[i]);
        line(out, rule, width);
        for (String[] row : rows) line(out, row, width);
    }

    private static void line(PrintWriter out, String[] cells, int[] width) {
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) b.append(' ').append(cells[i]).append(" ".repeat(width[i] - cells[i].length())).append(" |");
        out.println(b);
    }

    /** {@code 2026-11-02T09:00:00.000Z} as {@code 2026-11-02 09:00}. */
    private static String date(String createdAt) {
        return createdAt.length() >= 16 ? createdAt.substring(0, 10) + " " + createdAt.substring(11, 16) : createdAt;
    }

    /** The mean ± half the 95% interval (as the bench table shows it), or the mean alone where there is no interval. */
    static String value(HistoryEntry e) {
        if (Double.isNaN(e.value())) return "n/a";
        String mean = number(e.value());
        if (Double.isNaN(e.ci95Low()) || Double.isNaN(e.ci95High())) return mean;
        return mean + " ± " + number((e.ci95High() - e.ci95Low()) / 2);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.2f", v);
    }

    private static String text(String s) {
        return s == null ? "" : s.replace('|', '/');
    }
}
