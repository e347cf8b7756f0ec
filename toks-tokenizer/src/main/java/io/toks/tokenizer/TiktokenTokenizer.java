package io.toks.tokenizer;

import io.toks.core.ToksException;
import io.toks.core.UserCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * OpenAI's tiktoken encodings, toks's own implementation: the text is split into pieces, a piece
 * that is itself a token is taken whole, and otherwise its UTF-8 bytes are merged pairwise,
 * always the adjacent pair whose joined bytes have the lowest rank, until no joined pair is a
 * token (tiktoken's rank BPE: the rank of the result stands for the merge's priority; {@link RankPairMerger}).
 * <p>
 * The rank files of cl100k_base, o200k_base, p50k_base and r50k_base are read from the JTokkit
 * library's jar, which ships them; {@link JTokkitTokenizer} is the reference this class is checked
 * against. Special tokens written in the text are encoded as ordinary text (tiktoken's
 * {@code encode_ordinary}); their ids decode to their text.
 */
public final class TiktokenTokenizer implements Tokenizer {

    private static final String CONTRACTION = "(?i:'s|'t|'re|'ve|'m|'ll|'d)?";
    private static final String O200K_EXPRESSION = String.join("|",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+" + CONTRACTION,
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*" + CONTRACTION,
            "\\p{N}{1,3}", " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*", "\\s*[\\r\\n]+", "\\s+(?!\\S)", "\\s+");
    private static final String R50K_EXPRESSION = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** What defines one encoding besides its rank file. */
    private record Encoding(String name, TextSplitter splitter, Map<String, Integer> specials) {}

    private static Encoding encoding(String name) {
        return switch (name) {
            case "cl100k_base" -> new Encoding(name, new Cl100kStyleSplitter(3), Map.of("<|endoftext|>", 100257,
                    "<|fim_prefix|>", 100258, "<|fim_middle|>", 100259, "<|fim_suffix|>", 100260, "<|endofprompt|>", 100276));
            case "o200k_base" -> new Encoding(name, TextSplitter.regex(O200K_EXPRESSION),
                    Map.of("<|endoftext|>", 199999, "<|endofprompt|>", 200018));
            case "p50k_base", "r50k_base" -> new Encoding(name, TextSplitter.regex(R50K_EXPRESSION), Map.of("<|endoftext|>", 50256));
            default -> null;
        };
    }

    private final String name;
    private final TextSplitter splitter;
    private final ByteRankTable ranks;
    /** The special tokens' bytes by id (ids at or past {@link ByteRankTable#ranks()}, or in its gaps). */
    private final Map<Integer, byte[]> specialBytes = new java.util.HashMap<>();
    private final int vocabularySize;

    private TiktokenTokenizer(String name, TextSplitter splitter, ByteRankTable ranks, Map<String, Integer> specials) {
        this.name = name;
        this.splitter = splitter;
        this.ranks = ranks;
        for (int b = 0; b < 256; b++) {
            if (ranks.get(new byte[] {(byte) b}, 0, 1) < 0) throw new TokenizerFormatException(name + ": no token for byte " + b);
        }
        int size = ranks.ranks();
        for (int id : specials.values()) size = Math.max(size, id + 1);
        this.vocabularySize = size;
        specials.forEach((text, id) -> specialBytes.put(id, text.getBytes(StandardCharsets.UTF_8)));
    }

