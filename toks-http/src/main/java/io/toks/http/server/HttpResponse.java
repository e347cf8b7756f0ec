package io.toks.http.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The answer to one request: either a whole body ({@link #send}) or a stream of chunks
 * ({@link #startStream}, {@link #writeChunk}, {@link #finish}) flushed one by one, so each chunk
 * leaves the process when it is written. {@link #cut()} drops the connection mid-answer, as a
 * crashing server would; test servers use it to exercise the client's fault handling.
 */
public final class HttpResponse {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final OutputStream out;
    private State state = State.NEW;
    private final byte[] sizeLine = new byte[10];

    private enum State { NEW, STREAMING, DONE, CUT, RAW }

    HttpResponse(Socket socket, OutputStream out) {
        this.socket = socket;
        this.out = out;
    }

    /** Sends a complete response with a Content-Length. */
    public void send(int status, String contentType, byte[] body) throws IOException {
        requireState(State.NEW);
        out.write(head(status, contentType, "Content-Length: " + body.length));
        out.write(body);
        out.flush();
        state = State.DONE;
    }

    public void send(int status, String contentType, String body) throws IOException {
        send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts a chunked response; the head is sent at once. */
    public void startStream(int status, String contentType) throws IOException {
        requireState(State.NEW);
        out.write(head(status, contentType, "Transfer-Encoding: chunked\r\nCache-Control: no-cache"));
        out.flush();
        state = State.STREAMING;
    }

    /** Writes and flushes one chunk of a streamed response. */
    public void writeChunk(byte[] data) throws IOException {
        requireState(State.STREAMING);
        bufferChunk(data);
        out.flush();
    }

    /** One chunk into the output buffer, not yet flushed. */
    private void bufferChunk(byte[] data) throws IOException {
        if (data.length == 0) return; // an empty chunk would end the body
        writeChunkSize(data.length);
        out.write(data);
        out.write(CRLF);
    }

    /** The chunk-size line ("1a3\r\n"), written without building a string: this runs for every event of every stream. */
    private void writeChunkSize(int size) throws IOException {
        int digits = Math.max(1, (35 - Integer.numberOfLeadingZeros(size)) / 4);
        for (int i = digits - 1; i >= 0; i--) sizeLine[digits - 1 - i] = HEX[(size >>> (4 * i)) & 0xf];
        sizeLine[digits] = '\r';
        sizeLine[digits + 1] = '\n';
        out.write(sizeLine, 0, digits + 2);
    }

    public void writeChunk(String text) throws IOException {
        writeChunk(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Ends a streamed response properly. */
    public void finish() throws IOException {
        if (state == State.STREAMING) {
            out.write(LAST_CHUNK);
            out.flush();
            state = State.DONE;
        }
    }

    /**
     * Writes a last chunk and ends the streamed response in one flush, as a server does whose
     * last message and end of body leave together. A client that keeps connections alive gives
     * the body's end only a short while after the stream's end marker before it drops the
     * connection; flushed apart, a server thread descheduled between the two flushes (a busy
     * host) would cost that client its connection.
     */
    public void finish(String lastChunk) throws IOException {
        requireState(State.STREAMING);
        bufferChunk(lastChunk.getBytes(StandardCharsets.UTF_8));
        finish();
    }

    /** Closes the connection at once, leaving the response incomplete. */
    public void cut() {
        state = State.CUT;
        try {
            socket.setSoLinger(true, 0); // reset, not an orderly close: the client sees a broken stream
            socket.close();
        } catch (IOException ignored) {
            // already gone: that is what was wanted
        }
    }

    /**
     * The connection's output as it is, with no framing added, for a test server that must send
     * what a broken server sends (a wrong Content-Length, bad chunk framing, nothing at all). The
     * connection is closed (orderly) once the handler returns: what follows raw bytes is unknowable.
     */
    public OutputStream raw() {
        if (state != State.NEW && state != State.STREAMING) throw new IllegalStateException("response is " + state);
        state = State.RAW;
        return out;
    }

    boolean started() {
        return state != State.NEW;
    }

    boolean reusable() {
        return state == State.DONE;
    }

    private void requireState(State expected) {
        if (state != expected) throw new IllegalStateException("response is " + state + ", expected " + expected);
    }

    private static byte[] head(int status, String contentType, String framing) {
        return ("HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: " + contentType + "\r\n"
                + framing + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 413 -> "Payload Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }
}
