package io.toks.report.compare;

import io.toks.core.result.Run;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairs the runs of A and B by their parameters ({@link RunKey}), never by position. A subject
 * field that has one value throughout A and another throughout B (the kernels of
 * {@code bench --kernels java} against {@code --kernels native}, two models, two tokenizers) is what
 * the comparison is about: it is left out of the key and reported as a difference. Workload fields
 * (the test, the load level, the corpus) always have to agree. Runs left without a partner are
 * returned, never dropped.
 */
final class RunMatcher {

    /** Runs of A and B that measured the same thing. */
    record Pair(RunKey key, Run a, Run b) {}

    /** What A and B differ in as a whole: one value each. */
    record Difference(String kind, String field, String a, String b) {}

    record Matching(List<Pair> pairs, List<String> onlyInA, List<String> onlyInB, List<Difference> differences) {}

    private RunMatcher() {}

    static Matching match(List<Run> a, List<Run> b) {
        List<RunKey> keysA = a.stream().map(RunKey::of).toList(), keysB = b.stream().map(RunKey::of).toList();
        List<Difference> differences = differences(keysA, keysB);
        Map<String, Set<String>> relaxed = new LinkedHashMap<>();
        for (Difference d : differences) relaxed.computeIfAbsent(d.kind(), k -> new LinkedHashSet<>()).add(d.field());

        // B's runs by key, in order: a key measured twice pairs first with first.
        Map<RunKey, List<Integer>> waiting = new LinkedHashMap<>();
        for (int i = 0; i < b.size(); i++) {
            RunKey k = keysB.get(i).without(relaxed.getOrDefault(keysB.get(i).kind(), Set.of()));
            waiting.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
        }
        List<Pair> pairs = new ArrayList<>();
        List<String> onlyInA = new ArrayList<>();
        boolean[] taken = new boolean[b.size()];
        for (int i = 0; i < a.size(); i++) {
            RunKey k = keysA.get(i).without(relaxed.getOrDefault(keysA.get(i).kind(), Set.of()));
            List<Integer> candidates = waiting.get(k);
            if (candidates == null || candidates.isEmpty()) {
                onlyInA.add(label(keysA.get(i)));
                continue;
            }
            int j = candidates.removeFirst();
            taken[j] = true;
            pairs.add(new Pair(k, a.get(i), b.get(j)));
        }
        List<String> onlyInB = new ArrayList<>();
        for (int j = 0; j < b.size(); j++) if (!taken[j]) onlyInB.add(label(keysB.get(j)));
        return new Matching(pairs, onlyInA, onlyInB, differences);
    }

    /** Subject fields with exactly one value in A and one other value in B, per kind of run. */
    private static List<Difference> differences(List<RunKey> a, List<RunKey> b) {
        List<Difference> out = new ArrayList<>();
        Set<String> kinds = new LinkedHashSet<>();
        a.forEach(k -> kinds.add(k.kind()));
        for (String kind : kinds) {
            List<RunKey> ofA = a.stream().filter(k -> k.kind().equals(kind)).toList();
            List<RunKey> ofB = b.stream().filter(k -> k.kind().equals(kind)).toList();
            if (ofB.isEmpty()) continue;
            for (RunKey.Field field : ofA.getFirst().fields()) {
                if (!field.subject()) continue;
                Set<String> valuesA = values(ofA, field.name()), valuesB = values(ofB, field.name());
                if (valuesA.size() == 1 && valuesB.size() == 1 && !valuesA.equals(valuesB)) {
                    out.add(new Difference(kind, field.name(), valuesA.iterator().next(), valuesB.iterator().next()));
                }
            }
        }
        return out;
    }

    private static Set<String> values(List<RunKey> keys, String field) {
        Set<String> values = new LinkedHashSet<>();
        for (RunKey k : keys) values.add(k.value(field));
        return values;
    }

    private static String label(RunKey key) {
        return key.kind() + " " + key.shown();
    }
}
