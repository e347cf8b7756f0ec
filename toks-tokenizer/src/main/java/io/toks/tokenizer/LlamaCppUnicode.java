package io.toks.tokenizer;

import java.text.Normalizer;

/**
 * The Unicode rules llama.cpp's WordPiece preprocessing applies (its unicode tables are generated
 * from UnicodeData.txt, as Java's character classes are), where they differ from Java's own.
 */
final class LlamaCppUnicode {

    private LlamaCppUnicode() {}

    /** First code point of each BMP code point's canonical decomposition, built on first use (~65k lookups, once). */
    private static final class Bmp {
        static final char[] FIRST = new char[0x10000];

        static {
            for (int cp = 0; cp < FIRST.length; cp++) FIRST[cp] = (char) (cp < 0xC0 ? cp : decomposedFirst(cp));
        }
    }

    /**
     * llama.cpp's "NFD" maps one code point to one: the first of its full canonical decomposition
     * (é -> e, 가 -> ᄀ, U+0344 -> U+0308), dropping the rest.
     */
    static int firstOfDecomposition(int cp) {
        if (cp < 0xC0) return cp;
        if (cp < 0x10000) return Bmp.FIRST[cp];
        return decomposedFirst(cp);
    }

    private static int decomposedFirst(int cp) {
        return Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFD).codePointAt(0);
    }

    /** llama.cpp's whitespace set: ASCII tab to carriage return, space, U+0085, and the Unicode space separators. */
    static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** \p{C} without unassigned code points: Cc, Cf, Co, Cs. */
    static boolean isControl(int type) {
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE || type == Character.SURROGATE;
    }

    /** \p{M}: non-spacing, spacing combining and enclosing marks. */
    static boolean isMark(int type) {
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }
}
