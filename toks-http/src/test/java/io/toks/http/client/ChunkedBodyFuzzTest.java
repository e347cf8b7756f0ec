package io.toks.http.client;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of what the blocking client of toks load does with a chunked response
 * body: chunk framing removed, then the messages split out (SSE and NDJSON). Any outcome but
 * messages, a malformed stream or a body cut short is a defect. In a normal build this runs the
 * seeds in ChunkedBodyFuzzTestInputs; {@code scripts/fuzz.sh ChunkedBodyFuzzTest MINUTES} fuzzes.
 */
class ChunkedBodyFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void readsAnyBodyOrNamesTheProblem(byte[] bytes) throws IOException {
        for (EventStreamReader.Framing framing : EventStreamReader.Framing.values()) {
            ResponseBody body = ResponseBody.chunked(new ByteArrayInputStream(bytes));
            var reader = new EventStreamReader(body, framing, () -> 0L);
            try {
                // Every message takes at least one byte, so the loop ends.
                for (int messages = 0; reader.next() != null; messages++) {
                    if (messages > bytes.length) throw new AssertionError("more messages than bytes");
                }
            } catch (MalformedStreamException | ResponseBody.TruncatedBodyException named) {
                continue; // a named problem
            }
            if (!body.complete()) throw new AssertionError("the stream ended but the chunked body is not complete");
        }
    }
}
