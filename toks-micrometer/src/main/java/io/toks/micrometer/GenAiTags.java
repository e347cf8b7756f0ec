package io.toks.micrometer;

import io.micrometer.core.instrument.Tags;

/**
 * The attributes every meter of a request carries, as the GenAI conventions require them.
 *
 * @param operation {@code gen_ai.operation.name}: {@code chat}, {@code text_completion}, ...
 * @param provider  {@code gen_ai.provider.name}: {@code openai} for an OpenAI-compatible API, {@code toks} for toks serve
 * @param model     {@code gen_ai.request.model}: the model asked for
 */
public record GenAiTags(String operation, String provider, String model) {

    public static final String CHAT = "chat";
    public static final String TEXT_COMPLETION = "text_completion";

    public GenAiTags {
        require("operation", operation);
        require("provider", provider);
        require("model", model);
    }

    Tags tags() {
        return Tags.of(MeterNames.OPERATION_NAME, operation, MeterNames.PROVIDER_NAME, provider, MeterNames.REQUEST_MODEL, model);
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must be a non-blank name, got " + (value == null ? "null" : "'" + value + "'"));
    }
}
