package io.toks.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * SentencePiece-style BPE, as Llama 1/2 and llama2.c use it: the text (with a dummy-prefix space
 * and spaces written as the vocabulary writes them) is split into characters, characters missing
 * from the vocabulary fall back to one {@code <0xXX>} token per UTF-8 byte, then adjacent symbols
 * are merged, always taking the pair whose merged piece has the highest score (leftmost on ties),
 * until no pair forms a piece. This is the order of llama2.c's {@code encode} and of llama.cpp's
 * SPM tokenizer, done with a priority queue so long texts stay O(n log n).
 */
public final class SentencePieceBpeTokenizer implements Tokenizer {

    /** SentencePiece's visible space, U+2581. */
    static final char SPM_SPACE = '\u2581';

    private final Vocabulary vocab;
    private final Map<String, Integer> textPieces;
    private final int[] byteTokens = new int[256];
    private final byte[][] decoded;
    /** The character the vocabulary writes for a space: U+2581 in GGUF, ' ' in llama2.c files. */
    private final char spaceMarker;
    /**
     * True when no text piece contains a newline: merges can then never cross one, so long texts
     * are merged line by line (same result, far smaller merge queues).
     */
    private final boolean newlineSplits;

    public SentencePieceBpeTokenizer(Vocabulary vocab) {
        this.vocab = vocab;
        this.textPieces = vocab.textPieceIndex();
        Arrays.fill(byteTokens, -1);
        boolean markerSeen = false;
        for (int i = 0; i < vocab.size(); i++) {
            String p = vocab.pieces()[i];
            if (vocab.types()[i] == TokenType.BYTE) {
                int b = parseByteToken(p);
                if (b < 0) throw new TokenizerFormatException("byte token " + i + " has piece '" + p + "', expected <0xXX>");
                byteTokens[b] = i;
            }
            markerSeen |= p.indexOf(SPM_SPACE) >= 0;
        }
        this.spaceMarker = markerSeen ? SPM_SPACE : ' ';
        this.newlineSplits = textPieces.keySet().stream().noneMatch(p -> p.indexOf('\n') >= 0 && p.length() > 1);
        this.decoded = new byte[vocab.size()][];
        for (int i = 0; i < vocab.size(); i++) {
            decoded[i] = pieceBytes(i);
        }
    }

