package io.toks.core.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.meter.TokenMeter;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TokenMeter's calls appear in a JFR recording as request and chunk events with their token counts. */
class MeterEventsTest {

    @Test
    void anOutsideRecordingGetsRequestsButNotKernelEvents() {
        // As -XX:StartFlightRecording or jcmd JFR.start would: no toks settings at all.
        try (Recording recording = new Recording()) {
            recording.start();
            assertThat(ToksEvents.requestsEnabled()).isTrue();
            assertThat(ToksEvents.stepsEnabled()).isTrue();
            assertThat(ToksEvents.kernelsEnabled()).isFalse();
            recording.enable(ToksEvents.KERNEL_EVENT);
            assertThat(ToksEvents.kernelsEnabled()).isTrue();
        }
    }

    @Test
    void meteredCallsAreRecorded(@TempDir Path tmp) throws Exception {
        TokenMeter meter = TokenMeter.create("my-model");
        Path file = tmp.resolve("meter.jfr");
        try (Recording recording = new Recording()) {
            recording.enable(ToksEvents.REQUEST_EVENT);
            recording.enable(ToksEvents.CHUNK_EVENT);
            recording.start();
            try (var call = meter.start(12)) {
                call.firstToken();
                call.tokens(3);
                call.tokens(2);
            }
            recording.stop();
            recording.dump(file);
        }
        List<JfrTrace.Span> spans = JfrTrace.read(file).spans();
        assertThat(spans.stream().filter(s -> s.event().equals(ToksEvents.CHUNK_EVENT)).map(s -> s.fields().get("tokens")))
                .containsExactly(1, 3, 2);
        JfrTrace.Span request = spans.stream().filter(s -> s.event().equals(ToksEvents.REQUEST_EVENT)).findFirst().orElseThrow();
        assertThat(request.fields()).containsEntry("source", "meter").containsEntry("model", "my-model")
                .containsEntry("promptTokens", 12).containsEntry("outputTokens", 6);
        assertThat((long) request.fields().get("ttftNanos")).isBetween(0L, request.durationNanos());
        assertThat(JfrTrace.read(file).summary().requests()).isEqualTo(1);
    }
}
