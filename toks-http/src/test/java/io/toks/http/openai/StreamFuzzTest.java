package io.toks.http.openai;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.toks.http.client.EventStreamAssembler;
import io.toks.http.client.EventStreamReader;
import io.toks.http.client.StreamEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of what reads a server's stream in toks load: SSE and NDJSON framing
 * (bytes cut into reads at fuzzer-chosen places), then every message through the chunk parser of
 * each API flavor. Any outcome but messages or a named malformation is a defect. In a normal
 * build this runs the seeds in StreamFuzzTestInputs; {@code scripts/fuzz.sh StreamFuzzTest MINUTES} fuzzes.
 */
class StreamFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parsesAnyStreamOrNamesTheProblem(byte[] bytes) {
        for (EventStreamReader.Framing framing : EventStreamReader.Framing.values()) {
            List<StreamEvent> events = new ArrayList<>();
            EventStreamAssembler assembler = new EventStreamAssembler(framing, events::add);
            try {
                int cut = bytes.length == 0 ? 0 : (bytes[0] & 0xFF) % (bytes.length + 1); // reads end anywhere
                assembler.feed(bytes, 0, cut, 1);
                assembler.feed(bytes, cut, bytes.length - cut, 2);
                assembler.end(3);
            } catch (IOException e) {
                continue; // a named framing problem
            }
            for (ApiFlavor flavor : ApiFlavor.values()) {
                StreamChunkParser parser = new StreamChunkParser(flavor);
                for (StreamEvent e : events) {
                    try {
                        parser.parse(e.data());
                    } catch (StreamChunkParser.MalformedChunkException malformed) {
                        // named
                    }
                }
            }
        }
    }
}
