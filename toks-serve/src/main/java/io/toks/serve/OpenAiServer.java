package io.toks.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toks.core.events.ErrorKind;
import io.toks.core.events.FinishReason;
import io.toks.core.events.TokenCountSource;
import io.toks.core.events.TokenEvents;
import io.toks.core.events.Usage;
import io.toks.engine.sampling.Sampler;
import io.toks.http.server.HttpRequest;
import io.toks.http.server.HttpResponse;
import io.toks.http.server.SmallHttpServer;
import io.toks.tokenizer.Tokenizer;
import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OpenAI API over a {@link GenerationScheduler}: {@code /v1/completions},
 * {@code /v1/chat/completions} (streamed or not, with {@code usage}, {@code stream_options},
 * {@code max_tokens}, {@code temperature}, {@code top_p}, {@code seed}, {@code stop},
 * {@code ignore_eos}, {@code min_tokens}), {@code /v1/models} and {@code /health}. Each text chunk
 * is flushed as soon as its token is sampled. Bad requests get OpenAI-style JSON errors.
 */
public final class OpenAiServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GenerationScheduler scheduler;
    private final Tokenizer tokenizer;
    private final String modelName;
    /** Request bodies: one JSON value and nothing after it (bytes after the body are a malformed request, not ignored). */
    private static final com.fasterxml.jackson.databind.ObjectReader REQUEST_READER =
            JSON.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** When the server started, in Unix seconds: the models' {@code created}. */
    private final long startedAt = System.currentTimeMillis() / 1000;
    private final int maxTokensLimit;
    private final SmallHttpServer http;
    private final AtomicLong ids = new AtomicLong();

    /**
     * @param maxTokensLimit largest max_tokens accepted
     * @param maxBodyBytes   largest request body accepted
     */
    public OpenAiServer(GenerationScheduler scheduler, String modelName, String host, int port, int maxTokensLimit,
                        int maxBodyBytes) throws IOException {
        this.scheduler = scheduler;
        this.tokenizer = scheduler.model().tokenizer();
        this.modelName = modelName;
        this.maxTokensLimit = maxTokensLimit;
        this.http = new SmallHttpServer(host, port, maxBodyBytes, this::handle);
    }

    public int port() {
        return http.port();
    }

    private void handle(HttpRequest req, HttpResponse res) throws IOException {
        String path = req.path();
        if (path.startsWith("/v1/models/")) {
            String id = java.net.URLDecoder.decode(path.substring("/v1/models/".length()), java.nio.charset.StandardCharsets.UTF_8);
            if (id.equals(modelName)) res.send(200, "application/json", modelObject().toString());
            else error(res, 404, "invalid_request_error", "model", "the model '" + id + "' does not exist here; this server serves '" + modelName + "'");
            return;
        }
        switch (path) {
            case "/health", "/v1/health" -> res.send(200, "application/json", "{\"status\":\"ok\"}");
            case "/v1/models" -> res.send(200, "application/json", JSON.createObjectNode().put("object", "list")
                    .set("data", JSON.createArrayNode().add(modelObject())).toString());
            case "/v1/completions", "/v1/chat/completions" -> {
                if (!req.method().equals("POST")) {
                    error(res, 405, "invalid_request_error", null, path + " takes POST");
                    return;
                }
                complete(req, res, path.endsWith("chat/completions"));
            }
            default -> error(res, 404, "invalid_request_error", null, "no such endpoint: " + req.method() + " " + path);
        }
    }

    private ObjectNode modelObject() {
        return JSON.createObjectNode().put("id", modelName).put("object", "model").put("created", startedAt).put("owned_by", "toks");
    }

    private void complete(HttpRequest req, HttpResponse res, boolean chat) throws IOException {
        ApiRequest r;
        try {
            JsonNode body;
            try {
                body = REQUEST_READER.readTree(req.body());
            } catch (IOException e) {
                // JsonProcessingException, and also CharConversionException: the parser guesses UTF-16/32 from
                // leading zero bytes (found by ApiRequestFuzzTest; the connection used to close unanswered).
                throw new ApiRequest.Invalid(null, "the body is not valid JSON");
            }
            r = ApiRequest.parse(body, chat, maxTokensLimit);
            JsonNode model = body.get("model");
            if (model != null && model.isTextual() && !model.asText().equals(modelName)) {
                // As OpenAI and vLLM answer: serving another model's name silently would mislabel every result.
                error(res, 404, "invalid_request_error", "model", "the model '" + model.asText() + "' does not exist here; this server serves '"
                        + modelName + "'");
                return;
            }
        } catch (ApiRequest.Invalid e) {
            error(res, 400, "invalid_request_error", e.param, e.getMessage());
            return;
        }
        int[] prompt = tokenizer.encode(r.prompt(), true, false);
        int room = scheduler.contextSize() - prompt.length;
        if (r.maxTokens() == 0 && room < 1) {
            error(res, 400, "invalid_request_error", "messages", "this server's context is " + scheduler.contextSize()
                    + " tokens; the prompt is " + prompt.length + " tokens and leaves no room to generate");
            return;
        }
        if (prompt.length + r.maxTokens() > scheduler.contextSize()) {
            error(res, 400, "invalid_request_error", "max_tokens", "this server's context is " + scheduler.contextSize()
                    + " tokens; the prompt is " + prompt.length + " tokens and max_tokens asks for " + r.maxTokens());
            return;
        }
        int maxTokens = r.maxTokens() > 0 ? r.maxTokens() : Math.min(room, maxTokensLimit);
        long seed = r.seed() != null ? r.seed() : System.nanoTime();
        Sampler sampler = Sampler.of(r.temperature(), r.topK(), r.topP(), seed);
        QueueSink sink = new QueueSink();
        GenerationJob.Handle handle = scheduler.submit(new GenerationJob(prompt, maxTokens, r.minTokens(), r.ignoreEos(), sampler, sink));
        if (handle == null) {
            error(res, 503, "server_busy", null, "the request queue is full; retry later");
            return;
        }
        String id = (chat ? "chatcmpl-" : "cmpl-") + ids.incrementAndGet();
        try {
            if (r.stream()) stream(r, res, sink, handle, id, prompt);
            else whole(r, res, sink, handle, id, prompt);
        } catch (IOException e) {
            handle.cancel(); // the client went away: free the slot
            throw e;
        } catch (InterruptedException e) {
            handle.cancel();
            Thread.currentThread().interrupt();
        }
    }

    private void stream(ApiRequest r, HttpResponse res, QueueSink sink, GenerationJob.Handle handle, String id, int[] prompt)
            throws IOException, InterruptedException {
        Object first = sink.events.take();
        if (first instanceof Failure f) {
            error(res, 500, "server_error", null, f.message);
            return;
        }
        long created = System.currentTimeMillis() / 1000;
        res.startStream(200, "text/event-stream");
        if (r.chat()) res.writeChunk(sse(chunk(r, id, created, JSON.createObjectNode().put("role", "assistant").put("content", ""), null, -1, prompt.length)));
        CompletionText text = new CompletionText(tokenizer, r.stop(), prompt[prompt.length - 1]);
        FinishReason reason = null;
        while (reason == null) {
            Object e = sink.events.take();
            if (e instanceof Integer token) {
                String piece = text.add(token);
                if (!piece.isEmpty()) res.writeChunk(sse(chunk(r, id, created, piece, null, r.continuousUsage() ? text.tokens() : -1, prompt.length)));
                reason = stopIfAsked(text, handle);
            } else if (e instanceof Finished f) {
                reason = f.reason;
            } else if (e instanceof Failure f) {
                res.writeChunk(sse(JSON.createObjectNode().set("error", JSON.createObjectNode().put("message", f.message)
                        .put("type", "server_error")).toString()));
                res.finish();
                return;
            }
        }
        int generated = text.tokens();
        String tail = text.finish();
        if (!tail.isEmpty()) res.writeChunk(sse(chunk(r, id, created, tail, null, r.continuousUsage() ? generated : -1, prompt.length)));
        StringBuilder end = new StringBuilder(sse(chunk(r, id, created, r.chat() ? JSON.createObjectNode() : "", finishReason(reason),
                r.continuousUsage() ? generated : -1, prompt.length)));
        if (r.includeUsage()) {
            ObjectNode u = JSON.createObjectNode().put("id", id).put("object", r.chat() ? "chat.completion.chunk" : "text_completion")
                    .put("created", created).put("model", modelName);
            u.putArray("choices");
            u.set("usage", usage(prompt.length, generated));
            end.append(sse(u.toString()));
        }
        end.append(sse("[DONE]"));
        res.writeChunk(end.toString());
        res.finish();
    }

    private void whole(ApiRequest r, HttpResponse res, QueueSink sink, GenerationJob.Handle handle, String id, int[] prompt)
            throws IOException, InterruptedException {
        CompletionText completion = new CompletionText(tokenizer, r.stop(), prompt[prompt.length - 1]);
        StringBuilder text = new StringBuilder();
        FinishReason reason = null;
        while (reason == null) {
            Object e = sink.events.take();
            if (e instanceof Integer token) {
                text.append(completion.add(token));
                reason = stopIfAsked(completion, handle);
            } else if (e instanceof Finished f) {
                reason = f.reason;
            } else if (e instanceof Failure f) {
                error(res, 500, "server_error", null, f.message);
                return;
            }
        }
        text.append(completion.finish());
        ObjectNode o = JSON.createObjectNode().put("id", id).put("object", r.chat() ? "chat.completion" : "text_completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", modelName);
        ObjectNode choice = o.putArray("choices").addObject().put("index", 0);
        if (r.chat()) choice.putObject("message").put("role", "assistant").put("content", text.toString());
        else choice.put("text", text.toString());
        choice.put("finish_reason", finishReason(reason));
        o.set("usage", usage(prompt.length, completion.tokens()));
        res.send(200, "application/json", o.toString());
    }

    /** When a stop string appeared: frees the engine slot and ends with finish_reason stop. */
    private static FinishReason stopIfAsked(CompletionText text, GenerationJob.Handle handle) {
        if (!text.stopped()) return null;
        handle.cancel();
        return FinishReason.STOP;
    }

    private String chunk(ApiRequest r, String id, long created, Object content, String finish, int cumulative, int promptTokens) {
        ObjectNode o = JSON.createObjectNode().put("id", id).put("object", r.chat() ? "chat.completion.chunk" : "text_completion")
                .put("created", created).put("model", modelName);
        ObjectNode choice = o.putArray("choices").addObject().put("index", 0);
        if (r.chat()) {
            choice.set("delta", content instanceof ObjectNode n ? n : JSON.createObjectNode().put("content", (String) content));
        } else {
            choice.put("text", content instanceof String s ? s : "");
        }
        if (finish == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finish);
        if (cumulative >= 0) o.set("usage", usage(promptTokens, cumulative));
        return o.toString();
    }

    private static ObjectNode usage(int prompt, int completion) {
        return JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    private static String finishReason(FinishReason r) {
        return r == null ? null : r.wireName();
    }

    private static String sse(String data) {
        return "data: " + data + "\n\n";
    }

    private static void error(HttpResponse res, int status, String type, String param, String message) throws IOException {
        ObjectNode e = JSON.createObjectNode();
        ObjectNode inner = e.putObject("error").put("message", message).put("type", type);
        if (param == null) inner.putNull("param");
        else inner.put("param", param);
        inner.put("code", status);
        res.send(status, "application/json", e.toString());
    }

    @Override
    public void close() {
        http.close();
    }

    private record Finished(FinishReason reason) {}

    private record Failure(String message) {}

    private static final Object STARTED = new Object();

    /** Hands engine events to the request's thread; the response starts when the engine takes the job. */
    private static final class QueueSink implements TokenEvents {
        final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();

        @Override public void requestSent(long nanos) { events.add(STARTED); }
        @Override public void tokens(long nanos, int count, TokenCountSource source, int tokenId) { events.add(tokenId); }
        @Override public void finished(long nanos, FinishReason reason, Usage usage) { events.add(new Finished(reason)); }
        @Override public void failed(long nanos, ErrorKind kind, String message) { events.add(new Failure(message)); }
    }
}
