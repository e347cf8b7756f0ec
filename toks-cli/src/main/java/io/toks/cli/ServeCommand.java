package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.model.LlamaModel;
import io.toks.serve.GenerationScheduler;
import io.toks.serve.OpenAiServer;
import io.toks.serve.ServerMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", header = "Serve the engine as an OpenAI-compatible server.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serves the Java engine with the OpenAI API: /v1/completions, /v1/chat/completions (streamed or not),",
                "/v1/models, /health. Concurrent requests share decode steps (continuous batching over --parallel slots),",
                "so aggregate throughput grows with concurrency. Binds to loopback unless told otherwise. Stop with Ctrl-C.",
                "With --metrics, GET /metrics gives every served request's TTFT, TPOT, inter-token latency, token usage and",
                "decode tok/s in Prometheus text, under the OpenTelemetry GenAI names (docs/metrics.md)."},
        footer = {"", "Examples:", "  toks serve                       # the embedded model on http://127.0.0.1:8080/v1",
                "  toks serve model.gguf --port 9000 --parallel 8",
                "  toks serve --metrics                # then: curl http://127.0.0.1:8080/metrics",
                "  toks load --url http://127.0.0.1:8080/v1 --concurrency 1,4"})
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR", description = "Address to bind. Default: ${DEFAULT-VALUE} (loopback only).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "Port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = {"-np", "--parallel"}, defaultValue = "4", paramLabel = "N", description = "Requests decoded together (KV cache slots). Default: ${DEFAULT-VALUE}.")
    int parallel;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", description = "Positions per slot (prompt + output). Default: the model's context, at most 4096.")
    Integer contextSize;

    @Option(names = "--prefill-chunk", defaultValue = "" + GenerationScheduler.DEFAULT_PREFILL_CHUNK, paramLabel = "N",
            description = "Prompt tokens one engine step takes at most, beside the next token of every request being decoded (chunked "
                    + "prefill: a long prompt is fed over several steps instead of stalling the others). Default: ${DEFAULT-VALUE}.")
    int prefillChunk;

    @Option(names = "--kernels", defaultValue = "auto", paramLabel = "K",
            description = "auto (native where the library was built), java or native. Default: ${DEFAULT-VALUE}.")
    String kernels;

    @Option(names = "--cache-type", paramLabel = "T", description = CacheTypes.DESCRIPTION)
    String cacheType;

    @Option(names = {"-t", "--threads"}, paramLabel = "T", description = "Engine threads. Default: all available processors.")
    Integer threads;

    @Option(names = "--max-tokens-limit", defaultValue = "4096", paramLabel = "N", description = "Largest max_tokens accepted. Default: ${DEFAULT-VALUE}.")
    int maxTokensLimit;

    @Option(names = "--max-queue", defaultValue = "1024", paramLabel = "N", description = "Waiting requests beyond this get HTTP 503. Default: ${DEFAULT-VALUE}.")
    int maxQueue;

    @Option(names = "--max-body", defaultValue = "1048576", paramLabel = "BYTES", description = "Largest request body (HTTP 413 above). Default: ${DEFAULT-VALUE}.")
    int maxBody;

    @Option(names = "--model-name", paramLabel = "NAME", description = "Name listed at /v1/models. Default: the model's name.")
    String modelName;

    @Mixin
    ProfileOptions profileOptions;

    @Option(names = "--metrics", description = "Serve per-request metrics at GET /metrics (Prometheus text format). Without it /metrics is 404.")
    boolean metrics;

    /** The engine and the server in front of it, and a --profile recording; closing stops all three. */
    record Running(GenerationScheduler scheduler, OpenAiServer server, ProfileOptions.Profiling profiling) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            scheduler.close();
            profiling.close();
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Running running = start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    /** Loads the model, starts the engine and the server, and says where it listens. */
    Running start() throws IOException {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be in 0..65535");
        if (parallel < 1 || parallel > 256) throw new IllegalArgumentException("--parallel must be in 1..256");
        if (prefillChunk < 1 || prefillChunk > 4096) throw new IllegalArgumentException("--prefill-chunk must be in 1..4096");
        if (maxQueue < 1 || maxTokensLimit < 1 || maxBody < 1024) throw new IllegalArgumentException("--max-queue and --max-tokens-limit must be >= 1, --max-body >= 1024");
        try {
            java.net.InetAddress.getByName(host); // before the model loads: a typo fails at once
        } catch (java.net.UnknownHostException e) {
            throw new ToksException("--host " + host + " is neither an IP address nor a name that resolves");
        }
        PrintWriter err = spec.commandLine().getErr();
        LlamaModel model = modelOptions.load().withKernels(Kernels.parse(kernels));
        int ctx = contextSize != null ? contextSize : Math.min(4096, model.config().contextLength());
        if (ctx < 2 || ctx > model.config().contextLength()) {
            throw new IllegalArgumentException("--ctx-size must be in 2.." + model.config().contextLength() + " (the model's context)");
        }
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        String name = modelName != null ? modelName : model.info().name();
        GenerationScheduler scheduler = new GenerationScheduler(model, threadCount, parallel, ctx, CacheTypes.parse(cacheType), prefillChunk,
                maxQueue);
        OpenAiServer server;
        try {
            server = new OpenAiServer(scheduler, name, host, port, Math.min(maxTokensLimit, ctx - 1), maxBody, metrics ? new ServerMetrics() : null);
        } catch (BindException e) {
            scheduler.close();
            throw new ToksException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            scheduler.close();
            throw e;
        }
        ProfileOptions.Profiling profiling = profileOptions.start(err); // written when the server stops
        err.printf("toks serve: %s (%s) on http://%s:%d/v1  [%d slots x %d positions, prefill chunks of %d, %d threads, %s kernels]%n",
                name, model.info().weightType(), host, server.port(), parallel, ctx, prefillChunk, threadCount, model.kernels().label());
        if (!host.startsWith("127.") && !host.equals("localhost") && !host.equals("::1")) {
            err.println("toks serve: WARNING: listening beyond loopback, with no authentication");
        }
        if (metrics) err.printf("toks serve: metrics at http://%s:%d/metrics%n", host, server.port());
        err.flush();
        return new Running(scheduler, server, profiling);
    }
}
