package io.toks.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Adapts picocli's PrintWriter to an OutputStream, so renderers that print to a stream write to
 * the command's configured output (which tests capture). Input is UTF-8 text.
 */
final class WriterOutputStream extends OutputStream {

    private final PrintWriter writer;
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

    WriterOutputStream(PrintWriter writer) {
        this.writer = writer;
    }

    @Override
    public void write(int b) {
        pending.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        pending.write(b, off, len);
    }

    @Override
    public void flush() {
        // Flush only whole UTF-8 characters: a multi-byte character may arrive split across writes.
        byte[] bytes = pending.toByteArray();
        int complete = completeUtf8Prefix(bytes);
        writer.write(new String(bytes, 0, complete, StandardCharsets.UTF_8));
        writer.flush();
        pending.reset();
        pending.write(bytes, complete, bytes.length - complete);
    }

    /** Length of the longest prefix that does not end inside a multi-byte UTF-8 sequence. */
    static int completeUtf8Prefix(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int c = b[n - back] & 0xFF;
            if ((c & 0xC0) == 0x80) continue; // continuation byte: keep looking for the lead byte
            int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }

    @Override
    public void close() {
        flush();
    }
}
