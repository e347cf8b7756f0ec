package io.toks.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the pieces a byte-level BPE merges within, by the regular expressions of
 * each model family (as llama.cpp applies them for each {@code tokenizer.ggml.pre}). Several
 * expressions apply in sequence: each splits every piece left by the previous one, and text
 * between matches stays a piece of its own.
 */
public final class PreTokenizer {

    private static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
    private static final String CONTRACTIONS = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";
    private static final String LLAMA3 = CONTRACTIONS
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String QWEN2 = CONTRACTIONS
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String CJK = "[\u4e00-\u9fa5\u0800-\u4e00\uac00-\ud7ff]+";

    /** Expressions by {@code tokenizer.ggml.pre} name. */
    private static final Map<String, List<String>> BY_NAME = Map.ofEntries(
            Map.entry("gpt2", List.of(GPT2)), // what toks wrote before it took llama.cpp's name
            Map.entry("gpt-2", List.of(GPT2)),
            Map.entry("mpt", List.of(GPT2)),
            Map.entry("gpt-neox", List.of(GPT2)),
            Map.entry("olmo", List.of(GPT2)),
            Map.entry("llama3", List.of(LLAMA3)),
            Map.entry("llama-bpe", List.of(LLAMA3)),
            Map.entry("smaug-bpe", List.of(LLAMA3)),
            Map.entry("dbrx", List.of(LLAMA3)),
            Map.entry("qwen2", List.of(QWEN2)),
            Map.entry("stablelm2", List.of(QWEN2)),
            Map.entry("deepseek-coder", List.of("[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", CJK, "\\p{N}")),
            Map.entry("deepseek-llm", List.of("[\r\n]", "\\s?[A-Za-z\u00b5\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u01ba\u01bc-\u01bf\u01c4-\u0293\u0295-\u02af\u0370-\u0373\u0376\u0377\u037b-\u037d\u037f\u0386\u0388-\u038a\u038c\u038e-\u03a1\u03a3-\u03f5\u03f7-\u0481\u048a-\u052f\u0531-\u0556\u10a0-\u10c5\u13a0-\u13f5\u13f8-\u13fd\u1c90-\u1cba\u1cbd-\u1cbf\u1d00-\u1d2b\u1d6b-\u1d77\u1d79-\u1d9a\u1e00-\u1f15\u1f18-\u1f1d\u1f20-\u1f45\u1f48-\u1f4d\u1f50-\u1f57\u1f59\u1f5b\u1f5d\u1f5f-\u1f7d\u1f80-\u1fb4\u1fb6-\u1fbc\u1fbe\u1fc2-\u1fc4\u1fc6-\u1fcc\u1fd0-\u1fd3\u1fd6-\u1fdb\u1fe0-\u1fec\u1ff2-\u1ff4\u1ff6-\u1ffc\u2102\u2107\u210a-\u2113\u2115\u2119-\u211d\u2124\u2126\u2128\u212a-\u212d\u212f-\u2134\u2139\u213c-\u213f\u2145-\u2149\u214e\u2183\u2184\u2c00-\u2c7b\u2c7e-\u2ce4\u2ceb-\u2cee\u2cf2\u2cf3\ua640-\ua66d\ua680-\ua69b\ua722-\ua76f\ua771-\ua787\ua78b-\ua78e\uab70-\uabbf\ufb00-\ufb06\ufb13-\ufb17\uff21-\uff3a\uff41-\uff5a]+",
                    "\\s?[!-/:-~\uff01-\uff0f\uff1a-\uff5e\u2018-\u201f\u3000-\u3002]+", "\\s+$", CJK, "\\p{N}+")),
            Map.entry("falcon", List.of("[\\p{P}\\$\\+<=>\\^~\\|`]+", GPT2, "[0-9][0-9][0-9]")),
            Map.entry("starcoder", List.of("\\p{N}", GPT2)),
            Map.entry("refact", List.of("\\p{N}", GPT2)),
            Map.entry("smollm", List.of("\\p{N}", GPT2)),
            Map.entry("command-r", List.of("\\p{N}", GPT2)));

    /** Families whose tokenizer.json sets ignore_merges: a piece that is itself a token is taken whole. */
    private static final java.util.Set<String> IGNORE_MERGES = java.util.Set.of("llama3", "llama-bpe", "llama-v3");

    /** The cl100k-style expressions, as toks and as Hugging Face files write them, to their scanner's digit limit. */
    private static final Map<String, Integer> SCANNED = Map.of(LLAMA3, 3, QWEN2, 1,
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", 3,
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", 1);

    private final String name;
    private final List<Pattern> patterns;
    private final boolean ignoreMerges;
    /** The same split as {@link #patterns} by a hand-written scanner, when the expression is one it knows; else null. */
    private final Cl100kStyleSplitter scanner;

    private PreTokenizer(String name, List<String> expressions, boolean ignoreMerges) {
        this.name = name;
        this.patterns = expressions.stream().map(e -> Pattern.compile(e, Pattern.UNICODE_CHARACTER_CLASS)).toList();
        this.ignoreMerges = ignoreMerges;
        Integer digits = expressions.size() == 1 ? SCANNED.get(expressions.getFirst()) : null;
        this.scanner = digits == null ? null : new Cl100kStyleSplitter(digits);
    }

    /**
     * A pre-tokenizer from its expressions (as a Hugging Face tokenizer.json states them), applied
     * in order, each match and each gap between matches a piece ("Isolated").
     *
     * @throws java.util.regex.PatternSyntaxException when an expression is not valid Java regex
     */
    public static PreTokenizer of(String name, List<String> expressions, boolean ignoreMerges) {
        return new PreTokenizer(name, expressions, ignoreMerges);
    }

    /** The GPT-2 expression, which byte-level pre-tokenization applies when asked to use its regex. */
    static String gpt2Expression() {
        return GPT2;
    }

    /** The pre-tokenizer of this name, or null when toks does not know it. */
    public static PreTokenizer named(String name) {
        List<String> e = BY_NAME.get(name.toLowerCase(Locale.ROOT));
        return e == null ? null : new PreTokenizer(name, e, IGNORE_MERGES.contains(name.toLowerCase(Locale.ROOT)));
    }

    public String name() {
        return name;
    }

    /** Whether a piece found whole in the vocabulary skips the merges (Llama 3's ignore_merges). */
    public boolean ignoresMerges() {
        return ignoreMerges;
    }

    public List<String> split(String text) {
        if (scanner != null) {
            List<String> pieces = new ArrayList<>();
            scanner.split(text, (start, end) -> pieces.add(text.substring(start, end)));
            return pieces;
        }
        List<String> pieces = List.of(text);
        for (Pattern p : patterns) {
            List<String> next = new ArrayList<>();
            for (String piece : pieces) splitKeepingGaps(p, piece, next);
            pieces = next;
        }
        return pieces;
    }

    private static void splitKeepingGaps(Pattern p, String s, List<String> out) {
        Matcher m = p.matcher(s);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) out.add(s.substring(last, m.start()));
            if (m.end() > m.start()) out.add(s.substring(m.start(), m.end()));
            last = m.end();
        }
        if (last < s.length()) out.add(s.substring(last));
    }
}
