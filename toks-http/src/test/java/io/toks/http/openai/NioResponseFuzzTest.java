package io.toks.http.openai;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;

/**
 * Coverage-guided fuzzing of the selector transport's response parser (the default transport of
 * toks load): status line and headers, chunked or Content-Length or until-close framing, then
 * SSE or NDJSON messages and the chunk JSON of each API flavor, with the bytes cut into two reads
 * at a fuzzer-chosen place. Any outcome but a result or a named malformation is a defect. In a
 * normal build this runs the seeds in NioResponseFuzzTestInputs;
 * {@code scripts/fuzz.sh NioResponseFuzzTest MINUTES} fuzzes.
 */
class NioResponseFuzzTest {

    private static final URI ENDPOINT = URI.create("http://127.0.0.1:8080/v1/completions");

    @FuzzTest(maxDuration = "60s")
    void parsesAnyResponseOrNamesTheProblem(byte[] bytes) {
        int cut = bytes.length == 0 ? 0 : (bytes[0] & 0xFF) % (bytes.length + 1); // reads end anywhere
        for (ApiFlavor flavor : ApiFlavor.values()) {
            var conn = new NioStreamTransport.Conn(ENDPOINT, new byte[0], flavor);
            try {
                conn.parse(bytes, 0, cut, 1);
                conn.parse(bytes, cut, bytes.length - cut, 2);
            } catch (NioStreamTransport.MalformedResponse | StreamChunkParser.MalformedChunkException named) {
                // a named malformation
            }
        }
    }
}
