package io.toks.micrometer;

import static io.toks.micrometer.MeterNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.toks.core.events.ErrorKind;
import io.toks.core.events.FinishReason;
import io.toks.core.events.RequestTrace;
import io.toks.core.events.TokenCountSource;
import io.toks.core.events.TokenEvents;
import io.toks.core.events.Usage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Requests told as events with chosen timestamps come out as the meters of the GenAI conventions,
 * with the figures docs/metrics.md defines, on the side that measured them.
 */
class TokenMetricsTest {

    private static final long T0 = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final GenAiTags TAGS = new GenAiTags(GenAiTags.CHAT, "toks", "stories260K");

    /** A served request: arrives at T0, prefilled 5 prompt tokens by 3 ms, tokens at 5, 7 and 10 ms, ends at 12 ms. */
    private static void serve(TokenEvents events) {
        events.requestDue(T0);
        events.requestSent(T0 + MS);
        events.prefillDone(T0 + 3 * MS, 5);
        events.tokens(T0 + 5 * MS, 1, TokenCountSource.ENGINE_IDS, 11);
        events.tokens(T0 + 7 * MS, 1, TokenCountSource.ENGINE_IDS, 12);
        events.tokens(T0 + 10 * MS, 1, TokenCountSource.ENGINE_IDS, 13);
        events.finished(T0 + 12 * MS, FinishReason.LENGTH, new Usage(5, 3));
    }

    private static RequestTrace served() {
        RequestTrace trace = new RequestTrace(4);
        serve(trace);
        return trace;
    }

