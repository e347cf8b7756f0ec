package io.toks.report.image;

import io.toks.core.ToksException;
import java.util.Locale;

/** Image formats of charts drawn to files. */
public enum ImageFormat {
    PNG, SVG;

    /** The file name extension, without the dot. */
    public String extension() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ImageFormat parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ToksException("unknown image format '" + s + "' (expected png or svg)");
        }
    }
}
