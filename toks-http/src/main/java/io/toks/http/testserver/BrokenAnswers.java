package io.toks.http.testserver;

import io.toks.http.server.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * The answers of a hostile or broken server, written byte for byte: what {@link HttpResponse}'s
 * own framing would never produce (a wrong Content-Length, bad chunks, events without their
 * blank line, a drip, silence, an HTML error page, a redirect to itself).
 */
final class BrokenAnswers {

    /** Pause between the bytes of a drip that completes: slow, yet quick enough for a test. */
    static final long DRIP_GAP_NANOS = 50_000;
    /** Pause between the bytes of an endless drip: far shorter than any read timeout, so the connection is never silent. */
    static final long ENDLESS_DRIP_GAP_NANOS = 10_000_000;
    /** How long a fault that holds the connection does so at most, if nobody closes it. */
    static final long HOLD_NANOS = 60_000_000_000L;

    private static final String STREAM_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n";

    private BrokenAnswers() {}

    /** Writes a whole-answer fault ({@link ResponsePlan.Fault#wholeAnswer()}) for a 200 plan. */
    static void write(ResponsePlan plan, HttpResponse res) throws IOException {
        switch (plan.fault()) {
            case CLOSE_BEFORE_HEAD -> res.raw(); // nothing; the connection closes when the handler returns
            case RESET_BEFORE_HEAD -> res.cut();
            case STALL_BEFORE_HEAD -> {
                res.raw();
                hold();
            }
            case DRIP -> {
                OutputStream out = res.raw();
                byte[] body = ScriptedOpenAiServer.wholeStream(plan).getBytes(StandardCharsets.UTF_8);
                byte[] all = bytes(STREAM_HEAD + "Content-Length: " + body.length + "\r\n\r\n", body);
                for (byte b : all) {
                    out.write(b);
                    out.flush();
                    LockSupport.parkNanos(DRIP_GAP_NANOS);
                }
            }
            case DRIP_ENDLESS -> {
                OutputStream out = res.raw();
                out.write(bytes(STREAM_HEAD + "Transfer-Encoding: chunked\r\n\r\n"));
                out.flush();
                byte[] oneByteChunk = bytes("1\r\nx\r\n");
                out.write(bytes("6\r\ndata: \r\n"));
                for (long end = System.nanoTime() + HOLD_NANOS; System.nanoTime() < end; ) {
                    out.write(oneByteChunk); // throws once the client has given up and closed
                    out.flush();
                    LockSupport.parkNanos(ENDLESS_DRIP_GAP_NANOS);
                }
            }
            case MISSING_BLANK_LINE -> {
                String body = ScriptedOpenAiServer.wholeStream(plan).replace("\n\n", "\n");
                OutputStream out = res.raw();
                out.write(bytes(STREAM_HEAD + "Content-Length: " + body.length() + "\r\n\r\n" + body));
                out.flush();
            }
            case SHORT_CONTENT_LENGTH -> {
                String body = ScriptedOpenAiServer.wholeStream(plan);
                int half = body.length() / 2; // somewhere inside the chunks: before the finish_reason
                OutputStream out = res.raw();
                out.write(bytes(STREAM_HEAD + "Content-Length: " + half + "\r\n\r\n" + body));
                out.flush();
            }
            case LONG_CONTENT_LENGTH -> {
                String body = ScriptedOpenAiServer.wholeStream(plan);
                OutputStream out = res.raw();
                out.write(bytes(STREAM_HEAD + "Content-Length: " + (body.length() + 100) + "\r\n\r\n" + body));
                out.flush();
                hold();
            }
            case IMPOSSIBLE_USAGE -> {
                String body = ScriptedOpenAiServer.wholeStream(plan).replace(ScriptedOpenAiServer.usage(plan.promptTokens(), plan.totalTokens()),
                        ScriptedOpenAiServer.usage(-3, IMPOSSIBLE_COMPLETION_TOKENS));
                sendRaw(res, STREAM_HEAD, bytes(body));
            }
            case NOT_STREAMED -> {
                String body = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"" + ScriptedOpenAiServer.words(plan.totalTokens(), 0) + "\"},\"finish_reason\":\"length\"}]"
                        + ScriptedOpenAiServer.usage(plan.promptTokens(), plan.totalTokens()) + "}";
                sendRaw(res, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", bytes(body));
            }
            case GZIP_ENCODED -> {
                var zipped = new java.io.ByteArrayOutputStream();
                try (var zip = new java.util.zip.GZIPOutputStream(zipped)) {
                    zip.write(bytes(ScriptedOpenAiServer.wholeStream(plan)));
                }
                sendRaw(res, STREAM_HEAD + "Content-Encoding: gzip\r\n", zipped.toByteArray());
            }
            default -> throw new IllegalArgumentException(plan.fault() + " is not a whole-answer fault");
        }
    }

    /** The completion count {@link ResponsePlan.Fault#IMPOSSIBLE_USAGE} reports. */
    static final int IMPOSSIBLE_COMPLETION_TOKENS = 1_000_000;

    /** A head (status line and headers, without Content-Length) and a body of known length. */
    private static void sendRaw(HttpResponse res, String head, byte[] body) throws IOException {
        OutputStream out = res.raw();
        out.write(bytes(head + "Content-Length: " + body.length + "\r\n\r\n", body));
        out.flush();
    }

    /** A non-200 plan: a JSON error, an HTML page ({@link ResponsePlan.Fault#HTML_ERROR}), or a redirect to the request's own URL. */
    static void error(ResponsePlan plan, String path, String host, HttpResponse res) throws IOException {
        int status = plan.status();
        String reason = status == 502 ? "Bad Gateway" : "Status";
        if (status >= 300 && status < 400) {
            String location = "http://" + host + path;
            OutputStream out = res.raw();
            out.write(bytes("HTTP/1.1 " + status + " Moved\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n"));
            out.flush();
            return;
        }
        if (plan.fault() == ResponsePlan.Fault.HTML_ERROR) {
            String page = "<html>\r\n<head><title>" + status + " " + reason + "</title></head>\r\n<body>\r\n<center><h1>" + status + " "
                    + reason + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
            res.send(status, "text/html", page);
            return;
        }
        res.send(status, "application/json", io.toks.http.server.SmallHttpServer.errorJson("scripted failure " + status));
    }

    /** A framing fault after some good chunks of a streamed (chunked) answer. */
    static void midStream(ResponsePlan.Fault fault, HttpResponse res) throws IOException {
        switch (fault) {
            case OVERSIZED_EVENT -> {
                res.writeChunk("data: " + "x".repeat(9 << 20) + "\n\n");
                res.finish();
            }
            case BAD_CHUNK_SIZE -> {
                OutputStream out = res.raw();
                out.write(bytes("zz\r\ndata: {}\n\n\r\n"));
                out.flush();
            }
            case CHUNK_OVERRUN -> {
                OutputStream out = res.raw();
                out.write(bytes("5\r\ndata: {\"choices\":[]}\n\n\r\n"));
                out.flush();
            }
            default -> throw new IllegalArgumentException(fault + " is not a framing fault");
        }
    }

    /** Holds the connection silent until the client gives up or the server closes. */
    static void hold() {
        LockSupport.parkNanos(HOLD_NANOS);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String head, byte[] body) {
        byte[] h = bytes(head);
        byte[] all = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }
}