    @Test
    void aServedRequestGoesToTheServerMeters() {
        var registry = new SimpleMeterRegistry();
        var metrics = new TokenMetrics(Side.SERVER);
        metrics.bindTo(registry);
        metrics.record(TAGS, served());

        Timer duration = registry.get(SERVER_REQUEST_DURATION).tag(OPERATION_NAME, "chat").tag(PROVIDER_NAME, "toks")
                .tag(REQUEST_MODEL, "stories260K").timer();
        assertThat(duration.count()).isEqualTo(1);
        assertThat(duration.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(12.0);
        assertThat(registry.get(SERVER_TIME_TO_FIRST_TOKEN).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5.0);
        // tpot = (e2e - ttft) / (tokens - 1) = (12 - 5) / 2 ms
        assertThat(registry.get(SERVER_TIME_PER_OUTPUT_TOKEN).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3.5);
        Timer itl = registry.get(INTER_TOKEN_LATENCY).timer();
        assertThat(itl.count()).isEqualTo(2);
        assertThat(itl.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5.0);
        assertThat(itl.max(TimeUnit.MILLISECONDS)).isEqualTo(3.0);

        DistributionSummary output = registry.get(TOKEN_USAGE).tag(TOKEN_TYPE, "output").summary();
        assertThat(output.totalAmount()).isEqualTo(3);
        assertThat(output.getId().getTag(COUNT_SOURCE)).isEqualTo("engine_ids");
        assertThat(registry.get(TOKEN_USAGE).tag(TOKEN_TYPE, "input").summary().totalAmount()).isEqualTo(5);
        // decode_tps = (3 - 1) / (10 ms - 5 ms); prefill_tps = 5 / 3 ms (from arrival: queueing counts)
        assertThat(registry.get(DECODE_TPS).summary().totalAmount()).isCloseTo(400.0, within(1e-9));
        assertThat(registry.get(PREFILL_TPS).summary().totalAmount()).isCloseTo(5 / 0.003, within(1e-6));

        assertThat(registry.find(CLIENT_OPERATION_DURATION).meters()).isEmpty();
        assertThat(registry.find(CLIENT_TIME_PER_OUTPUT_CHUNK).meters()).isEmpty();
    }

    @Test
    void aClientCallSeesChunksAndTakesTheServersUsage() {
        var registry = new SimpleMeterRegistry();
        var metrics = new TokenMetrics(Side.CLIENT);
        metrics.bindTo(registry);
        RequestTrace call = new RequestTrace(4);
        call.requestSent(T0);
        call.tokens(T0 + 20 * MS, 1, TokenCountSource.CHUNKS_COUNTED, -1);
        call.tokens(T0 + 30 * MS, 1, TokenCountSource.CHUNKS_COUNTED, -1);
        call.finished(T0 + 40 * MS, FinishReason.STOP, new Usage(9, 5)); // the server says 5 tokens came in 2 chunks
        metrics.record(TAGS, call);

        assertThat(registry.get(CLIENT_OPERATION_DURATION).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40.0);
        assertThat(registry.get(CLIENT_TIME_TO_FIRST_CHUNK).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20.0);
        assertThat(registry.get(CLIENT_TIME_PER_OUTPUT_CHUNK).timer().count()).isEqualTo(1);
        // tpot counts the server's tokens, not the chunks: (40 - 20) / (5 - 1) ms
        assertThat(registry.get(CLIENT_TIME_PER_OUTPUT_TOKEN).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5.0);
        DistributionSummary output = registry.get(TOKEN_USAGE).tag(TOKEN_TYPE, "output").summary();
        assertThat(output.totalAmount()).isEqualTo(5);
        assertThat(output.getId().getTag(COUNT_SOURCE)).isEqualTo("server_usage");
        assertThat(registry.get(TOKEN_USAGE).tag(TOKEN_TYPE, "input").summary().totalAmount()).isEqualTo(9);
        assertThat(registry.find(PREFILL_TPS).meters()).as("a client cannot see prefill").isEmpty();
        assertThat(registry.find(SERVER_TIME_TO_FIRST_TOKEN).meters()).isEmpty();
        assertThat(registry.find(INTER_TOKEN_LATENCY).meters()).as("a chunk is not a token").isEmpty();
    }

    @Test
    void aFailedRequestCountsOnlyItsDurationWithTheErrorType() {
        var registry = new SimpleMeterRegistry();
        var metrics = new TokenMetrics(Side.SERVER);
        metrics.bindTo(registry);
        RequestTrace failed = new RequestTrace(4);
        failed.requestDue(T0);
        failed.tokens(T0 + 5 * MS, 1, TokenCountSource.ENGINE_IDS, 11);
        failed.failed(T0 + 8 * MS, ErrorKind.SERVER_ERROR, "engine failure");
        metrics.record(TAGS, failed);

        Timer duration = registry.get(SERVER_REQUEST_DURATION).tag(ERROR_TYPE, "server_error").timer();
        assertThat(duration.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(8.0);
        assertThat(registry.find(SERVER_TIME_TO_FIRST_TOKEN).meters()).isEmpty();
        assertThat(registry.find(TOKEN_USAGE).meters()).isEmpty();
    }

    @Test
    void recordingTracesEventsAndRecordsWhenTheRequestEnds() {
        var registry = new SimpleMeterRegistry();
        var metrics = new TokenMetrics(Side.SERVER);
        metrics.bindTo(registry);
        TokenEvents events = metrics.recording(TAGS);
        events.requestDue(T0);
        events.tokens(T0 + MS, 1, TokenCountSource.ENGINE_IDS, 1);
        assertThat(registry.find(SERVER_REQUEST_DURATION).meters()).as("nothing before the end").isEmpty();
        events.finished(T0 + 2 * MS, FinishReason.STOP, new Usage(2, 1));
        assertThat(registry.get(SERVER_REQUEST_DURATION).timer().count()).isEqualTo(1);
        assertThat(registry.find(SERVER_TIME_PER_OUTPUT_TOKEN).meters()).as("tpot needs two tokens").isEmpty();
    }

    @Test
    void everyBoundRegistryGetsTheRequest() {
        var first = new SimpleMeterRegistry();
        var second = new SimpleMeterRegistry();
        var metrics = new TokenMetrics(Side.SERVER);
        metrics.bindTo(first);
        metrics.bindTo(second);
        metrics.record(TAGS, served());
        metrics.record(TAGS, served());
        assertThat(first.get(SERVER_TIME_TO_FIRST_TOKEN).timer().count()).isEqualTo(2);
        assertThat(second.get(SERVER_TIME_TO_FIRST_TOKEN).timer().count()).isEqualTo(2);
    }

    @Test
    void prometheusScrapesConventionNamesWithHistogramsBesideFailures() {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var metrics = new TokenMetrics(Side.SERVER);
        metrics.bindTo(registry);
        metrics.record(TAGS, served());
        RequestTrace failed = new RequestTrace(4);
        failed.requestDue(T0);
        failed.failed(T0 + MS, ErrorKind.CUT, "client went away");
        metrics.record(TAGS, failed);

        String text = registry.scrape();
        assertThat(text).contains("gen_ai_server_time_to_first_token_seconds_bucket{gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"toks\","
                + "gen_ai_request_model=\"stories260K\",le=\"0.005\"} 1");
        assertThat(text).contains("gen_ai_server_time_per_output_token_seconds_count{");
        assertThat(text).contains("toks_inter_token_latency_seconds_count{");
        assertThat(text).containsPattern("gen_ai_client_token_usage_sum\\{[^}]*gen_ai_token_type=\"output\"[^}]*} 3\\.0");
        assertThat(text).containsPattern("gen_ai_server_request_duration_seconds_count\\{error_type=\"cut\",[^}]*} 1");
        assertThat(text).containsPattern("gen_ai_server_request_duration_seconds_count\\{gen_ai_operation_name=[^}]*} 1");
    }

    @Test
    void badInputGetsAClearError() {
        assertThatThrownBy(() -> new GenAiTags("chat", " ", "m")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("provider must be a non-blank name, got ' '");
        assertThatThrownBy(() -> new TokenMetrics(null)).isInstanceOf(IllegalArgumentException.class);
        RequestTrace running = new RequestTrace(4);
        running.requestSent(T0);
        assertThatThrownBy(() -> new TokenMetrics(Side.CLIENT).record(TAGS, running)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("once it has started and ended");
    }
}
