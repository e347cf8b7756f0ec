package io.toks.tokenizer;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BERT's WordPiece, as llama.cpp stores it in GGUF (word-initial pieces carry a leading U+2581
 * instead of continuation pieces carrying "##"): the text is lower-cased and stripped of accents
 * (BERT "uncased"), split at whitespace, with each punctuation mark, ASCII symbol and CJK
 * ideograph a word of its own; each word is then covered greedily by the longest pieces from
 * its start. A word that cannot be covered becomes the unknown token. Lossy by design
 * (case and accents are gone), so decoding is not the exact inverse.
 *
 * <p>Two normalizations, because the two implementations people count with differ outside Latin
 * scripts (see {@link Normalization}).
 */
public final class WordPieceTokenizer implements Tokenizer {

    /** How text is normalized and split into words before the pieces are matched. */
    public enum Normalization {
        /**
         * llama.cpp's, for GGUF vocabularies: each code point becomes the first code point of its
         * canonical decomposition (so a Hangul syllable becomes its leading consonant), every mark
         * (Mn, Mc, Me: Devanagari vowel signs too) is dropped when accents are stripped, whitespace
         * is its fixed set (U+0085 and no-break spaces included), and controls are Cc, Cf, Co, Cs.
         */
        LLAMA_CPP,
        /**
         * Hugging Face's BertNormalizer + BertPreTokenizer, for tokenizer.json: full NFD, only
         * non-spacing marks (Mn) dropped.
         */
        HUGGING_FACE
    }

    private final String[] tokens;
    private final Map<String, Integer> ids;
    private final int maxTokenLength;
    private final int unk;
    private final int cls;
    private final int sep;
    private final boolean lowercase;
    private final boolean stripAccents;
    private final Normalization normalization;

    public WordPieceTokenizer(String[] tokens, int unk, int cls, int sep, boolean lowercase, boolean stripAccents,
                              Normalization normalization) {
        this.tokens = tokens;
        this.ids = new HashMap<>(tokens.length * 2);
        int max = 0;
        for (int i = 0; i < tokens.length; i++) {
            ids.putIfAbsent(tokens[i], i);
            max = Math.max(max, tokens[i].length());
        }
        this.maxTokenLength = max;
        for (int id : new int[] {unk, cls, sep}) {
            if (id < 0 || id >= tokens.length) throw new TokenizerFormatException("special token id " + id + " is outside the vocabulary of " + tokens.length);
        }
        this.unk = unk;
        this.cls = cls;
        this.sep = sep;
        this.lowercase = lowercase;
        this.stripAccents = stripAccents;
        this.normalization = normalization;
    }

    @Override
    public int[] encode(String text, boolean addBos, boolean addEos) {
        List<Integer> out = new ArrayList<>();
        if (addBos) out.add(cls);
        for (String word : words(text)) {
            String w = "\u2581" + word;
            int before = out.size();
            for (int i = 0; i < w.length(); ) {
                int end = Math.min(w.length(), i + maxTokenLength);
                Integer id = null;
                for (; end > i; end--) {
                    id = ids.get(w.substring(i, end));
                    if (id != null) break;
                }
                if (id == null) { // no piece covers this position: the whole word is unknown
                    while (out.size() > before) out.removeLast();
                    break;
                }
                out.add(id);
                i = end;
            }
            if (out.size() == before) out.add(unk);
        }
        if (addEos) out.add(sep);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** BERT's basic tokenization: normalise, then split into words and single-character words. */
    List<String> words(String text) {
        boolean llamaCpp = normalization == Normalization.LLAMA_CPP;
        String t = stripAccents && !llamaCpp ? Normalizer.normalize(text, Normalizer.Form.NFD) : text;
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < t.length(); ) {
            int cp = t.codePointAt(i);
            i += Character.charCount(cp);
            if (llamaCpp && stripAccents) cp = LlamaCppUnicode.firstOfDecomposition(cp);
            int type = Character.getType(cp);
            if (llamaCpp ? LlamaCppUnicode.isWhitespace(cp) : Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                flush(word, words);
                continue;
            }
            if (cp == 0 || cp == 0xFFFD || (llamaCpp ? LlamaCppUnicode.isControl(type) : type == Character.CONTROL || type == Character.FORMAT)) continue;
            if (stripAccents && (llamaCpp ? LlamaCppUnicode.isMark(type) : type == Character.NON_SPACING_MARK)) continue;
            int c = lowercase ? Character.toLowerCase(cp) : cp;
            if (isPunctuation(type) || (cp < 0x7F && isSymbol(type)) || isChinese(cp)) {
                flush(word, words);
                words.add(new String(Character.toChars(c)));
            } else {
                word.appendCodePoint(c);
            }
        }
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (!word.isEmpty()) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    private static boolean isPunctuation(int type) {
        return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }

    private static boolean isSymbol(int type) {
        return type == Character.MATH_SYMBOL || type == Character.CURRENCY_SYMBOL
                || type == Character.MODIFIER_SYMBOL || type == Character.OTHER_SYMBOL;
    }

    /** CJK ideographs, each its own word (the ranges BERT's tokenizer uses). */
    private static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    @Override
    public byte[] decode(int previous, int token) {
        String t = tokens[token];
        if (token == cls || token == sep || (t.startsWith("[") && t.endsWith("]"))) return new byte[0];
        String text = t.startsWith("\u2581") ? (previous == cls ? "" : " ") + t.substring(1) : t;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override public int vocabularySize() { return tokens.length; }
    @Override public int bosId() { return cls; }
    @Override public int eosId() { return sep; }
    @Override public String kind() { return "wordpiece"; }
}
