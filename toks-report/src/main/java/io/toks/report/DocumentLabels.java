package io.toks.report;

import io.toks.core.result.ResultDocument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Short names for documents compared in one report. A file's name is what its owner chose to tell
 * runs apart ({@code before.json}, {@code native.json}), so it comes first; where two files share a
 * name (runs/a/result.json, runs/b/result.json) their folder tells them apart, then the command.
 */
public final class DocumentLabels {

    private DocumentLabels() {}

    /** One label per file, in order, each distinct. */
    public static List<String> of(List<Path> files, List<ResultDocument> documents) {
        if (files.size() != documents.size()) throw new IllegalArgumentException("one document per file is required");
        List<String> labels = new ArrayList<>();
        for (Path file : files) labels.add(stem(file));
        if (distinct(labels)) return labels;
        for (int i = 0; i < files.size(); i++) {
            Path parent = files.get(i).toAbsolutePath().normalize().getParent();
            if (parent != null && parent.getFileName() != null) labels.set(i, parent.getFileName() + "/" + labels.get(i));
        }
        if (distinct(labels)) return labels;
        for (int i = 0; i < files.size(); i++) labels.set(i, labels.get(i) + " (" + documents.get(i).command() + ")");
        return numbered(labels);
    }

    /** {@code results/a.json} -> {@code a}. */
    static String stem(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static boolean distinct(List<String> labels) {
        return new HashSet<>(labels).size() == labels.size();
    }

    /** The same file given twice still gets two series: {@code a}, {@code a #2}. */
    private static List<String> numbered(List<String> labels) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (String label : labels) {
            int n = seen.merge(label, 1, Integer::sum);
            out.add(n == 1 ? label : label + " #" + n);
        }
        return out;
    }
}
