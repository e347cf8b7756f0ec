package io.toks.tokenizer;

import io.toks.core.ToksException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OpenAI's tiktoken encodings, toks's own implementation: the text is split into pieces, a piece
 * that is itself a token is taken whole, and otherwise its UTF-8 bytes are merged pairwise,
 * always the adjacent pair whose joined bytes have the lowest rank, until no joined pair is a
 * token (tiktoken's rank BPE: the rank of the result stands for the merge's priority).
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
    private final byte[][] tokenBytes;

    private TiktokenTokenizer(String name, TextSplitter splitter, byte[][] ordinary, Map<String, Integer> specials) {
        this.name = name;
        this.splitter = splitter;
        this.ranks = new ByteRankTable(ordinary);
        for (int b = 0; b < 256; b++) {
            if (ranks.get(new byte[] {(byte) b}, 0, 1) < 0) throw new TokenizerFormatException(name + ": no token for byte " + b);
        }
        int size = ordinary.length;
        for (int id : specials.values()) size = Math.max(size, id + 1);
        this.tokenBytes = Arrays.copyOf(ordinary, size);
        specials.forEach((text, id) -> tokenBytes[id] = text.getBytes(StandardCharsets.UTF_8));
    }

    /** By name: cl100k, cl100k_base, o200k, p50k, r50k (case-insensitive); null if not one of them. */
    public static TiktokenTokenizer named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!n.endsWith("_base")) n = n + "_base";
        Encoding e = encoding(n);
        if (e == null) return null;
        String resource = "/com/knuddels/jtokkit/" + n + ".tiktoken";
        try (InputStream in = JTokkitTokenizer.class.getResourceAsStream(resource)) {
            if (in == null) throw new ToksException("rank file " + resource + " not on the class path (JTokkit jar missing?)");
            return withRanks(e, in);
        } catch (IOException ex) {
            throw new ToksException("cannot read " + resource + ": " + ex.getMessage(), ex);
        }
    }

    /** The encoding {@code name} (cl100k_base, o200k_base, p50k_base, r50k_base) with the ranks of {@code rankFile}. */
    static TiktokenTokenizer withRanks(String name, InputStream rankFile) throws IOException {
        Encoding e = encoding(name);
        if (e == null) throw new IllegalArgumentException("no tiktoken encoding " + name);
        return withRanks(e, rankFile);
    }

    private static TiktokenTokenizer withRanks(Encoding e, InputStream rankFile) throws IOException {
        return new TiktokenTokenizer(e.name(), e.splitter(), readRanks(rankFile, e.name()), e.specials());
    }

    /**
     * A tiktoken rank file: one token per line, its bytes in base64, a space, its rank. Ranks
     * must be distinct; gaps are allowed (the ids are never produced), but no more gaps than
     * tokens, so a file's size bounds the table made from it (one line naming rank 10,000,000
     * does not make a table of ten million entries).
     */
    static byte[][] readRanks(InputStream in, String source) throws IOException {
        List<byte[]> tokens = new ArrayList<>();
        List<Integer> ranks = new ArrayList<>();
        int maxRank = -1, maxRankLine = 0;
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        String line;
        int lineNumber = 0;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isEmpty()) continue;
            int space = line.indexOf(' ');
            byte[] token;
            int rank;
            try {
                if (space <= 0) throw new IllegalArgumentException("no space");
                token = Base64.getDecoder().decode(line.substring(0, space));
                rank = Integer.parseInt(line.substring(space + 1).trim());
                if (rank < 0) throw new IllegalArgumentException("negative rank");
            } catch (IllegalArgumentException e) {
                throw new TokenizerFormatException(source + " line " + lineNumber + ": not 'BASE64 RANK' (" + e.getMessage() + ")");
            }
            tokens.add(token);
            ranks.add(rank);
            if (rank > maxRank) {
                maxRank = rank;
                maxRankLine = lineNumber;
            }
        }
        if (tokens.isEmpty()) throw new TokenizerFormatException(source + ": no ranks");
        if (maxRank >= 2L * tokens.size()) {
            throw new TokenizerFormatException(source + " line " + maxRankLine + ": rank " + maxRank + " is out of range for a file of "
                    + tokens.size() + " tokens (ranks must be below " + 2 * tokens.size() + ")");
        }
        byte[][] byRank = new byte[maxRank + 1][];
        for (int i = 0; i < tokens.size(); i++) {
            int rank = ranks.get(i);
            if (byRank[rank] != null) throw new TokenizerFormatException(source + ": rank " + rank + " given twice");
            byRank[rank] = tokens.get(i);
        }
        return byRank;
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
        private int[] partStart = new int[65];
        private int[] pairRank = new int[64];
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
                mergePairs(length);
            }
        }

        /**
         * Byte-pair merging by rank over {@code bytes[0, length)}: parts are byte ranges between
         * boundaries; pairRank[p] is the rank of parts p and p+1 joined. The scan for the lowest
         * rank is linear, which beats a heap for pieces of a few bytes, as nearly all are.
         */
        private void mergePairs(int length) {
            if (partStart.length < length + 1) {
                partStart = new int[length + 1];
                pairRank = new int[length];
            }
            int boundaries = length + 1;
            for (int i = 0; i < boundaries; i++) partStart[i] = i;
            for (int p = 0; p + 2 < boundaries; p++) pairRank[p] = rankOrMax(p, p + 2);
            while (boundaries > 2) {
                int best = -1, bestRank = Integer.MAX_VALUE;
                for (int p = 0; p + 2 < boundaries; p++) {
                    if (pairRank[p] < bestRank) {
                        bestRank = pairRank[p];
                        best = p;
                    }
                }
                if (best < 0) break;
                System.arraycopy(partStart, best + 2, partStart, best + 1, boundaries - best - 2);
                System.arraycopy(pairRank, best + 2, pairRank, best + 1, Math.max(0, boundaries - best - 4));
                boundaries--;
                if (best + 2 < boundaries) pairRank[best] = rankOrMax(best, best + 2);
                if (best > 0) pairRank[best - 1] = rankOrMax(best - 1, best + 1);
            }
            for (int p = 0; p + 1 < boundaries; p++) add(ranks.get(bytes, partStart[p], partStart[p + 1] - partStart[p]));
        }

        private int rankOrMax(int fromBoundary, int toBoundary) {
            int s = partStart[fromBoundary];
            int r = ranks.get(bytes, s, partStart[toBoundary] - s);
            return r < 0 ? Integer.MAX_VALUE : r;
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
        if (token < 0 || token >= tokenBytes.length || tokenBytes[token] == null) {
            throw new ToksException("token id " + token + " is not in " + name);
        }
        return tokenBytes[token];
    }

    @Override
    public int vocabularySize() {
        return tokenBytes.length;
    }

    @Override public int bosId() { return -1; }
    @Override public int eosId() { return -1; }
    @Override public String kind() { return "tiktoken/" + name; }
}
