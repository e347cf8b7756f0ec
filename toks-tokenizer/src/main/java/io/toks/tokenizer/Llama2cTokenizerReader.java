package io.toks.tokenizer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads llama2.c's {@code tokenizer.bin} / {@code tok*.bin}: an int32 maximum piece length, then
 * per token a float32 score, an int32 byte length and the UTF-8 piece, little-endian. The file
 * does not say how many tokens it holds; the model's header does. Ids 0, 1, 2 are unk, BOS, EOS
 * as in Llama's SentencePiece model, and pieces {@code <0xXX>} are byte-fallback tokens.
 */
public final class Llama2cTokenizerReader {

    private Llama2cTokenizerReader() {}

    public static SentencePieceBpeTokenizer read(ByteBuffer file, int vocabularySize, String source) {
        if (vocabularySize < 3) {
            throw new TokenizerFormatException(source + ": vocabulary size " + vocabularySize + " is too small");
        }
        ByteBuffer buf = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        // Every token takes at least 8 bytes (score, length): a vocabulary size the file cannot
        // hold is refused before tables of that size are made.
        long atLeast = 4 + 8L * vocabularySize;
        if (buf.remaining() < atLeast) {
            throw new TokenizerFormatException(source + ": " + buf.remaining() + " bytes cannot hold " + vocabularySize
                    + " tokens (at least " + atLeast + " bytes); truncated tokenizer file, or one for another model?");
        }
        String[] pieces = new String[vocabularySize];
        float[] scores = new float[vocabularySize];
        TokenType[] types = new TokenType[vocabularySize];
        need(buf, 4, source, "max_token_length");
        int maxLength = buf.getInt();
        if (maxLength <= 0 || maxLength > 1 << 16) {
            throw new TokenizerFormatException(source + ": offset 0: max_token_length " + maxLength + " is not plausible; not a llama2.c tokenizer file?");
        }
        for (int i = 0; i < vocabularySize; i++) {
            need(buf, 8, source, "token " + i + " header");
            scores[i] = buf.getFloat();
            int len = buf.getInt();
            if (len < 0 || len > maxLength) {
                throw new TokenizerFormatException(source + ": offset " + (buf.position() - 4) + ": token " + i
                        + " length " + len + " outside 0.." + maxLength);
            }
            need(buf, len, source, "token " + i + " bytes");
            byte[] bytes = new byte[len];
            buf.get(bytes);
            pieces[i] = new String(bytes, StandardCharsets.UTF_8);
            types[i] = i == 0 ? TokenType.UNKNOWN
                    : i <= 2 ? TokenType.CONTROL
                    : SentencePieceBpeTokenizer.parseByteToken(pieces[i]) >= 0 ? TokenType.BYTE
                    : TokenType.NORMAL;
        }
        return new SentencePieceBpeTokenizer(new Vocabulary(pieces, scores, types, 1, 2, 0, true));
    }

    /** Reads a tokenizer file on its own, counting its entries (the model header is not at hand). */
    public static SentencePieceBpeTokenizer readAll(ByteBuffer file, String source) {
        ByteBuffer buf = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        need(buf, 4, source, "max_token_length");
        buf.getInt();
        int count = 0;
        while (buf.remaining() >= 8) {
            buf.getFloat();
            int len = buf.getInt();
            if (len < 0 || len > buf.remaining()) break;
            buf.position(buf.position() + len);
            count++;
        }
        if (count < 3) { // read() would say "vocabulary size 0 is too small", which names no file format
            throw new TokenizerFormatException(source + ": " + count + " token entries in llama2.c's layout, fewer than the 3 "
                    + "special tokens (unknown, BOS, EOS) it starts with");
        }
        return read(file, count, source);
    }

    private static void need(ByteBuffer buf, int bytes, String source, String field) {
        if (buf.remaining() < bytes) {
            throw new TokenizerFormatException(source + ": offset " + buf.position() + ": file ends inside " + field
                    + " (needs " + bytes + " bytes, " + buf.remaining() + " left); truncated tokenizer file?");
        }
    }
}
