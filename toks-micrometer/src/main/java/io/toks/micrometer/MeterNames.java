package io.toks.micrometer;

/**
 * The names {@link TokenMetrics} publishes: the OpenTelemetry GenAI semantic conventions where
 * they name the quantity (semconv 1.41, status Development), {@code toks.*} where they do not.
 * Prometheus writes dots as underscores and adds the unit: {@code gen_ai.server.time_to_first_token}
 * is scraped as {@code gen_ai_server_time_to_first_token_seconds_bucket/_count/_sum}.
 */
public final class MeterNames {

    private MeterNames() {}

    // Semantic-convention meters (histograms in OpenTelemetry; timers and distribution summaries in Micrometer).

    /** Tokens per request, by {@link #TOKEN_TYPE}; the only token histogram the conventions define, used by both sides. */
    public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    /** The request as the client saw it: call to last chunk (docs/metrics.md {@code e2e}). */
    public static final String CLIENT_OPERATION_DURATION = "gen_ai.client.operation.duration";
    /** Call to the first streamed chunk (docs/metrics.md {@code ttft}, seen by a client). */
    public static final String CLIENT_TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";
    /** Gaps between consecutive streamed chunks: a chunk may carry more than one token. */
    public static final String CLIENT_TIME_PER_OUTPUT_CHUNK = "gen_ai.client.operation.time_per_output_chunk";
    /** The request as the server saw it: arrival to the end of the response (docs/metrics.md {@code e2e}). */
    public static final String SERVER_REQUEST_DURATION = "gen_ai.server.request.duration";
    /** Arrival to the first generated token (docs/metrics.md {@code ttft}, queueing included). */
    public static final String SERVER_TIME_TO_FIRST_TOKEN = "gen_ai.server.time_to_first_token";
    /** (e2e − ttft) / (output tokens − 1) (docs/metrics.md {@code tpot}). */
    public static final String SERVER_TIME_PER_OUTPUT_TOKEN = "gen_ai.server.time_per_output_token";

    // toks meters: what the conventions leave unnamed.

    /** Gaps between consecutive tokens the server generated (docs/metrics.md {@code itl}). */
    public static final String INTER_TOKEN_LATENCY = "toks.inter_token_latency";
    /** A client's {@code tpot}: the conventions name it only on the server. */
    public static final String CLIENT_TIME_PER_OUTPUT_TOKEN = "toks.client.time_per_output_token";
    /** Per request (output tokens − 1) / (last − first token), tokens/s (docs/metrics.md {@code decode_tps}). */
    public static final String DECODE_TPS = "toks.decode_tps";
    /** Per request prompt tokens / prefill time, tokens/s, where prefill is observed (docs/metrics.md {@code prefill_tps}). */
    public static final String PREFILL_TPS = "toks.prefill_tps";

    // Attributes.

    public static final String OPERATION_NAME = "gen_ai.operation.name";
    public static final String PROVIDER_NAME = "gen_ai.provider.name";
    public static final String REQUEST_MODEL = "gen_ai.request.model";
    /** {@code input} or {@code output}. */
    public static final String TOKEN_TYPE = "gen_ai.token.type";
    /** Set on failed requests only: the {@link io.toks.core.events.ErrorKind}, lower case. */
    public static final String ERROR_TYPE = "error.type";
    /** How a token count was known: {@link io.toks.core.events.TokenCountSource}, lower case (a toks attribute). */
    public static final String COUNT_SOURCE = "toks.count_source";
}
