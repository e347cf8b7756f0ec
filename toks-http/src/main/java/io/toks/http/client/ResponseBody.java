package io.toks.http.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of a response, framed as the head said: chunked, a Content-Length, or up to the end
 * of the connection. A body that ends before its framing says it should is a
 * {@link TruncatedBodyException}: a cut connection is never mistaken for a complete answer.
 */
abstract class ResponseBody extends InputStream {

    /** True once the whole body has been read, so the connection can carry another request. */
    abstract boolean complete();

    static ResponseBody chunked(InputStream in) {
        return new Chunked(in);
    }

    static ResponseBody fixed(InputStream in, long length) {
        return new Fixed(in, length);
    }

    static ResponseBody untilClose(InputStream in) {
        return new UntilClose(in);
    }

    /** The connection ended inside a body. */
    static final class TruncatedBodyException extends EOFException {
        TruncatedBodyException(String message) {
            super(message);
        }
    }

    private static final class Chunked extends ResponseBody {
        private final InputStream in;
        private long remaining; // in the current chunk
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        boolean complete() {
            return done;
        }

        private boolean nextChunk() throws IOException {
            if (done) return false;
            String sizeLine = HttpLines.readLine(in);
            if (sizeLine == null) throw new TruncatedBodyException("connection closed before the end of the chunked body");
            remaining = HttpWire.chunkSize(sizeLine);
            if (remaining == 0) {
                // Trailer fields, then the empty line.
                String line;
                do {
                    line = HttpLines.readLine(in);
                    if (line == null) throw new TruncatedBodyException("connection closed inside the last chunk");
                } while (!line.isEmpty());
                done = true;
                return false;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            if (remaining == 0 && !nextChunk()) return -1;
            int b = in.read();
            if (b < 0) throw new TruncatedBodyException("connection closed inside a chunk");
            if (--remaining == 0) endOfChunk();
            return b;
        }

        private void endOfChunk() throws IOException {
            String end = HttpLines.readLine(in);
            if (end == null) throw new TruncatedBodyException("connection closed after a chunk");
            if (!end.isEmpty()) throw new MalformedStreamException("chunk not followed by CRLF");
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0 && !nextChunk()) return -1;
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) throw new TruncatedBodyException("connection closed inside a chunk");
            remaining -= n;
            if (remaining == 0) endOfChunk();
            return n;
        }
    }

    private static final class Fixed extends ResponseBody {
        private final InputStream in;
        private long remaining;

        Fixed(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        boolean complete() {
            return remaining == 0;
        }

        @Override
        public int read() throws IOException {
            if (remaining == 0) return -1;
            int b = in.read();
            if (b < 0) throw new TruncatedBodyException("connection closed with " + remaining + " bytes of the body missing");
            remaining--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) throw new TruncatedBodyException("connection closed with " + remaining + " bytes of the body missing");
            remaining -= n;
            return n;
        }
    }

    private static final class UntilClose extends ResponseBody {
        private final InputStream in;

        UntilClose(InputStream in) {
            this.in = in;
        }

        @Override
        boolean complete() {
            return false; // the connection is used up either way
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }
    }
}
