package io.toks.tokenizer;

/**
 * The cl100k_base / Llama 3 pre-tokenizer expression written out as a scanner, because the
 * regular expression costs more than the BPE behind it:
 * <pre>
 * (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 * </pre>
 * Qwen2's expression is the same with {@code \p{N}} taken one at a time ({@code maxDigits} 1).
 * Each branch below is one alternative, tried in the expression's order, with the piece the
 * regex engine would settle on after backtracking. Classes are Unicode's: letters are the L
 * categories, numbers the N categories, spaces the White_Space property (what Java's
 * {@code UNICODE_CHARACTER_CLASS} and the Rust regex crate of tiktoken use).
 */
final class Cl100kStyleSplitter implements TextSplitter {

    private static final byte OTHER = 0, LETTER = 1, NUMBER = 2, SPACE = 3;
    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) ASCII[c] = classify(c);
    }

    private final int maxDigits;

    Cl100kStyleSplitter(int maxDigits) {
        this.maxDigits = maxDigits;
    }

    @Override
    public void split(String s, Sink sink) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            int end = pieceEnd(s, i, n);
            sink.piece(i, end);
            i = end;
        }
    }

    private int pieceEnd(String s, int i, int n) {
        int c = s.codePointAt(i);
        int after = i + Character.charCount(c);
        byte kind = kindOf(c);
        if (c == '\'' && after < n) {
            int k = contractionLength(s, after, n);
            if (k > 0) return after + k;
        }
        if (kind == LETTER) return skipLetters(s, after, n);
        if (kind != NUMBER && c != '\r' && c != '\n' && after < n && kindOf(s.codePointAt(after)) == LETTER) {
            return skipLetters(s, after, n);
        }
        if (kind == NUMBER) {
            int j = after;
            for (int d = 1; d < maxDigits && j < n; d++) {
                int next = s.codePointAt(j);
                if (kindOf(next) != NUMBER) break;
                j += Character.charCount(next);
            }
            return j;
        }
        int symbolsFrom = kind == OTHER ? i : c == ' ' && after < n && kindOf(s.codePointAt(after)) == OTHER ? after : -1;
        if (symbolsFrom >= 0) {
            int j = symbolsFrom;
            while (j < n) {
                int next = s.codePointAt(j);
                if (kindOf(next) != OTHER) break;
                j += Character.charCount(next);
            }
            while (j < n && (s.charAt(j) == '\r' || s.charAt(j) == '\n')) j++;
            return j;
        }
        // c is white space. \s*[\r\n]+ ends after the run's last line break; failing that,
        // \s+(?!\S) leaves the run's last space to prefix the next word; failing that, \s+.
        int j = i, lastBreak = -1;
        while (j < n) {
            char next = s.charAt(j); // every White_Space character is in the BMP
            if (kindOf(next) != SPACE) break;
            if (next == '\r' || next == '\n') lastBreak = j;
            j++;
        }
        if (lastBreak >= 0) return lastBreak + 1;
        if (j == n || j - 1 == i) return j;
        return j - 1;
    }

    /** Length after the apostrophe of 's 't 're 've 'm 'll 'd (ASCII letters in either case), or 0. */
    private static int contractionLength(String s, int at, int n) {
        char a = asciiLower(s.charAt(at));
        if (a == 's' || a == 't' || a == 'm' || a == 'd') return 1;
        if (at + 1 >= n) return 0;
        char b = asciiLower(s.charAt(at + 1));
        if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 2;
        return 0;
    }

    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static int skipLetters(String s, int j, int n) {
        while (j < n) {
            int c = s.codePointAt(j);
            if (kindOf(c) != LETTER) break;
            j += Character.charCount(c);
        }
        return j;
    }

    private static byte kindOf(int c) {
        return c < 128 ? ASCII[c] : classify(c);
    }

    private static byte classify(int c) {
        if ((c >= 0x09 && c <= 0x0D) || c == 0x85) return SPACE;
        return switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SPACE;
            default -> OTHER;
        };
    }
}
