package io.toks.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a slow, greedy or sly client gets from the server: a clean refusal, never a stuck thread. */
class SmallHttpServerTest {

    static SmallHttpServer server(SmallHttpServer.Limits limits) throws IOException {
        return new SmallHttpServer("127.0.0.1", 0, 1 << 16, (req, res) -> res.send(200, "text/plain", "ok " + req.bodyText()), limits);
    }

    /** Sends {@code request}, returns everything the server writes until it closes (or 5 s pass). */
    static String exchange(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void halfARequestHeadIsAnswered408WhenTheTimeIsUp() throws IOException {
        try (var server = server(new SmallHttpServer.Limits(Duration.ofMillis(300), 100))) {
            String reply = exchange(server.port(), "POST /x HTTP/1.1\r\nHost: a\r\nContent-Le");
            assertThat(reply).startsWith("HTTP/1.1 408");
            String body = exchange(server.port(), "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
            assertThat(body).startsWith("HTTP/1.1 408");
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedAndTheServerStillAnswers() throws Exception {
        try (var server = server(new SmallHttpServer.Limits(Duration.ofSeconds(5), 2))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Socket s = new Socket("127.0.0.1", server.port());
                    s.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1)); // and no more
                    held.add(s);
                }
                // One acceptor takes connections in the order they were made and counts each before
                // the next: the third is refused however late the server gets to it.
                assertThat(exchange(server.port(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 503");
            } finally {
                for (Socket s : held) s.close();
            }
            // The server counts a closed connection out once its thread has seen the close: soon, not at once.
            String reply = "";
            for (long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos(); System.nanoTime() < deadline; Thread.sleep(50)) {
                reply = exchange(server.port(), "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                if (reply.startsWith("HTTP/1.1 200")) break;
            }
            assertThat(reply).as("answered within 5 s of the held connections' close").startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedByTheServerAfterTheDeadline() throws Exception {
        // A deadline far above the pause between the two requests: a busy host's stall cannot close the connection early.
        try (var server = server(new SmallHttpServer.Limits(Duration.ofSeconds(2), 100));
             Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000); // the server closes well before: this only bounds a server that never does
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            out.write("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\na".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(readUntil(in, "ok a")).startsWith("HTTP/1.1 200");
            Thread.sleep(100); // idle for less than the deadline: the connection is still kept alive
            out.write("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nb".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(readUntil(in, "ok b")).startsWith("HTTP/1.1 200");
            // Now idle past the deadline: the server closes (end of stream), no 408, since no request had begun.
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    /** Reads one response, up to and including its body {@code end}. */
    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith(end)) {
            int c = in.read();
            if (c < 0) throw new IOException("closed after: " + b);
            b.append((char) c);
        }
        return b.toString();
    }

    @Test
    void conflictingOrSignedLengthsAreRefusedAndHttp10Closes() throws IOException {
        try (var server = server(SmallHttpServer.Limits.DEFAULT)) {
            assertThat(exchange(server.port(), "POST /x HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"))
                    .startsWith("HTTP/1.1 400").contains("conflicting Content-Length");
            assertThat(exchange(server.port(), "POST /x HTTP/1.1\r\nContent-Length: +3\r\n\r\nabc")).startsWith("HTTP/1.1 400");
            // HTTP/1.0 without keep-alive: one response, then the server closes (exchange returns instead of timing out)
            String reply = exchange(server.port(), "POST /x HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(reply).startsWith("HTTP/1.1 200").endsWith("ok abc");
        }
    }
}
