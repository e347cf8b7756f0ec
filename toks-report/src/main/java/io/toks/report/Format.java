package io.toks.report;

import io.toks.core.ToksException;
import java.util.Locale;

/** Output formats of results. */
public enum Format {
    MD, CSV, JSON, JSONL;

    public static Format parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ToksException("unknown output format '" + s + "' (expected md, csv, json or jsonl)");
        }
    }
}
