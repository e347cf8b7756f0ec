package io.toks.history;

import io.toks.core.ToksException;
import io.toks.core.manifest.Manifest;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.core.result.Run;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The store's reads: the run list, whole documents, trend series. The same SQL for both databases. */
final class HistoryQueries {

    private HistoryQueries() {}

    /** A WHERE clause over {@code runs r JOIN documents d} and its parameters, in order. */
    private record Where(String sql, List<Object> parameters) {

        static Where of(HistoryFilter f) {
            List<String> clauses = new ArrayList<>();
            List<Object> parameters = new ArrayList<>();
            if (f.model() != null) {
                clauses.add("LOWER(r.model) LIKE ? ESCAPE '!'");
                parameters.add(Sql.containsPattern(f.model()));
            }
            if (f.test() != null) {
                clauses.add("LOWER(r.name) = ?");
                parameters.add(f.test().toLowerCase(java.util.Locale.ROOT));
            }
            if (f.type() != null) {
                clauses.add("LOWER(r.model_type) = ?");
                parameters.add(f.type().toLowerCase(java.util.Locale.ROOT));
            }
            if (f.machine() != null) {
                clauses.add("(LOWER(d.host) LIKE ? ESCAPE '!' OR LOWER(d.cpu_model) LIKE ? ESCAPE '!')");
                parameters.add(Sql.containsPattern(f.machine()));
                parameters.add(Sql.containsPattern(f.machine()));
            }
            if (f.command() != null) {
                clauses.add("LOWER(d.command) = ?");
                parameters.add(f.command().toLowerCase(java.util.Locale.ROOT));
            }
            if (f.since() != null) {
                clauses.add("d.created_at >= ?");
                parameters.add(HistoryStore.TIME.format(f.since()));
            }
            return new Where(clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses), parameters);
        }

        /** Whether a filter names anything about runs (then a document without runs cannot match). */
        static boolean namesRuns(HistoryFilter f) {
            return f.model() != null || f.test() != null || f.type() != null;
        }

        void bind(PreparedStatement s) throws SQLException {
            for (int i = 0; i < parameters.size(); i++) s.setObject(i + 1, parameters.get(i));
        }
    }

    static List<HistoryEntry> entries(Connection c, HistoryFilter filter) throws SQLException {
        Where where = Where.of(filter);
        String sql = """
                SELECT d.id, r.seq, d.command, d.created_at, d.host, d.cpu_model, r.model, r.model_type, r.name, r.threads,
                       r.kernels, r.metric, r.unit, r.value, r.ci95_low, r.ci95_high, d.complete
                FROM runs r JOIN documents d ON d.id = r.document_id""" + where.sql()
                + " ORDER BY d.created_at DESC, d.id DESC, r.seq ASC" + (filter.limit() == null ? "" : " LIMIT " + filter.limit());
        List<HistoryEntry> entries = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            where.bind(s);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    entries.add(new HistoryEntry(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            machine(rs.getString(5), rs.getString(6)), rs.getString(7), rs.getString(8), rs.getString(9),
                            integer(rs, 10), rs.getString(11), rs.getString(12), rs.getString(13), number(rs, 14),
                            number(rs, 15), number(rs, 16), rs.getInt(17) == 1));
                }
            }
        }
        return entries;
    }

    static List<StoredDocument> documents(Connection c, HistoryFilter filter) throws SQLException {
        Where where = Where.of(filter);
        String from = Where.namesRuns(filter) ? "runs r JOIN documents d ON d.id = r.document_id"
                : "documents d LEFT JOIN runs r ON d.id = r.document_id";
        String sql = "SELECT DISTINCT d.id, d.created_at FROM " + from + where.sql() + " ORDER BY d.created_at, d.id";
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            where.bind(s);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
        }
        // The limit keeps the newest documents, still written oldest first.
        if (filter.limit() != null && ids.size() > filter.limit()) ids = ids.subList(ids.size() - filter.limit(), ids.size());
        List<StoredDocument> documents = new ArrayList<>();
        for (long id : ids) documents.add(document(c, id));
        return documents;
    }

    /** What an incomplete stored document says of itself (a command interrupted, or still running). */
    static final String STOPPED = "the command stopped before it finished (or is still running)";

    private static StoredDocument document(Connection c, long id) throws SQLException {
        String command;
        Manifest manifest;
        boolean complete;
        try (PreparedStatement s = c.prepareStatement("SELECT command, manifest, complete FROM documents WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                command = rs.getString(1);
                manifest = ResultJson.readPart(rs.getString(2), Manifest.class);
                complete = rs.getInt(3) == 1;
                // Stored by a toks that imported documents unchecked; every reader of a document relies on its manifest.
                if (manifest == null) {
                    throw new ToksException("history document #" + id + " has no manifest (imported by an older toks), so it cannot be "
                            + "read; narrow the filters (--since, --command, --test) to leave it out");
                }
            }
        }
        List<Run> runs = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT run_json FROM runs WHERE document_id = ? ORDER BY seq")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) runs.add(ResultJson.readPart(rs.getString(1), Run.class));
            }
        }
        ResultDocument document = ResultDocument.of(command, manifest, runs);
        // Exported, it says so: the same mark an interrupted command's --out file carries.
        return new StoredDocument(id, complete, complete ? document : document.incomplete(STOPPED));
    }

    static List<Series> series(Connection c, HistoryFilter filter, Metric metric) throws SQLException {
        Where where = Where.of(filter);
        String sql = """
                SELECT d.id, d.created_at, d.host, d.cpu_model, r.model, r.model_type, r.name, r.threads, r.kernels, r.metric, r.run_json
                FROM runs r JOIN documents d ON d.id = r.document_id""" + where.sql()
                + (metric == null ? (where.sql().isEmpty() ? " WHERE " : " AND ") + "r.metric IS NOT NULL"
                        : (where.sql().isEmpty() ? " WHERE " : " AND ") + "EXISTS (SELECT 1 FROM run_metrics m WHERE m.run_id = r.id AND m.metric = ?)")
                + " ORDER BY d.created_at, d.id, r.seq";
        Map<Series.Key, List<Series.Point>> lines = new LinkedHashMap<>();
        Map<Series.Key, String> metrics = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            where.bind(s);
            if (metric != null) s.setString(where.parameters().size() + 1, metric.key());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    var key = new Series.Key(rs.getString(5), rs.getString(6), machine(rs.getString(3), rs.getString(4)),
                            rs.getString(7), integer(rs, 8), rs.getString(9));
                    Metric m = metric != null ? metric : Metric.ofKey(rs.getString(10));
                    Run run = ResultJson.readPart(rs.getString(11), Run.class);
                    MetricSummary value = run.metric(m);
                    if (value == null) continue;
                    lines.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(new Series.Point(Instant.parse(rs.getString(2)), rs.getLong(1), run, value));
                    metrics.putIfAbsent(key, m.key());
                }
            }
        }
        List<Series> series = new ArrayList<>();
        lines.forEach((key, points) -> series.add(new Series(key, metrics.get(key), points)));
        return series;
    }

    private static String machine(String host, String cpuModel) {
        return host != null ? host : cpuModel;
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static double number(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }
}
