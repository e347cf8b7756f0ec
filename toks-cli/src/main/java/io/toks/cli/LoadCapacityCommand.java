package io.toks.cli;

import io.toks.bench.load.ClientCapacityBench;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "load-capacity", header = "How much load the load generator itself sustains.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures the load generator itself: how many concurrent streams and SSE events per second",
                "'toks load' sustains on this machine, and how much latency its timestamps add (event arrival",
                "minus the time an in-process scripted server wrote it). Server and client share this JVM and",
                "its cores, so the figures are a floor for a client facing a server elsewhere."},
        footer = {"", "Examples:", "  toks load-capacity --streams 2000 --interval 40ms --events 250",
                "  toks load-capacity --serve 18100 &      # the scripted server in its own process",
                "  toks load-capacity --url http://127.0.0.1:18100/v1   # the client alone in this one (same settings)"})
final class LoadCapacityCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--streams", defaultValue = "2000", paramLabel = "N", description = "Concurrent streams. Default: ${DEFAULT-VALUE}.")
    int streams;

    @Option(names = "--events", defaultValue = "250", paramLabel = "N",
            description = "Events per stream (the run lasts about events x interval). Default: ${DEFAULT-VALUE}, 10 s at 40 ms: "
                    + "a p99 over at least half a million events, past the JIT's first seconds.")
    int events;

    @Option(names = "--interval", defaultValue = "40ms", paramLabel = "TIME", description = "Gap between one stream's events. Default: ${DEFAULT-VALUE}.")
    String interval;

    @Option(names = "--serve", paramLabel = "PORT", description = "Only run the scripted server on this port (until killed).")
    Integer servePort;

    @Option(names = "--url", paramLabel = "URL", description = "Only run the client, against a 'load-capacity --serve' server started with the same settings.")
    String url;

    @Option(names = "--io", defaultValue = "nio", paramLabel = "KIND",
            description = "Client transport: nio (one selector thread) or blocking (a virtual thread per stream). Default: ${DEFAULT-VALUE}.")
    String transportKind;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (streams < 1 || streams > 20000) throw new IllegalArgumentException("--streams must be in 1..20000");
        if (events < 1) throw new IllegalArgumentException("--events must be >= 1");
        double ms = io.toks.bench.load.Slo.parseMillis(interval);
        if (!(ms > 0)) throw new IllegalArgumentException("--interval must be > 0");
        PrintWriter out = spec.commandLine().getOut();
        ClientCapacityBench.Settings settings = new ClientCapacityBench.Settings(streams, events, ms);
        if (servePort != null) {
            try (var server = ClientCapacityBench.startServer(settings, servePort)) {
                out.printf(Locale.ROOT, "scripted server on http://127.0.0.1:%d/v1 (%d events every %s ms per stream); Ctrl-C stops it%n",
                        server.port(), events, trim(ms));
                out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            return 0;
        }
        out.printf(Locale.ROOT, "offering %d streams x %d events every %s ms (%.0f events/s), %s client ...%n", streams, events, trim(ms),
                streams * 1000 / ms, transportKind);
        out.flush();
        boolean nio = LoadCommand.nioTransport(transportKind);
        ClientCapacityBench.Result r = url != null ? ClientCapacityBench.measure(settings, java.net.URI.create(url), nio)
                : ClientCapacityBench.run(settings, nio);
        out.printf(Locale.ROOT, "streams completed: %d of %d (%d failed)%n", r.completedStreams(), streams, r.failedStreams());
        r.failures().forEach((why, n) -> out.printf(Locale.ROOT, "  %d x %s%n", n, why));
        out.printf(Locale.ROOT, "events received: %d in %.2f s = %.0f events/s%n", r.events(), r.seconds(), r.eventsPerSecond());
        out.printf(Locale.ROOT, "added latency (arrival timestamp - server write), all events, ms: mean %.3f, p50 %.3f, p90 %.3f, p99 %.3f, max %.3f%n",
                r.delivery().mean(), r.delivery().p50(), r.delivery().p90(), r.delivery().p99(), r.delivery().max());
        if (r.steady() != null) {
            out.printf(Locale.ROOT, "  steady state (%d events: every stream started, none ended), ms: mean %.3f, p50 %.3f, "
                            + "p90 %.3f, p99 %.3f, max %.3f%n", r.steadyEvents(),
                    r.steady().mean(), r.steady().p50(), r.steady().p90(), r.steady().p99(), r.steady().max());
        }
        out.printf(Locale.ROOT, "process CPU (%s): %.0f%% of %d cores%n", url != null ? "client only" : "client + scripted server", 100 * r.clientCpuShare(),
                Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "client garbage collections during the run: %d (%d ms in all)%n", r.gc().collections(), r.gc().millis());
        if (r.jit().millis() >= 0) {
            out.printf(Locale.ROOT, "JIT compilation during the run (%s): %d ms%n", url != null ? "client" : "client + scripted server", r.jit().millis());
        }
        return r.failedStreams() == 0 ? 0 : 1;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
