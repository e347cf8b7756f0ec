package io.toks.report;

import io.toks.core.ToksException;
import java.util.Locale;

/** Output formats of result documents. */
public enum Format {
    MD, CSV, JSON, JSONL;

    public static Format parse(String s) {
        try {
            String name = s.trim().toUpperCase(Locale.ROOT);
            return valueOf(name.equals("MARKDOWN") ? "MD" : name);
        } catch (IllegalArgumentException e) {
            throw new ToksException("unknown output format '" + s + "' (expected md, csv, json or jsonl)");
        }
    }
}
