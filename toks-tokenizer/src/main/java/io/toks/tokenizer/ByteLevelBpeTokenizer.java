package io.toks.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE, as GPT-2, Llama 3, Qwen2 and DeepSeek use it: the text is split into pieces by
 * a {@link PreTokenizer}, each piece's UTF-8 bytes are written as GPT-2's printable stand-in
 * characters (byte b is itself when printable, else U+0100 + n), and adjacent symbols are
 * merged, always the pair with the lowest merge rank, until no ranked pair remains. Every byte
 * has a token, so any text encodes and decoding is exact.
 */
public final class ByteLevelBpeTokenizer implements Tokenizer {

    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        // GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the other 68
        // bytes map in order to U+0100, U+0101, ...
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_TO_CHAR[b] = printable ? (char) b : (char) (256 + n++);
            CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
        }
    }

    private final String[] tokens;
    private final TokenType[] types;
    private final Map<String, Integer> ids;
    private final Map<String, Integer> mergeRanks;
    private final List<String> merges;
    private final PreTokenizer preTokenizer;
    private final int bos;
    private final int eos;
    private final byte[][] decoded;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();
    /** User-defined tokens, longest first: matched in the text before pre-tokenization, as llama.cpp does. */
    private final List<String> userDefined;
    /** User-defined and control tokens, longest first: what {@link #encode(String, boolean, boolean, boolean)} matches when asked to parse special tokens. */
    private final List<String> allSpecial;
    private final List<String> warnings;

    /**
     * @param tokens the vocabulary in GPT-2 stand-in characters ("Ġthe")
     * @param merges merge rules in rank order, each "left right"
     */
    public ByteLevelBpeTokenizer(String[] tokens, TokenType[] types, List<String> merges, PreTokenizer preTokenizer,
                                 int bos, int eos) {
        this(tokens, types, merges, preTokenizer, bos, eos, List.of());
    }

    /** As above, carrying warnings about how the tokenizer was built (e.g. a fallback pre-tokenizer). */
    public ByteLevelBpeTokenizer(String[] tokens, TokenType[] types, List<String> merges, PreTokenizer preTokenizer,
                                 int bos, int eos, List<String> warnings) {
        if (tokens.length != types.length) throw new TokenizerFormatException("tokens and token types disagree in length");
        this.tokens = tokens;
        this.types = types;
        this.preTokenizer = preTokenizer;
        this.bos = bos;
        this.eos = eos;
        this.ids = new HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) ids.putIfAbsent(tokens[i], i);
        // Several real vocabularies (Falcon, MPT, StarCoder, ...) have no token for some bytes; a text
        // that needs one loses that byte, as in llama.cpp. Said once, as a warning.
        int missingBytes = 0;
        for (int b = 0; b < 256; b++) if (!ids.containsKey(String.valueOf(BYTE_TO_CHAR[b]))) missingBytes++;
        List<String> notes = new ArrayList<>(warnings);
        if (missingBytes > 0) {
            notes.add("the vocabulary has no token for " + missingBytes + " of the 256 bytes: a text that needs one loses that byte (as in llama.cpp)");
        }
        this.warnings = List.copyOf(notes);
        this.merges = List.copyOf(merges);
        this.mergeRanks = new HashMap<>(merges.size() * 2);
        for (int r = 0; r < merges.size(); r++) {
            String m = merges.get(r);
            int space = m.indexOf(' ', 1);
            if (space < 0) throw new TokenizerFormatException("merge " + r + " '" + m + "' is not two symbols separated by a space");
            mergeRanks.putIfAbsent(m.substring(0, space) + '\u0000' + m.substring(space + 1), r);
        }
        this.decoded = new byte[tokens.length][];
        for (int i = 0; i < tokens.length; i++) decoded[i] = decodeToken(i);
        List<String> user = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if (types[i] == TokenType.USER_DEFINED && !tokens[i].isEmpty()) user.add(new String(decoded[i], StandardCharsets.UTF_8));
        }
        user.sort((a, b) -> Integer.compare(b.length(), a.length()));
        this.userDefined = user;
        List<String> special = new ArrayList<>(user);
        for (int i = 0; i < tokens.length; i++) if (types[i] == TokenType.CONTROL && !tokens[i].isEmpty()) special.add(tokens[i]);
        special.sort((a, b) -> Integer.compare(b.length(), a.length()));
        this.allSpecial = special;
    }

    private byte[] decodeToken(int id) {
        if (types[id] == TokenType.CONTROL || types[id] == TokenType.UNUSED) return new byte[0];
        String t = tokens[id];
        if (types[id] == TokenType.USER_DEFINED) return t.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[t.length()];
        int n = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) return t.getBytes(StandardCharsets.UTF_8); // not a byte-level piece: take it literally
            out[n++] = (byte) b;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    @Override
    public int[] encode(String text, boolean addBos, boolean addEos) {
        return encode(text, addBos, addEos, false);
    }

    /**
     * Encodes text; with {@code parseSpecial}, control tokens written in the text (e.g.
     * "&lt;|eot_id|&gt;") become their ids, as chat templates need. Without it only user-defined
     * tokens are matched (llama.cpp's default), and a control token's text is tokenized as text.
     */
    public int[] encode(String text, boolean addBos, boolean addEos, boolean parseSpecial) {
        List<Integer> out = new ArrayList<>();
        // A vocabulary without a begin/end token (a tokenizer.json may name none) adds nothing, as llama.cpp does.
        if (addBos && bos >= 0) out.add(bos);
        for (Object fragment : partition(text, parseSpecial ? allSpecial : userDefined)) {
            if (fragment instanceof Integer id) {
                out.add(id);
                continue;
            }
            encodeText((String) fragment, out);
        }
        if (addEos && eos >= 0) out.add(eos);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The text split around user-defined tokens: Strings to tokenize, Integers already tokens. */
    private List<Object> partition(String text, List<String> specials) {
        List<Object> fragments = new ArrayList<>(List.of(text));
        for (String special : specials) {
            if (!text.contains(special)) continue;
            int id = ids.get(tokenForm(special));
            List<Object> next = new ArrayList<>();
            for (Object f : fragments) {
                if (!(f instanceof String s)) {
                    next.add(f);
                    continue;
                }
                int from = 0, at;
                while ((at = s.indexOf(special, from)) >= 0) {
                    if (at > from) next.add(s.substring(from, at));
                    next.add(id);
                    from = at + special.length();
                }
                if (from < s.length()) next.add(s.substring(from));
            }
            fragments = next;
        }
        return fragments;
    }

    /** The vocabulary's spelling of a user-defined token's text (stored literally or byte-mapped). */
    private String tokenForm(String text) {
        if (ids.containsKey(text)) return text;
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) sb.append(BYTE_TO_CHAR[b & 0xFF]);
        return sb.toString();
    }

    private void encodeText(String text, List<Integer> out) {
        for (String piece : preTokenizer.split(text)) {
            int[] pieceIds = cache.get(piece);
            if (pieceIds == null) {
                pieceIds = encodePiece(piece);
                if (cache.size() < 1 << 16) cache.put(piece, pieceIds); // bounded: pieces repeat, text does not
            }
            for (int id : pieceIds) out.add(id);
        }
    }

    private record Candidate(int left, int right, int rank, String merged, int leftLength, int rightLength) {}

    private int[] encodePiece(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        String[] sym = new String[n];
        for (int i = 0; i < n; i++) sym[i] = String.valueOf(BYTE_TO_CHAR[bytes[i] & 0xFF]);
        if (preTokenizer.ignoresMerges() && n > 1) {
            Integer whole = ids.get(String.join("", sym));
            if (whole != null) return new int[] {whole};
        }
        int[] next = new int[n], prev = new int[n], length = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
            length[i] = 1;
        }
        var queue = new PriorityQueue<Candidate>((a, b) -> a.rank != b.rank ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
        for (int i = 0; i + 1 < n; i++) offer(queue, sym, length, i, i + 1);
        while (!queue.isEmpty()) {
            Candidate c = queue.poll();
            if (sym[c.left] == null || sym[c.right] == null || next[c.left] != c.right
                    || length[c.left] != c.leftLength || length[c.right] != c.rightLength) continue;
            sym[c.left] = c.merged;
            length[c.left] += length[c.right];
            sym[c.right] = null;
            int after = next[c.right];
            next[c.left] = after;
            if (after >= 0) prev[after] = c.left;
            if (prev[c.left] >= 0) offer(queue, sym, length, prev[c.left], c.left);
            if (after >= 0) offer(queue, sym, length, c.left, after);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i >= 0 && i < n; i = next[i]) {
            Integer id = ids.get(sym[i]);
            if (id != null) {
                out.add(id);
            } else {
                // A merged symbol missing from the vocabulary: fall back to its bytes (a byte without a token is dropped).
                for (char ch : sym[i].toCharArray()) {
                    Integer byteId = ids.get(String.valueOf(ch));
                    if (byteId != null) out.add(byteId);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private void offer(PriorityQueue<Candidate> queue, String[] sym, int[] length, int left, int right) {
        Integer rank = mergeRanks.get(sym[left] + '\u0000' + sym[right]);
        if (rank != null) queue.add(new Candidate(left, right, rank, sym[left] + sym[right], length[left], length[right]));
    }

    @Override
    public byte[] decode(int previous, int token) {
        if (token < 0 || token >= decoded.length) {
            throw new IllegalArgumentException("token id " + token + " outside vocabulary of " + decoded.length);
        }
        return decoded[token];
    }

    /** The token's text as stored, special tokens included (e.g. "<|begin_of_text|>"). */
    public String piece(int token) {
        return tokens[token];
    }

    @Override public List<String> warnings() { return warnings; }

    /** The vocabulary in GPT-2 stand-in characters, as given (what GGUF's tokenizer.ggml.tokens holds). */
    public List<String> tokens() { return List.of(tokens); }

    /** The type of each token, as given. */
    public List<TokenType> types() { return List.of(types); }

    /** The merge rules in rank order, each "left right", as given. */
    public List<String> merges() { return merges; }

    public PreTokenizer preTokenizer() { return preTokenizer; }
    @Override public int vocabularySize() { return tokens.length; }
    @Override public int bosId() { return bos; }
    @Override public int eosId() { return eos; }
    @Override public String kind() { return "byte-bpe/" + preTokenizer.name(); }
}
