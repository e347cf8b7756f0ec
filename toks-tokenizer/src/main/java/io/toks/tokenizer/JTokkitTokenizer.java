package io.toks.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import io.toks.core.ToksException;
import java.util.Locale;

/**
 * OpenAI's tiktoken encodings (cl100k_base, o200k_base, p50k_base, r50k_base) through the JTokkit library,
 * which ships their rank files. Special tokens in the text are encoded as ordinary text. toks's
 * own {@link TiktokenTokenizer} is checked against this one and compared with it for speed.
 */
public final class JTokkitTokenizer implements Tokenizer {

    private final Encoding encoding;
    private final EncodingType type;

    private JTokkitTokenizer(EncodingType type) {
        this.type = type;
        this.encoding = Encodings.newDefaultEncodingRegistry().getEncoding(type);
    }

    /** By name: cl100k, cl100k_base, o200k, o200k_base, p50k, r50k (case-insensitive); null if not one of them. */
    public static JTokkitTokenizer named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!n.endsWith("_base")) n = n + "_base";
        for (EncodingType t : EncodingType.values()) {
            if (t.getName().equals(n)) return new JTokkitTokenizer(t);
        }
        return null;
    }

    @Override
    public int[] encode(String text, boolean addBos, boolean addEos) {
        if (addBos || addEos) throw new ToksException(type.getName() + " has no begin/end-of-sequence tokens");
        return encoding.encodeOrdinary(text).toArray();
    }

    @Override
    public byte[] decode(int previous, int token) {
        var one = new IntArrayList(1);
        one.add(token);
        return encoding.decodeBytes(one);
    }

    /** One past the largest id, special tokens included (ordinary ranks plus the encodings' special tokens). */
    @Override
    public int vocabularySize() {
        return switch (type) {
            case O200K_BASE -> 200019;
            case CL100K_BASE -> 100277;
            case P50K_BASE, P50K_EDIT -> 50281;
            default -> 50257;
        };
    }

    @Override public int bosId() { return -1; }
    @Override public int eosId() { return -1; }
    @Override public String kind() { return "jtokkit/" + type.getName(); }
}