    /** Returns 0..255 for a piece of the form {@code <0xXX>}, else -1. */
    static int parseByteToken(String piece) {
        if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') return -1;
        try {
            return Integer.parseInt(piece.substring(3, 5), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private byte[] pieceBytes(int id) {
        return switch (vocab.types()[id]) {
            case BYTE -> new byte[] {(byte) parseByteToken(vocab.pieces()[id])};
            case CONTROL, UNUSED -> new byte[0];
            default -> vocab.pieces()[id].replace(SPM_SPACE, ' ').getBytes(StandardCharsets.UTF_8);
        };
    }

    @Override
    public int[] encode(String text, boolean addBos, boolean addEos) {
        String normalized = text;
        if (vocab.addSpacePrefix() && !text.isEmpty()) normalized = " " + normalized;
        normalized = normalized.replace(' ', spaceMarker);

        List<int[]> segments = new ArrayList<>();
        int total = 0;
        int start = 0;
        while (start < normalized.length()) {
            int nl = newlineSplits ? normalized.indexOf('\n', start) : -1;
            int end = nl < 0 ? normalized.length() : nl + 1;
            int[] ids = initialSymbols(normalized.substring(start, end));
            int count = merge(ids);
            int[] live = new int[count];
            int k = 0;
            for (int id : ids) if (id >= 0) live[k++] = id;
            segments.add(live);
            total += count;
            start = end;
        }
        int[] result = new int[total + (addBos ? 1 : 0) + (addEos ? 1 : 0)];
        int k = 0;
        if (addBos) result[k++] = vocab.bos();
        for (int[] seg : segments) {
            System.arraycopy(seg, 0, result, k, seg.length);
            k += seg.length;
        }
        if (addEos) result[k] = vocab.eos();
        return result;
    }

    /** One symbol per character, or per UTF-8 byte for characters the vocabulary lacks. */
    private int[] initialSymbols(String text) {
        int[] ids = new int[text.length() * 4];
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int len = Character.charCount(cp);
            Integer id = textPieces.get(text.substring(i, i + len));
            if (id != null) {
                ids[n++] = id;
            } else {
                for (byte b : text.substring(i, i + len).getBytes(StandardCharsets.UTF_8)) {
                    int bt = byteTokens[b & 0xFF];
                    ids[n++] = bt >= 0 ? bt : unknownOrFail(cp);
                }
            }
            i += len;
        }
        return Arrays.copyOf(ids, n);
    }

    private int unknownOrFail(int codePoint) {
        if (vocab.unk() >= 0) return vocab.unk();
        throw new TokenizerFormatException(String.format(
                "character U+%04X is not in the vocabulary, which has neither byte tokens nor an unknown token", codePoint));
    }

    /** A candidate merge of the symbol at {@code left} with its right neighbour. */
    private record Candidate(int left, int right, float score, int mergedId, int leftLength, int rightLength) {}

    /**
     * Merges in place. Merged-away slots become -1; returns the number of live symbols.
     * Symbols form a doubly linked list over the array; a candidate is stale when either side
     * changed since it was queued, which the stored lengths detect.
     */
    private int merge(int[] ids) {
        int n = ids.length;
        if (n < 2) return n;
        int[] prev = new int[n];
        int[] next = new int[n];
        int[] length = new int[n];
        String[] text = new String[n];
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            length[i] = 1;
            text[i] = vocab.pieces()[ids[i]];
        }
        var queue = new PriorityQueue<Candidate>((a, b) -> a.score != b.score
                ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        for (int i = 0; i + 1 < n; i++) offer(queue, ids, text, length, i, i + 1);

        int live = n;
        while (!queue.isEmpty()) {
            Candidate c = queue.poll();
            if (ids[c.left] < 0 || ids[c.right] < 0 || next[c.left] != c.right
                    || length[c.left] != c.leftLength || length[c.right] != c.rightLength) {
                continue;
            }
            ids[c.left] = c.mergedId;
            text[c.left] = vocab.pieces()[c.mergedId];
            length[c.left] += length[c.right];
            ids[c.right] = -1;
            int after = next[c.right];
            next[c.left] = after;
            if (after >= 0) prev[after] = c.left;
            live--;
            if (prev[c.left] >= 0) offer(queue, ids, text, length, prev[c.left], c.left);
            if (after >= 0) offer(queue, ids, text, length, c.left, after);
        }
        return live;
    }

    private void offer(PriorityQueue<Candidate> queue, int[] ids, String[] text, int[] length, int left, int right) {
        Integer merged = textPieces.get(text[left] + text[right]);
        if (merged != null) {
            queue.add(new Candidate(left, right, vocab.scores()[merged], merged, length[left], length[right]));
        }
    }

    @Override
    public byte[] decode(int previous, int token) {
        if (token < 0 || token >= decoded.length) {
            throw new IllegalArgumentException("token id " + token + " outside vocabulary of " + decoded.length);
        }
        byte[] piece = decoded[token];
        // The dummy prefix added at encoding is not part of the text: drop it after BOS.
        if (previous == vocab.bos() && vocab.addSpacePrefix() && piece.length > 0 && piece[0] == ' ') {
            return Arrays.copyOfRange(piece, 1, piece.length);
        }
        return piece;
    }

    @Override
    public int vocabularySize() {
        return vocab.size();
    }

    @Override
    public int bosId() {
        return vocab.bos();
    }

    @Override
    public int eosId() {
        return vocab.eos();
    }

    @Override
    public String kind() {
        return "spm-bpe";
    }

    public Vocabulary vocabulary() {
        return vocab;
    }
}
