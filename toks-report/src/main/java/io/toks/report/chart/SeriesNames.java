package io.toks.report.chart;

/** Legend names: a document's label, and what tells a document's own series apart. */
final class SeriesNames {

    private SeriesNames() {}

    /**
     * @param label     the document's label
     * @param group     what distinguishes this series within its document; empty when nothing does
     * @param documents how many documents the report compares (one: the label says nothing, leave it out)
     */
    static String of(String label, String group, int documents) {
        if (group.isEmpty()) return label;
        return documents > 1 ? label + " · " + group : group;
    }
}
