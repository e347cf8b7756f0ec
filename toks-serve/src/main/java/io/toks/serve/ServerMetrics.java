package io.toks.serve;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.toks.core.events.RequestTrace;
import io.toks.micrometer.GenAiTags;
import io.toks.micrometer.Side;
import io.toks.micrometer.TokenMetrics;

/**
 * The server's side of every request the engine took, as {@link TokenMetrics} publishes it
 * (TTFT from the request's arrival, so queueing counts; TPOT; inter-token latency; token
 * usage), kept in a Prometheus registry that {@link OpenAiServer} serves at {@code GET /metrics}.
 */
public final class ServerMetrics {

    /** {@code gen_ai.provider.name} of toks serve's requests. */
    static final String PROVIDER = "toks";
    /** The Prometheus text exposition format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final TokenMetrics tokens = new TokenMetrics(Side.SERVER);

    public ServerMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** @param registry a registry of the application's own, to serve its other meters beside the server's */
    public ServerMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        tokens.bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    void record(GenAiTags tags, RequestTrace trace) {
        tokens.record(tags, trace);
    }

    String scrape() {
        return registry.scrape();
    }
}
