package io.toks.langchain4j;

import io.toks.micrometer.GenAiTags;
import io.toks.micrometer.Side;
import io.toks.micrometer.TokenMetrics;

/**
 * Publishes every measured call as client-side meters ({@link TokenMetrics} on
 * {@link Side#CLIENT}): {@code gen_ai.client.operation.duration},
 * {@code gen_ai.client.operation.time_to_first_chunk}, {@code gen_ai.client.operation.time_per_output_chunk},
 * {@code gen_ai.client.token.usage}, {@code toks.decode_tps}. Needs toks-micrometer on the class path
 * (an optional dependency of this module).
 *
 * <pre>{@code
 * TokenMetrics metrics = new TokenMetrics(Side.CLIENT);
 * metrics.bindTo(meterRegistry);
 * var model = new MeasuredStreamingChatModel(delegate, new MicrometerCallListener(metrics, "openai"));
 * }</pre>
 */
public final class MicrometerCallListener implements CallListener {

    private final TokenMetrics metrics;
    private final String provider;

    /** @param provider {@code gen_ai.provider.name}: {@code openai}, {@code anthropic}, ... as the conventions name them */
    public MicrometerCallListener(TokenMetrics metrics, String provider) {
        if (metrics.side() != Side.CLIENT) throw new IllegalArgumentException("a model's calls are client-side: give TokenMetrics of Side.CLIENT");
        if (provider == null || provider.isBlank()) throw new IllegalArgumentException("provider must be a non-blank name (gen_ai.provider.name), got " + provider);
        this.metrics = metrics;
        this.provider = provider;
    }

    @Override
    public void measured(MeasuredCall call) {
        metrics.record(new GenAiTags(GenAiTags.CHAT, provider, call.model()), call.trace());
    }
}
