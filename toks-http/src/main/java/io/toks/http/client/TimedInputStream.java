package io.toks.http.client;

import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered stream over a socket that remembers when bytes last arrived. Every fill of the
 * buffer is one socket read, timestamped right after it returns: an event parsed from the buffer
 * gets the arrival time of the read that delivered its last byte, not the time the parser got to
 * it. Reads never wait for more bytes than the socket has ready, so that time is honest.
 */
final class TimedInputStream extends InputStream {

    private final InputStream socketIn;
    private final byte[] buffer = new byte[16 * 1024];
    private int pos, limit;
    private long lastArrivalNanos;
    private long bytesRead;

    TimedInputStream(InputStream socketIn) {
        this.socketIn = socketIn;
    }

    /** {@code System.nanoTime()} right after the latest socket read that returned bytes. */
    long lastArrivalNanos() {
        return lastArrivalNanos;
    }

    long bytesRead() {
        return bytesRead;
    }

    private boolean fill() throws IOException {
        int n = socketIn.read(buffer, 0, buffer.length);
        if (n <= 0) return false;
        lastArrivalNanos = System.nanoTime();
        bytesRead += n;
        pos = 0;
        limit = n;
        return true;
    }

    @Override
    public int read() throws IOException {
        if (pos == limit && !fill()) return -1;
        return buffer[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos == limit && !fill()) return -1;
        int n = Math.min(len, limit - pos);
        System.arraycopy(buffer, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return limit - pos;
    }

    @Override
    public void close() throws IOException {
        socketIn.close();
    }
}
