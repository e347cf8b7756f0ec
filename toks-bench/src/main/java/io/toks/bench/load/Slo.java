package io.toks.bench.load;

import java.util.Locale;

/**
 * Service-level objectives a request must meet to count toward goodput, e.g.
 * {@code ttft=500ms,tpot=50ms,e2e=10s}. An unset limit is NaN.
 */
public record Slo(double ttftMs, double tpotMs, double e2eMs) {

    public static final Slo NONE = new Slo(Double.NaN, Double.NaN, Double.NaN);

    public boolean isSet() {
        return !Double.isNaN(ttftMs) || !Double.isNaN(tpotMs) || !Double.isNaN(e2eMs);
    }

    /** Whether a request's figures (milliseconds; NaN tpot for single-token outputs) meet every set limit. */
    public boolean met(double ttft, double tpot, double e2e) {
        return within(ttft, ttftMs) && (Double.isNaN(tpot) || within(tpot, tpotMs)) && within(e2e, e2eMs);
    }

    private static boolean within(double value, double limit) {
        return Double.isNaN(limit) || value <= limit;
    }

    public static Slo parse(String spec) {
        double ttft = Double.NaN, tpot = Double.NaN, e2e = Double.NaN;
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("SLOs are NAME=TIME pairs, e.g. ttft=500ms,tpot=50ms; got '" + p + "'");
            double ms = parseMillis(p.substring(eq + 1).trim());
            switch (p.substring(0, eq).trim().toLowerCase(Locale.ROOT)) {
                case "ttft" -> ttft = ms;
                case "tpot", "itl" -> tpot = ms;
                case "e2e" -> e2e = ms;
                default -> throw new IllegalArgumentException("unknown SLO '" + p.substring(0, eq) + "': ttft, tpot or e2e");
            }
        }
        return new Slo(ttft, tpot, e2e);
    }

    /** A time such as 500ms, 0.5s, 2s or 500 (milliseconds). */
    public static double parseMillis(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        double scale = 1;
        if (t.endsWith("ms")) t = t.substring(0, t.length() - 2);
        else if (t.endsWith("us")) { t = t.substring(0, t.length() - 2); scale = 1e-3; }
        else if (t.endsWith("s")) { t = t.substring(0, t.length() - 1); scale = 1e3; }
        else if (t.endsWith("m")) { t = t.substring(0, t.length() - 1); scale = 60e3; }
        try {
            double v = Double.parseDouble(t.trim()) * scale;
            if (!(v >= 0) || Double.isInfinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a time: '" + s + "' (e.g. 500ms, 2s)");
        }
    }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (!Double.isNaN(ttftMs)) sb.append("ttft<=").append(fmt(ttftMs)).append("ms ");
        if (!Double.isNaN(tpotMs)) sb.append("tpot<=").append(fmt(tpotMs)).append("ms ");
        if (!Double.isNaN(e2eMs)) sb.append("e2e<=").append(fmt(e2eMs)).append("ms ");
        return sb.toString().trim();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
