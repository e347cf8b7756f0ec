package io.toks.bench.load;

import io.toks.core.jfr.ToksEvents;
import io.toks.core.events.TokenEvents;
import io.toks.core.target.Target;
import io.toks.core.target.TargetRequest;
import io.toks.http.openai.CompletionRequest;
import io.toks.http.openai.OpenAiStreamClient;
import io.toks.http.openai.StreamedCompletion;

/**
 * An OpenAI-compatible endpoint as a {@link Target}: each request is streamed, every message
 * timestamped where the socket read it; the events are told from that record, so their times are
 * those of the reads. Safe for concurrent requests (the client is).
 */
public final class OpenAiTarget implements Target {

    /**
     * Request parameters common to every request of a run.
     *
     * @param temperature negative for the server's default
     * @param seed        null for none
     */
    public record Settings(String model, double temperature, Long seed) {}

    private final OpenAiStreamClient client;
    private final Settings settings;

    public OpenAiTarget(OpenAiStreamClient client, Settings settings) {
        this.client = client;
        this.settings = settings;
    }

    @Override
    public void run(TargetRequest request, TokenEvents events) {
        stream(request).replay(ToksEvents.recording("client", settings.model(), events));
    }

    /** Opens {@code connections} connections ahead of a level (see {@link OpenAiStreamClient#warmUp}). */
    public void warmUp(int connections) {
        client.warmUp(connections);
    }

    /** The model name requested. */
    public String model() {
        return settings.model();
    }

    /** Streams one request and returns all that was observed (HTTP status, text, per-chunk counts): what the journal keeps. */
    public StreamedCompletion stream(TargetRequest request) {
        return client.stream(new CompletionRequest(settings.model(), request.prompt(), request.maxTokens(), request.forceLength(),
                settings.temperature(), settings.seed()), request.id());
    }
}
