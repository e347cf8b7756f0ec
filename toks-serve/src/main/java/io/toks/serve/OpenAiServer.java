package io.toks.serve;

import io.toks.core.jfr.ToksEvents;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toks.core.events.ErrorKind;
import io.toks.core.events.FinishReason;
import io.toks.core.events.RequestTrace;
import io.toks.core.events.TokenCountSource;
import io.toks.core.events.TokenEvents;
import io.toks.core.events.Usage;
import io.toks.engine.sampling.Sampler;
import io.toks.http.server.HttpRequest;
import io.toks.http.server.HttpResponse;
import io.toks.http.server.SmallHttpServer;
import io.toks.micrometer.GenAiTags;
import io.toks.tokenizer.Tokenizer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OpenAI API over a {@link GenerationScheduler}: {@code /v1/completions},
 * {@code /v1/chat/completions} (streamed or not, with {@code usage}, {@code stream_options},
 * {@code max_tokens}, {@code temperature}, {@code top_p}, {@code seed}, {@code stop},
 * {@code ignore_eos}, {@code min_tokens}, log probabilities: completions {@code logprobs: N} and
 * {@code echo}, prompts as token ids, chat {@code logprobs} + {@code top_logprobs}),
 * {@code /v1/models} and {@code /health}; with {@link ServerMetrics}, {@code /metrics} (Prometheus).
 * Each text chunk is flushed as soon as its token is sampled. Bad requests get OpenAI-style JSON
 * errors.
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
    /** Null: no /metrics, nothing recorded. */
    private final ServerMetrics metrics;
    private final GenAiTags chatTags, completionTags;

    /**
     * @param maxTokensLimit largest max_tokens accepted
     * @param maxBodyBytes   largest request body accepted
     */
    public OpenAiServer(GenerationScheduler scheduler, String modelName, String host, int port, int maxTokensLimit,
                        int maxBodyBytes) throws IOException {
        this(scheduler, modelName, host, port, maxTokensLimit, maxBodyBytes, null);
    }

    /** @param metrics where every request the engine took is recorded, served at {@code GET /metrics}; null for neither */
    public OpenAiServer(GenerationScheduler scheduler, String modelName, String host, int port, int maxTokensLimit,
                        int maxBodyBytes, ServerMetrics metrics) throws IOException {
        this.scheduler = scheduler;
        this.tokenizer = scheduler.model().tokenizer();
        this.modelName = modelName;
        this.maxTokensLimit = maxTokensLimit;
        this.metrics = metrics;
        this.chatTags = new GenAiTags(GenAiTags.CHAT, ServerMetrics.PROVIDER, modelName);
        this.completionTags = new GenAiTags(GenAiTags.TEXT_COMPLETION, ServerMetrics.PROVIDER, modelName);
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
            case "/metrics" -> {
                if (metrics == null) error(res, 404, "invalid_request_error", null, "no such endpoint: " + req.method() + " " + path
                        + " (this server was started without metrics)");
                else res.send(200, ServerMetrics.CONTENT_TYPE, metrics.scrape());
            }
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
        int[] prompt = r.promptIds() != null ? r.promptIds() : tokenizer.encode(r.prompt(), true, false);
        int vocabulary = Math.min(tokenizer.vocabularySize(), scheduler.model().config().vocabSize());
        for (int id : prompt) {
            if (id >= vocabulary) {
                error(res, 400, "invalid_request_error", "prompt", "token id " + id + " in 'prompt' is outside the vocabulary (ids 0.."
                        + (vocabulary - 1) + ")");
                return;
            }
        }
        boolean untilEnd = r.chat() && r.maxTokens() == 0; // chat without max_tokens: until the end or a full context
        int room = scheduler.contextSize() - prompt.length;
        if (untilEnd && room < 1) {
            error(res, 400, "invalid_request_error", "messages", "this server's context is " + scheduler.contextSize()
                    + " tokens; the prompt is " + prompt.length + " tokens and leaves no room to generate");
            return;
        }
        if (prompt.length + r.maxTokens() > scheduler.contextSize()) {
            error(res, 400, "invalid_request_error", "max_tokens", "this server's context is " + scheduler.contextSize()
                    + " tokens; the prompt is " + prompt.length + " tokens and max_tokens asks for " + r.maxTokens());
            return;
        }
        int maxTokens = untilEnd ? Math.min(room, maxTokensLimit) : r.maxTokens();
        long seed = r.seed() != null ? r.seed() : System.nanoTime();
        Sampler sampler = Sampler.of(r.temperature(), r.topK(), r.topP(), seed);
        QueueSink sink = new QueueSink(maxTokens);
        sink.trace.requestDue(req.receivedNanos()); // server-side latencies count from arrival: queueing included
        // Prompt log probabilities only come back with echo (as in OpenAI's API): without it, the prefill stays a plain one.
        LogProbRequest logProbs = r.logprobs() < 0 ? null : new LogProbRequest(r.echo(), maxTokens > 0, r.logprobs(), sink);
        GenerationJob.Handle handle = scheduler.submit(new GenerationJob(prompt, maxTokens, r.minTokens(), r.ignoreEos(), sampler,
                ToksEvents.recording("server", modelName, sink), logProbs));
        if (handle == null) {
            error(res, 503, "server_busy", null, "the request queue is full; retry later");
            return;
        }
        String id = (chat ? "chatcmpl-" : "cmpl-") + ids.incrementAndGet();
        String echo = !r.echo() ? "" : r.prompt() != null ? r.prompt() : tokenizer.decode(prompt);
        Reply reply = new Reply(r, id, prompt, echo);
        try {
            if (r.stream()) stream(reply, res, sink, handle);
            else whole(reply, res, sink, handle);
        } catch (IOException e) {
            handle.cancel(); // the client went away: free the slot
            recordFailure(r, sink, ErrorKind.CUT, "the client went away: " + e.getMessage());
            throw e;
        } catch (InterruptedException e) {
            handle.cancel();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends the request's trace and records it, just before the response's last write: a client
     * that has its whole response (and scrapes next) finds it counted. Its e2e ends there.
     */
    private void recordSuccess(ApiRequest r, QueueSink sink, FinishReason reason, int promptTokens, int generated) {
        sink.trace.finished(System.nanoTime(), reason, new Usage(promptTokens, generated));
        if (metrics != null) metrics.record(r.chat() ? chatTags : completionTags, sink.trace);
    }

    /** Once: a request whose last write failed was recorded before it. */
    private void recordFailure(ApiRequest r, QueueSink sink, ErrorKind kind, String message) {
        if (sink.trace.endNanos() >= 0) return;
        sink.trace.failed(System.nanoTime(), kind, message);
        if (metrics != null) metrics.record(r.chat() ? chatTags : completionTags, sink.trace);
    }

    /** What a response is built from: the request, its id, the prompt's tokens and the text echoed before the generated text ("" without echo). */
    private record Reply(ApiRequest r, String id, int[] prompt, String echo) {

        /** The log probabilities of the generated tokens, or null when not asked; their text offsets start after the echo. */
        LogProbsJson generatedLogProbs(Tokenizer tokenizer) {
            return r.logprobs() < 0 ? null : new LogProbsJson(tokenizer, r.chat(), prompt[prompt.length - 1], echo.length());
        }

        /** The log probabilities of the prompt's tokens, which begin the echoed text. */
        LogProbsJson promptLogProbs(Tokenizer tokenizer, List<LogProbRequest.Entry> entries) {
            LogProbsJson json = new LogProbsJson(tokenizer, r.chat(), tokenizer.bosId(), 0);
            for (LogProbRequest.Entry e : entries) json.add(e);
            return json;
        }
    }

    private void stream(Reply reply, HttpResponse res, QueueSink sink, GenerationJob.Handle handle) throws IOException, InterruptedException {
        ApiRequest r = reply.r();
        String id = reply.id();
        int promptTokens = reply.prompt().length;
        Object first = sink.next();
        if (first instanceof Failure f) {
            recordFailure(r, sink, ErrorKind.SERVER_ERROR, f.message);
            error(res, 500, "server_error", null, f.message);
            return;
        }
        long created = System.currentTimeMillis() / 1000;
        res.startStream(200, "text/event-stream");
        if (r.chat()) res.writeChunk(sse(chunk(r, id, created, JSON.createObjectNode().put("role", "assistant").put("content", ""), null, -1,
                promptTokens, null)));
        // Echoed prompt first, as vLLM streams it; with logprobs it waits for the prompt's log probabilities.
        if (r.echo() && r.logprobs() < 0) res.writeChunk(sse(chunk(r, id, created, reply.echo(), null, -1, promptTokens, null)));
        CompletionText text = new CompletionText(tokenizer, r.stop(), reply.prompt()[promptTokens - 1]);
        LogProbsJson logProbs = reply.generatedLogProbs(tokenizer);
        FinishReason reason = null;
        while (reason == null) {
            Object e = sink.next();
            if (e instanceof Token token) {
                String piece = text.add(token.id);
                // A token whose text is held back (half a character, a possible stop string) sends its log probability with the text.
                if (!piece.isEmpty()) res.writeChunk(sse(chunk(r, id, created, piece, null, r.continuousUsage() ? text.tokens() : -1,
                        promptTokens, logProbs == null ? null : logProbs.take())));
                reason = stopIfAsked(text, handle);
            } else if (e instanceof LogProbRequest.Entry entry) {
                logProbs.add(entry);
            } else if (e instanceof PromptLogProbs p) {
                res.writeChunk(sse(chunk(r, id, created, reply.echo(), null, -1, promptTokens, reply.promptLogProbs(tokenizer, p.entries).take())));
            } else if (e instanceof Finished f) {
                reason = f.reason;
            } else if (e instanceof Failure f) {
                recordFailure(r, sink, ErrorKind.SERVER_ERROR, f.message);
                res.writeChunk(sse(JSON.createObjectNode().set("error", JSON.createObjectNode().put("message", f.message)
                        .put("type", "server_error")).toString()));
                res.finish();
                return;
            }
        }
        int generated = text.tokens();
        String tail = text.finish();
        if (!tail.isEmpty() || (logProbs != null && !logProbs.isEmpty())) {
            res.writeChunk(sse(chunk(r, id, created, tail, null, r.continuousUsage() ? generated : -1, promptTokens,
                    logProbs == null ? null : logProbs.take())));
        }
        StringBuilder end = new StringBuilder(sse(chunk(r, id, created, r.chat() ? JSON.createObjectNode() : "", finishReason(reason),
                r.continuousUsage() ? generated : -1, promptTokens, null)));
        if (r.includeUsage()) {
            ObjectNode u = JSON.createObjectNode().put("id", id).put("object", r.chat() ? "chat.completion.chunk" : "text_completion")
                    .put("created", created).put("model", modelName);
            u.putArray("choices");
            u.set("usage", usage(promptTokens, generated));
            end.append(sse(u.toString()));
        }
        end.append(sse("[DONE]"));
        recordSuccess(r, sink, reason, promptTokens, generated);
        res.finish(end.toString()); // [DONE] and the body's end in one flush: see HttpResponse.finish(String)
    }

    private void whole(Reply reply, HttpResponse res, QueueSink sink, GenerationJob.Handle handle) throws IOException, InterruptedException {
        ApiRequest r = reply.r();
        int[] prompt = reply.prompt();
        CompletionText completion = new CompletionText(tokenizer, r.stop(), prompt[prompt.length - 1]);
        LogProbsJson promptLogProbs = null;
        LogProbsJson generatedLogProbs = reply.generatedLogProbs(tokenizer);
        StringBuilder text = new StringBuilder(reply.echo());
        FinishReason reason = null;
        while (reason == null) {
            Object e = sink.next();
            if (e instanceof Token token) {
                text.append(completion.add(token.id));
                reason = stopIfAsked(completion, handle);
            } else if (e instanceof LogProbRequest.Entry entry) {
                generatedLogProbs.add(entry);
            } else if (e instanceof PromptLogProbs p) {
                promptLogProbs = reply.promptLogProbs(tokenizer, p.entries);
            } else if (e instanceof Finished f) {
                reason = f.reason;
            } else if (e instanceof Failure f) {
                recordFailure(r, sink, ErrorKind.SERVER_ERROR, f.message);
                error(res, 500, "server_error", null, f.message);
                return;
            }
        }
        text.append(completion.finish());
        ObjectNode o = JSON.createObjectNode().put("id", reply.id()).put("object", r.chat() ? "chat.completion" : "text_completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", modelName);
        ObjectNode choice = o.putArray("choices").addObject().put("index", 0);
        if (r.chat()) choice.putObject("message").put("role", "assistant").put("content", text.toString());
        else choice.put("text", text.toString());
        if (generatedLogProbs == null) choice.putNull("logprobs");
        else if (promptLogProbs == null) choice.set("logprobs", generatedLogProbs.take());
        else choice.set("logprobs", concat(promptLogProbs.take(), generatedLogProbs.take()));
        choice.put("finish_reason", finishReason(reason));
        o.set("usage", usage(prompt.length, completion.tokens()));
        recordSuccess(r, sink, reason, prompt.length, completion.tokens());
        res.send(200, "application/json", o.toString());
    }

    /** The prompt's log probabilities followed by the generated tokens': each array of the second appended to the first's. */
    private static ObjectNode concat(ObjectNode first, ObjectNode second) {
        second.properties().forEach(field -> ((ArrayNode) first.get(field.getKey())).addAll((ArrayNode) field.getValue()));
        return first;
    }

    /** When a stop string appeared: frees the engine slot and ends with finish_reason stop. */
    private static FinishReason stopIfAsked(CompletionText text, GenerationJob.Handle handle) {
        if (!text.stopped()) return null;
        handle.cancel();
        return FinishReason.STOP;
    }

    private String chunk(ApiRequest r, String id, long created, Object content, String finish, int cumulative, int promptTokens,
                         ObjectNode logProbs) {
        ObjectNode o = JSON.createObjectNode().put("id", id).put("object", r.chat() ? "chat.completion.chunk" : "text_completion")
                .put("created", created).put("model", modelName);
        ObjectNode choice = o.putArray("choices").addObject().put("index", 0);
        if (r.chat()) {
            choice.set("delta", content instanceof ObjectNode n ? n : JSON.createObjectNode().put("content", (String) content));
        } else {
            choice.put("text", content instanceof String s ? s : "");
        }
        if (logProbs == null) choice.putNull("logprobs");
        else choice.set("logprobs", logProbs);
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

    private record Started(long nanos) {}

    private record Prefilled(long nanos, int promptTokens) {}

    private record Token(long nanos, int id) {}

    private record Finished(FinishReason reason) {}

    private record Failure(String message) {}

    private record PromptLogProbs(List<LogProbRequest.Entry> entries) {}

    /**
     * Hands engine events to the request's thread; the response starts when the engine takes the
     * job. That thread also keeps the request's trace (the engine's timestamps, the response's
     * end): the engine may still emit a token after a stop string cancelled the job, so the
     * engine thread must not write a trace the request's thread is reading.
     */
    private static final class QueueSink implements TokenEvents, LogProbRequest.Listener {
        private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        /** Touched only by the request's thread. */
        final RequestTrace trace;

        QueueSink(int maxTokens) {
            trace = new RequestTrace(Math.min(maxTokens, 256));
        }

        /** The next engine event, its time noted in the trace. */
        Object next() throws InterruptedException {
            Object e = events.take();
            switch (e) {
                case Started s -> trace.requestSent(s.nanos);
                case Prefilled p -> trace.prefillDone(p.nanos, p.promptTokens);
                case Token t -> trace.tokens(t.nanos, 1, TokenCountSource.ENGINE_IDS, t.id);
                default -> { }
            }
            return e;
        }

        @Override public void prompt(List<LogProbRequest.Entry> tokens) { events.add(new PromptLogProbs(tokens)); }
        @Override public void generated(LogProbRequest.Entry token) { events.add(token); }

        @Override public void requestSent(long nanos) { events.add(new Started(nanos)); }
        @Override public void prefillDone(long nanos, int promptTokens) { events.add(new Prefilled(nanos, promptTokens)); }
        @Override public void tokens(long nanos, int count, TokenCountSource source, int tokenId) { events.add(new Token(nanos, tokenId)); }
        @Override public void finished(long nanos, FinishReason reason, Usage usage) { events.add(new Finished(reason)); }
        @Override public void failed(long nanos, ErrorKind kind, String message) { events.add(new Failure(message)); }
    }
}
