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
    private final java.util.function.Supplier<String> timedOut;
    private final byte[] buffer = new byte[16 * 1024];
    private int pos, limit;
    private long lastArrivalNanos;
    private long bytesRead;

    /**
     * @param timedOut why a watchdog closed the socket for silence, null until it did: the read
     *                 that fails then reports that timeout, not a reset
     */
    TimedInputStream(InputStream socketIn, java.util.function.Supplier<String> timedOut) {
        this.socketIn = socketIn;
        this.timedOut = timedOut;
    }

    /** {@code System.nanoTime()} right after the latest socket read that returned bytes. */
    long lastArrivalNanos() {
        return lastArrivalNanos;
    }

    long bytesRead() {
        return bytesRead;
    }

    private boolean fill() throws IOException {
        int n;
        try {
            n = socketIn.read(buffer, 0, buffer.length);
        } catch (IOException e) {
            if (timedOut.get() != null) throw new java.net.SocketTimeoutException(timedOut.get());
            throw e;
        }
        if (n < 0 && timedOut.get() != null) throw new java.net.SocketTimeoutException(timedOut.get());
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

    /** Bytes readable without waiting: those buffered here and those the socket already holds. */
    @Override
    public int available() throws IOException {
        return limit - pos + (limit == pos ? socketIn.available() : 0);
    }

    @Override
    public void close() throws IOException {
        socketIn.close();
    }
}
