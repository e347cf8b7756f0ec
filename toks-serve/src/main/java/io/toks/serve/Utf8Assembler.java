package io.toks.serve;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns token bytes into text as they come: a character split across tokens (byte-fallback
 * tokens carry single UTF-8 bytes) is held back until it is complete, so a streamed chunk never
 * ends in half a character. Invalid sequences become U+FFFD, as in any UTF-8 decoder.
 */
final class Utf8Assembler {

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** Adds bytes; returns the text that is complete so far (possibly empty). */
    String push(byte[] bytes) {
        pending.writeBytes(bytes);
        byte[] all = pending.toByteArray();
        int complete = completePrefix(all);
        pending.reset();
        pending.write(all, complete, all.length - complete);
        return new String(all, 0, complete, StandardCharsets.UTF_8);
    }

    /** Whatever is left at the end, decoded as it is. */
    String flush() {
        String s = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        return s;
    }

    /** Length of the longest prefix that does not end inside a (so far valid) multi-byte character. */
    static int completePrefix(byte[] b) {
        int n = b.length;
        // Look back at most 3 bytes for the lead byte of a character still missing continuation bytes.
        for (int back = 1; back <= Math.min(3, n); back++) {
            int lead = b[n - back] & 0xff;
            if ((lead & 0xC0) == 0x80) continue; // a continuation byte: keep looking for its lead
            int need = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }
}
