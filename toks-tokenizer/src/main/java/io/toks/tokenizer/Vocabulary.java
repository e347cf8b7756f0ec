package io.toks.tokenizer;

import java.util.HashMap;
import java.util.Map;

/**
 * The pieces of a SentencePiece-style vocabulary with their merge scores and types.
 *
 * @param pieces      token id to piece text
 * @param scores      token id to merge priority: among candidate merges the highest wins
 * @param types       token id to type
 * @param bos         begin-of-sequence id
 * @param eos         end-of-sequence id
 * @param unk         unknown-token id, or -1
 * @param addSpacePrefix whether encoding prepends a space (SentencePiece's "dummy prefix")
 */
public record Vocabulary(String[] pieces, float[] scores, TokenType[] types, int bos, int eos, int unk,
                         boolean addSpacePrefix) {

    public Vocabulary {
        int n = pieces.length;
        if (n == 0) throw new TokenizerFormatException("vocabulary is empty");
        if (scores.length != n || types.length != n) {
            throw new TokenizerFormatException("vocabulary arrays disagree: " + n + " pieces, "
                    + scores.length + " scores, " + types.length + " types");
        }
        checkId("bos", bos, n);
        checkId("eos", eos, n);
        if (unk != -1) checkId("unk", unk, n);
    }

    private static void checkId(String what, int id, int size) {
        if (id < 0 || id >= size) {
            throw new TokenizerFormatException(what + " token id " + id + " is outside the vocabulary of " + size);
        }
    }

    public int size() {
        return pieces.length;
    }

    /** Piece text to id for the pieces that text can be made of (not control, byte or unused). */
    Map<String, Integer> textPieceIndex() {
        Map<String, Integer> map = new HashMap<>(pieces.length * 2);
        for (int i = 0; i < pieces.length; i++) {
            TokenType t = types[i];
            if (t == TokenType.NORMAL || t == TokenType.USER_DEFINED || t == TokenType.UNDEFINED) {
                map.putIfAbsent(pieces[i], i);
            }
        }
        return map;
    }
}
