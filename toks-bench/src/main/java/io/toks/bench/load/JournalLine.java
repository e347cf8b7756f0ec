package io.toks.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.toks.core.ToksException;
import java.nio.file.Path;

/**
 * One line of a journal, read field by field with a check each: a value of the wrong type or out
 * of range is a one-line error naming the file, the line and the field, never a default that
 * passes for a measurement (a negative count once printed a negative tok/s).
 */
final class JournalLine {

    private final Path file;
    private final int number;
    private final JsonNode json;
    /** Names the object this is inside ({@code "usage."}), or "" for the line itself. */
    private final String prefix;

    /** @param number 1-based */
    JournalLine(Path file, int number, JsonNode json) {
        this(file, number, json, "");
    }

    private JournalLine(Path file, int number, JsonNode json, String prefix) {
        this.file = file;
        this.number = number;
        this.json = json;
        this.prefix = prefix;
    }

    boolean has(String field) {
        JsonNode v = json.get(field);
        return v != null && !v.isNull();
    }

    /** A problem with the line as a whole: {@code FILE line N: what}. */
    ToksException invalid(String what) {
        return new ToksException(file + " line " + number + ": " + what);
    }

    /** A problem with one field: {@code FILE line N: FIELD why}. */
    ToksException invalid(String field, String why) {
        return invalid(prefix + field + " " + why);
    }

    /** A required monotonic time in nanoseconds (any integer: only differences mean anything). */
    long time(String field) {
        if (!has(field)) throw invalid(field, "is missing");
        return integer(field, json.get(field));
    }

    long time(String field, long absent) {
        return has(field) ? time(field) : absent;
    }

    /** A count of at least {@code least} (-1 where "unknown" is allowed, else 0); required. */
    int count(String field, int least) {
        if (!has(field)) throw invalid(field, "is missing");
        return count(field, json.get(field), least);
    }

    int count(String field, int least, int absent) {
        return has(field) ? count(field, least) : absent;
    }

    /** A number of at least {@code least} (or exactly {@code unknown}); {@code absent} when missing. */
    double number(String field, double least, double unknown, double absent) {
        if (!has(field)) return absent;
        JsonNode v = json.get(field);
        double d = v.asDouble();
        if (!v.isNumber() || !Double.isFinite(d) || (d < least && d != unknown)) {
            throw invalid(field, "is " + shown(v) + ": not a number of at least " + least);
        }
        return d;
    }

    String text(String field, String absent) {
        if (!has(field)) return absent;
        JsonNode v = json.get(field);
        if (!v.isTextual()) throw invalid(field, "is " + shown(v) + ": not a string");
        return v.asText();
    }

    /** A constant of {@code type} named in upper case, as the journal writes them; {@code absent} when missing. */
    <E extends Enum<E>> E constant(String field, Class<E> type, E absent) {
        String name = text(field, null);
        if (name == null) return absent;
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw invalid(field, "is '" + name + "': not one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    /** An array of times; empty when missing. */
    long[] times(String field) {
        JsonNode a = array(field);
        long[] out = new long[a == null ? 0 : a.size()];
        for (int i = 0; i < out.length; i++) out[i] = integer(field + "[" + i + "]", a.get(i));
        return out;
    }

    /** An array of counts of at least {@code least}; null when missing. */
    int[] counts(String field, int least) {
        JsonNode a = array(field);
        if (a == null) return null;
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = count(field + "[" + i + "]", a.get(i), least);
        return out;
    }

    /** An object field as a line of its own (same file and number), or null when missing. */
    JournalLine object(String field) {
        if (!has(field)) return null;
        JsonNode v = json.get(field);
        if (!v.isObject()) throw invalid(field, "is " + shown(v) + ": not an object");
        return new JournalLine(file, number, v, prefix + field + ".");
    }

    private JsonNode array(String field) {
        if (!has(field)) return null;
        JsonNode a = json.get(field);
        if (!a.isArray()) throw invalid(field, "is " + shown(a) + ": not an array");
        return a;
    }

    private long integer(String field, JsonNode v) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) throw invalid(field, "is " + shown(v) + ": not an integer");
        return v.longValue();
    }

    private int count(String field, JsonNode v, int least) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) throw invalid(field, "is " + shown(v) + ": not an integer count");
        int n = v.intValue();
        if (n < least) throw invalid(field, "is " + n + (least == 0 ? ": a count cannot be negative" : ": below " + least));
        return n;
    }

    private static String shown(JsonNode v) {
        String s = v == null ? "missing" : v.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
