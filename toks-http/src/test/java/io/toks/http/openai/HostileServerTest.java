package io.toks.http.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.events.ErrorKind;
import io.toks.http.client.HttpWire;
import io.toks.http.client.StreamingHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replies no real server sends, on a raw socket: every request still ends counted under a named
 * error kind, in both transports, and the client's threads survive.
 */
class HostileServerTest {

    /** Serves {@code reply} to every connection (after reading the request head), then closes. */
    static void withServer(Consumer<OutputStream> reply, Consumer<URI> body) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        InputStream in = s.getInputStream();
                        StringBuilder head = new StringBuilder();
                        int a = 0, b = 0, c = 0, d;
                        while ((d = in.read()) >= 0 && !(a == '\r' && b == '\n' && c == '\r' && d == '\n')) {
                            head.append((char) d);
                            a = b; b = c; c = d;
                        }
                        lastRequestHead = head.toString();
                        in.readNBytes(in.available());
                        reply.accept(s.getOutputStream());
                    } catch (IOException e) {
                        // the client went away: the next connection
                    }
                }
            });
            body.accept(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1"));
            server.close();
            t.join(2000);
        }
    }

    /** The head of the request the server read last. */
    static volatile String lastRequestHead;

    static StreamedCompletion ask(URI base, boolean nio) throws IOException {
        return ask(base, nio, ApiFlavor.COMPLETIONS);
    }

    /** The read timeout of most cases: a stall the tests wait for should not take long. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

    static StreamedCompletion ask(URI base, boolean nio, ApiFlavor flavor) throws IOException {
        return ask(base, nio, flavor, READ_TIMEOUT);
    }

    static StreamedCompletion ask(URI base, boolean nio, ApiFlavor flavor, Duration readTimeout) throws IOException {
        try (var http = new StreamingHttpClient(Duration.ofSeconds(2), readTimeout);
             var transport = new NioStreamTransport(Duration.ofSeconds(2), readTimeout)) {
            var client = new OpenAiStreamClient(http, nio ? transport : null, base, flavor, null);
            return client.stream(new CompletionRequest("m", "hi", 4, true, 0, null), "t");
        }
    }

    /** Asserts one request to {@code base} ends as {@code kind}, its message naming {@code fragment}. */
    static void expectFailure(URI base, boolean nio, ErrorKind kind, String fragment) {
        expectFailure(base, nio, ApiFlavor.COMPLETIONS, kind, fragment);
    }

    static void expectFailure(URI base, boolean nio, ApiFlavor flavor, ErrorKind kind, String fragment) {
        expectFailure(base, nio, flavor, READ_TIMEOUT, kind, fragment);
    }

    static void expectFailure(URI base, boolean nio, ApiFlavor flavor, Duration readTimeout, ErrorKind kind, String fragment) {
        try {
            StreamedCompletion c = ask(base, nio, flavor, readTimeout);
            assertThat(c.error()).as(c.errorMessage()).isEqualTo(kind);
            assertThat(c.errorMessage()).contains(fragment);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Consumer<OutputStream> raw(String text) {
        return out -> {
            try {
                out.write(text.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // the client closed first
            }
        };
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aNegativeOrSignedContentLengthIsMalformed(boolean nio) throws Exception {
        for (String length : new String[] {"-5", "+5", "5 5", "99999999999999999999"}) {
            withServer(raw("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " + length + "\r\n\r\ndata: x\n\n"),
                    base -> expectFailure(base, nio, ErrorKind.MALFORMED, "Content-Length"));
        }
    }

    /** Megabytes to write and to read on a busy host: a read timeout long enough that no pause reads as a stall. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anEventThatNeverEndsIsCutOffNotBuffered(boolean nio) throws Exception {
        withServer(out -> {
            try {
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                byte[] line = ("data: " + "x".repeat(65_000) + "\n").getBytes(StandardCharsets.ISO_8859_1);
                byte[] chunk = (Integer.toHexString(line.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                for (int i = 0; i < 200; i++) { // 13 MB of data lines and no blank line
                    out.write(chunk);
                    out.write(line);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (IOException e) {
                // the client gave up, as it should
            }
        }, base -> expectFailure(base, nio, ApiFlavor.COMPLETIONS, Duration.ofSeconds(10), ErrorKind.MALFORMED, "stream event over"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aWebPageInsteadOfAStreamIsMalformedNotCut(boolean nio) throws Exception {
        String page = "<html><body>Please log in</body></html>";
        withServer(raw("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + page.length() + "\r\n\r\n" + page),
                base -> expectFailure(base, nio, ErrorKind.MALFORMED, "web page"));
    }

    /** A server that ignores stream:true answers one JSON completion: named as such, not a stream "cut" short. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aNonStreamedJsonCompletionIsNamedNotCut(boolean nio) throws Exception {
        String completion = "{\"id\":\"c\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"hello there\","
                + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":2}}";
        withServer(raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + completion.length() + "\r\n\r\n" + completion),
                base -> expectFailure(base, nio, ErrorKind.MALFORMED,
                        "the server answered with a non-streamed JSON body (application/json): it ignored stream:true"));
        // chunked, and an error inside: what it said is kept
        String error = "{\"error\":{\"message\":\"streaming is disabled\"}}";
        withServer(raw("HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(error.length()) + "\r\n" + error + "\r\n0\r\n\r\n"),
                base -> expectFailure(base, nio, ErrorKind.MALFORMED, "ignored stream:true (it said: streaming is disabled)"));
    }

    /** Ollama's flavor: a non-streamed answer is one JSON line, the end included, labelled application/json. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aNonStreamedOllamaAnswerIsNamed(boolean nio) throws Exception {
        String whole = "{\"model\":\"m\",\"response\":\"hello there\",\"done\":true,\"done_reason\":\"length\",\"prompt_eval_count\":2,\"eval_count\":2}";
        withServer(raw("HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " + whole.length() + "\r\n\r\n" + whole),
                base -> expectFailure(base, nio, ApiFlavor.OLLAMA, ErrorKind.MALFORMED, "non-streamed JSON body"));
        // the same line as the end of a real stream (NDJSON) is a complete answer
        String stream = "{\"response\":\"hi\",\"done\":false}\n" + whole + "\n";
        withServer(raw("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nContent-Length: " + stream.length() + "\r\n\r\n" + stream),
                base -> {
                    try {
                        StreamedCompletion c = ask(base, nio, ApiFlavor.OLLAMA);
                        assertThat(c.ok()).as(c.errorMessage()).isTrue();
                        assertThat(c.chunks()).isEqualTo(2);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    /** The client asks for no compression; a compressed stream anyway is named with its encoding, not taken for a cut one. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anEncodedStreamIsNamedWithItsEncoding(boolean nio) throws Exception {
        byte[] body = gzip("data: {\"choices\":[{\"text\":\"hi\",\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n");
        withServer(out -> {
            try {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Encoding: gzip\r\nContent-Length: " + body.length
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // the client closed first
            }
        }, base -> expectFailure(base, nio, ErrorKind.MALFORMED, "Content-Encoding gzip"));
        assertThat(lastRequestHead).containsIgnoringCase("\r\nAccept-Encoding: identity");
    }

    private static byte[] gzip(String text) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.GZIPOutputStream(bytes)) {
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void garbageFromModelsIsNamedWithoutParserInternals() throws Exception {
        String body = "{\"data\": [oops";
        withServer(raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body), base -> {
            try (var http = new StreamingHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(2))) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerModels.list(http, base, null))
                        .isInstanceOf(IOException.class).hasMessageContaining("did not answer JSON").hasMessageContaining("[oops")
                        .hasMessageNotContaining("com.fasterxml");
            }
        });
    }

    @Test
    void contentLengthIsDigitsOnly() throws IOException {
        assertThat(HttpWire.contentLength(" 12 ")).isEqualTo(12);
        for (String bad : new String[] {"-1", "+1", "", "1e3", "0x10", "1 2"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpWire.contentLength(bad)).isInstanceOf(IOException.class);
        }
    }
}
