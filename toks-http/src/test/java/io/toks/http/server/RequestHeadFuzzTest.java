package io.toks.http.server;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/**
 * Coverage-guided fuzzing of toks serve's request reader: any bytes a client sends on a
 * connection are requests (kept-alive one after another) or a refusal with a 4xx status and a
 * message. Any other outcome is a defect. In a normal build this runs the seeds in
 * RequestHeadFuzzTestInputs; {@code scripts/fuzz.sh RequestHeadFuzzTest MINUTES} fuzzes.
 */
class RequestHeadFuzzTest {

    private static final Set<Integer> REFUSALS = Set.of(400, 408, 411, 413);
    private static final RequestReader READER = new RequestReader(4096, Duration.ofSeconds(30));

    @FuzzTest(maxDuration = "60s")
    void readsAnyBytesOrRefusesThem(byte[] bytes) throws IOException {
        var in = new ByteArrayInputStream(bytes);
        // Every request takes at least one byte, so the loop ends.
        for (int requests = 0; requests <= bytes.length; requests++) {
            HttpRequest r;
            try {
                r = READER.read(in);
            } catch (BadRequest refused) {
                if (!REFUSALS.contains(refused.status) || refused.getMessage() == null || refused.getMessage().isEmpty()) {
                    throw new AssertionError("refusal " + refused.status + " '" + refused.getMessage() + "'");
                }
                return;
            }
            if (r == null) return;
            if (r.method().isEmpty() || r.path() == null || r.body().length > 4096) {
                throw new AssertionError("accepted a request with method '" + r.method() + "', path '" + r.path() + "', "
                        + r.body().length + " body bytes");
            }
        }
        throw new AssertionError("more requests than bytes");
    }
}