    /** By name: cl100k, cl100k_base, o200k, p50k, r50k (case-insensitive); null if not one of them. */
    public static TiktokenTokenizer named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!n.endsWith("_base")) n = n + "_base";
        Encoding e = encoding(n);
        if (e == null) return null;
        String resource = "/com/knuddels/jtokkit/" + n + ".tiktoken";
        byte[] file;
        try (InputStream in = JTokkitTokenizer.class.getResourceAsStream(resource)) {
            if (in == null) throw new ToksException("rank file " + resource + " not on the class path (JTokkit jar missing?)");
            file = in.readAllBytes();
        } catch (IOException ex) {
            throw new ToksException("cannot read " + resource + ": " + ex.getMessage(), ex);
        }
        return new TiktokenTokenizer(e.name(), e.splitter(), RankTableCache.table(e.name(), file, UserCache.root().resolve("tiktoken")),
                e.specials());
    }

    /** The encoding {@code name} (cl100k_base, o200k_base, p50k_base, r50k_base) with the ranks of {@code rankFile}. */
    static TiktokenTokenizer withRanks(String name, InputStream rankFile) throws IOException {
        Encoding e = encoding(name);
        if (e == null) throw new IllegalArgumentException("no tiktoken encoding " + name);
        return withRanks(e, rankFile);
    }

    private static TiktokenTokenizer withRanks(Encoding e, InputStream rankFile) throws IOException {
        return new TiktokenTokenizer(e.name(), e.splitter(), new ByteRankTable(readRanks(rankFile, e.name())), e.specials());
    }

    /**
     * A tiktoken rank file: one token per line, its bytes in base64, a space, its rank. Ranks
     * must be distinct; gaps are allowed (the ids are never produced), but no more gaps than
     * tokens, so a file's size bounds the table made from it (one line naming rank 10,000,000
     * does not make a table of ten million entries).
     *
     * <p>Parsed from the bytes, with no String per line: cl100k's 100,000 lines are most of a
     * cold {@code toks tokenize}'s time, spent in the interpreter before the JIT gets to this
     * loop (docs/performance.md, "Cold start").
     */
    static byte[][] readRanks(InputStream in, String source) throws IOException {
        return readRanks(in.readAllBytes(), source);
    }

    static byte[][] readRanks(byte[] file, String source) {
        int tokens = countTokenLines(file);
        byte[][] byRank = new byte[0][];
        int size = 0, lineNumber = 0;
        for (int start = 0; start < file.length; ) {
            int end = start;
            while (end < file.length && file[end] != '\n') end++;
            lineNumber++;
            int last = end;
            while (last > start && (file[last - 1] == '\r' || file[last - 1] == ' ' || file[last - 1] == '\t')) last--;
            if (last > start) {
                int space = start;
                while (space < last && file[space] != ' ') space++;
                if (space == start || space == last) throw badLine(source, lineNumber, "no space");
                byte[] token = decodeBase64(file, start, space);
                if (token == null) throw badLine(source, lineNumber, "not base64");
                int rank = parseRank(file, space + 1, last);
                if (rank == NEGATIVE) throw badLine(source, lineNumber, "negative rank");
                if (rank < 0) throw badLine(source, lineNumber, "rank not a number in 0..10000000");
                if (rank >= 2L * tokens) {
                    throw new TokenizerFormatException(source + " line " + lineNumber + ": rank " + rank + " is out of range for a file of "
                            + tokens + " tokens (ranks must be below " + 2L * tokens + ")");
                }
                if (rank >= byRank.length) byRank = Arrays.copyOf(byRank, Math.max(rank + 1, byRank.length * 2));
                if (byRank[rank] != null) throw new TokenizerFormatException(source + " line " + lineNumber + ": rank " + rank + " given twice");
                byRank[rank] = token;
                size = Math.max(size, rank + 1);
            }
            start = end + 1;
        }
        if (size == 0) throw new TokenizerFormatException(source + ": no ranks");
        return Arrays.copyOf(byRank, size);
    }

    /** Lines with anything but blanks on them: an upper bound of the tokens a rank file holds. */
    private static int countTokenLines(byte[] file) {
        int count = 0;
        boolean content = false;
        for (byte b : file) {
            if (b == '\n') {
                if (content) count++;
                content = false;
            } else if (b != '\r' && b != ' ' && b != '\t') {
                content = true;
            }
        }
        return content ? count + 1 : count;
    }

    private static TokenizerFormatException badLine(String source, int lineNumber, String why) {
        return new TokenizerFormatException(source + " line " + lineNumber + ": not 'BASE64 RANK' (" + why + ")");
    }

    /** Base64 digit values (RFC 4648 alphabet), -1 for anything else. */
    private static final byte[] BASE64_DIGIT = new byte[128];

    static {
        Arrays.fill(BASE64_DIGIT, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) BASE64_DIGIT[alphabet.charAt(i)] = (byte) i;
    }

    /**
     * The bytes base64 text {@code s[from, to)} encodes, padding optional (as {@link java.util.Base64}'s
     * basic decoder reads it), or null if it is not base64.
     */
    static byte[] decodeBase64(byte[] s, int from, int to) {
        int pad = 0;
        while (to - pad > from && s[to - pad - 1] == '=' && pad < 2) pad++;
        int digits = to - from - pad;
        if (digits % 4 == 1 || (pad > 0 && (to - from) % 4 != 0)) return null;
        byte[] out = new byte[digits / 4 * 3 + Math.max(0, digits % 4 - 1)];
        int bits = 0, nbits = 0, o = 0;
        for (int i = from; i < from + digits; i++) {
            int c = s[i];
            int d = c >= 0 && c < 128 ? BASE64_DIGIT[c] : -1;
            if (d < 0) return null;
            bits = bits << 6 | d;
            nbits += 6;
            if (nbits >= 8) {
                nbits -= 8;
                out[o++] = (byte) (bits >> nbits);
            }
        }
        return out;
    }

    private static final int NEGATIVE = -2;

    /** The decimal rank in {@code s[from, to)} (leading blanks allowed), {@link #NEGATIVE} for a minus sign, or -1 if none or above 10,000,000. */
    private static int parseRank(byte[] s, int from, int to) {
        while (from < to && (s[from] == ' ' || s[from] == '\t')) from++;
        if (from < to && s[from] == '-') return NEGATIVE;
        if (from == to || to - from > 8) return -1;
        int rank = 0;
        for (int i = from; i < to; i++) {
            if (s[i] < '0' || s[i] > '9') return -1;
            rank = rank * 10 + (s[i] - '0');
        }
        return rank > 10_000_000 ? -1 : rank;
    }

    @Override
    public int[] encode(String text, boolean addBos, boolean addEos) {
        if (addBos || addEos) throw new ToksException(name + " has no begin/end-of-sequence tokens");
        var encoder = new PieceEncoder(text);
        splitter.split(text, encoder);
        return Arrays.copyOf(encoder.ids, encoder.count);
    }

    /** Encodes the pieces of one text; holds the buffers, so one per call and thread. */
    private final class PieceEncoder implements TextSplitter.Sink {
        private final String text;
        private byte[] bytes = new byte[64];
        private final RankPairMerger merger = new RankPairMerger(ranks);
        private final java.util.function.IntConsumer addId = this::add;
        int[] ids;
        int count;

        PieceEncoder(String text) {
            this.text = text;
            this.ids = new int[Math.max(16, text.length() / 3)];
        }

        @Override
        public void piece(int start, int end) {
            int length = utf8(start, end);
            int whole = ranks.get(bytes, 0, length);
            if (whole >= 0) {
                add(whole);
            } else {
                merger.merge(bytes, length, addId);
            }
        }

        private void add(int id) {
            if (count == ids.length) ids = Arrays.copyOf(ids, count * 2);
            ids[count++] = id;
        }

        /** UTF-8 of text[start, end) into {@code bytes}; a lone surrogate becomes '?', as String.getBytes does. */
        private int utf8(int start, int end) {
            if (bytes.length < (end - start) * 3) bytes = new byte[(end - start) * 3];
            int n = 0;
            for (int i = start; i < end; i++) {
                char c = text.charAt(i);
                if (c < 0x80) {
                    bytes[n++] = (byte) c;
                } else if (c < 0x800) {
                    bytes[n++] = (byte) (0xC0 | c >> 6);
                    bytes[n++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, text.charAt(++i));
                        bytes[n++] = (byte) (0xF0 | cp >> 18);
                        bytes[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                        bytes[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                        bytes[n++] = (byte) (0x80 | cp & 0x3F);
                    } else {
                        bytes[n++] = '?';
                    }
                } else {
                    bytes[n++] = (byte) (0xE0 | c >> 12);
                    bytes[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                    bytes[n++] = (byte) (0x80 | c & 0x3F);
                }
            }
            return n;
        }
    }

    @Override
    public byte[] decode(int previous, int token) {
        byte[] bytes = specialBytes.get(token);
        if (bytes == null) bytes = ranks.bytesOf(token);
        if (bytes == null) throw new ToksException("token id " + token + " is not in " + name);
        return bytes;
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override public int bosId() { return -1; }
    @Override public int eosId() { return -1; }
    @Override public String kind() { return "tiktoken/" + name; }
}
