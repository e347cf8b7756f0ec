package io.toks.cli;

import io.toks.bench.energy.EnergyMonitor;
import io.toks.bench.load.FilePrompts;
import io.toks.bench.load.JournalMerge;
import io.toks.bench.load.PerDevice;
import io.toks.bench.load.LevelRun;
import io.toks.bench.load.LoadRunner;
import io.toks.bench.load.ClientWarmUp;
import io.toks.bench.load.LoadSession;
import io.toks.bench.load.OpenAiTarget;
import io.toks.bench.load.LoadShape;
import io.toks.bench.load.PromptSource;
import io.toks.bench.load.RequestJournal;
import io.toks.bench.load.RunLength;
import io.toks.bench.load.Slo;
import io.toks.bench.load.SyntheticPrompts;
import io.toks.bench.load.TokenLength;
import io.toks.core.ToksException;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.LoadRun;
import io.toks.report.Format;
import io.toks.report.Renderers;
import io.toks.report.ResultWriter;
import io.toks.http.client.StreamingHttpClient;
import io.toks.http.openai.ApiFlavor;
import io.toks.http.openai.NioStreamTransport;
import io.toks.http.openai.OpenAiStreamClient;
import io.toks.http.openai.ServerModels;
import io.toks.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "load", header = "Load-test an OpenAI-compatible server.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load-tests an OpenAI-compatible server (vLLM, llama.cpp llama-server, Ollama, TGI, SGLang, toks serve)",
                "with streamed requests, and reports per load level: request and token throughput, TTFT, ITL, TPOT and",
                "end-to-end latency percentiles, errors by kind and goodput. Closed loop (--concurrency) or open loop",
                "(--rate; latency counts from each scheduled send time, so a slow server or client is never hidden).",
                "Every request is appended to a JSONL journal as it ends; --from-journal recomputes the summary."},
        footer = {"", "Examples:",
                "  toks load --url http://127.0.0.1:8080/v1 --concurrency 1,4,16 --requests 64",
                "  toks load --url http://127.0.0.1:8000/v1 --model m --rate 2,5,10 --duration 60s --slo ttft=500ms,tpot=50ms",
                "  toks load --url http://127.0.0.1:11434 --api ollama --model llama3.2 --concurrency 4",
                "  toks load --from-journal toks-load-20261128-101500.jsonl --slo ttft=1s"})
final class LoadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", description = "Base URL, e.g. http://127.0.0.1:8000/v1 (Ollama: http://host:11434).")
    String url;

    @Option(names = "--model", paramLabel = "NAME", description = "Model name to request. Default: the first one the server lists at /models.")
    String model;

    @Option(names = "--api", defaultValue = "chat", paramLabel = "API", description = "chat, completions or ollama. Default: ${DEFAULT-VALUE}.")
    String api;

    @Option(names = "--api-key-env", paramLabel = "VAR", description = "Environment variable holding a bearer token (never passed on the command line).")
    String apiKeyEnv;

    @Option(names = "--target-hardware", paramLabel = "[Nx]ID",
            description = "What the server runs on, from the spec-sheet catalog (toks estimate --list-hardware), e.g. h100-sxm or 8xh100-sxm: "
                    + "recorded with the results, which then carry output tok/s per device and per watt of TDP.")
    String targetHardware;

    /** Closed loop or open loop, not both. */
    static final class Levels {
        @Option(names = {"-c", "--concurrency"}, split = ",", paramLabel = "N", description = "Closed loop: concurrent streams, a list sweeps. Default: 1.")
        List<Integer> concurrency;

        @Option(names = "--rate", split = ",", paramLabel = "R", description = "Open loop: requests per second, a list sweeps.")
        List<Double> rates;
    }

    @ArgGroup(exclusive = true)
    Levels loop = new Levels();

    @Option(names = "--arrival", defaultValue = "poisson", paramLabel = "KIND", description = "Open-loop arrivals: poisson or constant. Default: ${DEFAULT-VALUE}.")
    String arrival;

    /** How long each level runs: a count of requests or a time, not both. */
    static final class Length {
        @Option(names = "--requests", paramLabel = "N", description = "Requests per level. Default: max(32, 4 x concurrency), or max(32, 10 s of the rate).")
        Integer requests;

        @Option(names = "--duration", paramLabel = "TIME", description = "Send for this long per level instead (e.g. 60s).")
        String duration;
    }

    @ArgGroup(exclusive = true)
    Length length = new Length();

    @Option(names = "--warmup", defaultValue = "0s", paramLabel = "TIME", description = "Requests due in this first part of each level are not measured. Default: ${DEFAULT-VALUE}.")
    String warmup;

    @Option(names = "--cooldown", defaultValue = "0s", paramLabel = "TIME", description = "Nor those due in this last part. Default: ${DEFAULT-VALUE}.")
    String cooldown;

    @Option(names = "--client-warmup", defaultValue = "1s", paramLabel = "TIME",
            description = "Before the first level, run the client's own code this long against a scripted server inside this process "
                    + "(no request reaches --url), so a fresh JVM does not delay the first measured requests; 0s skips it. "
                    + "Default: ${DEFAULT-VALUE}.")
    String clientWarmup;

    @Option(names = "--input-tokens", defaultValue = "128", paramLabel = "N|MIN-MAX", description = "Synthetic prompt length in --tokenizer tokens. Default: ${DEFAULT-VALUE}.")
    String inputTokens;

    @Option(names = "--output-tokens", defaultValue = "128", paramLabel = "N|MIN-MAX", description = "Tokens to generate per request (forced where the server allows). Default: ${DEFAULT-VALUE}.")
    String outputTokens;

    /** Prompts from a file, in one of two formats (default: synthetic prompts). */
    static final class PromptFiles {
        @Option(names = "--prompts", paramLabel = "FILE", description = "JSONL prompts: {\"prompt\": ..., \"output_tokens\": N} per line.")
        Path promptsFile;

        @Option(names = "--sharegpt", paramLabel = "FILE", description = "ShareGPT JSON: first human turn is the prompt, the reply's length the output length.")
        Path shareGpt;
    }

    @ArgGroup(exclusive = true)
    PromptFiles promptFiles = new PromptFiles();

    @Option(names = "--tokenizer", defaultValue = "cl100k", paramLabel = "NAME", description = "Tokenizer that prompt lengths are exact in (best: the served model's). Default: ${DEFAULT-VALUE}.")
    String tokenizer;

    @Option(names = "--vocab-dir", paramLabel = "DIR", description = "Where named vocabularies live (default: the vocabularies shipped inside toks).")
    Path vocabDir;

    @Mixin
    ReferenceTokenizerOption referenceTokenizerOption;

    @Option(names = "--no-retokenize", description = "Do not re-count generated text (saves client CPU).")
    boolean noRetokenize;

    @Option(names = "--no-force-length", description = "Do not send ignore_eos/min_tokens: let the model stop early.")
    boolean noForceLength;

    @Option(names = "--temperature", defaultValue = "-1", paramLabel = "T", description = "Sampling temperature; negative: the server's default.")
    double temperature;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of prompts and arrivals. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--slo", paramLabel = "SPEC", description = "Goodput limits, e.g. ttft=500ms,tpot=50ms,e2e=10s.")
    String slo;

    @Option(names = "--sweep", description = "Find the highest load meeting --slo: levels ascending, stop at the first failing, then bisect.")
    boolean sweep;

    @Option(names = "--strict", description = "Exit 1 when any request failed, any level missed --slo or the server sent usage that cannot be true "
            + "(a CI gate); the report is printed first.")
    boolean strict;

    @Option(names = "--slo-target", defaultValue = "0.9", paramLabel = "SHARE", description = "Share of requests that must meet the SLO for a level to pass. Default: ${DEFAULT-VALUE}.")
    double sloTarget;

    @Option(names = "--io", defaultValue = "nio", paramLabel = "KIND",
            description = {"Client transport for http URLs: nio (one selector thread reads and timestamps every stream)",
                    "or blocking (a virtual thread per stream). https always uses blocking. Default: ${DEFAULT-VALUE}."})
    String transportKind;

    @Option(names = "--timeout", defaultValue = "120s", paramLabel = "TIME", description = "A stream silent this long is a stall. Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Option(names = "--journal", paramLabel = "FILE", description = "JSONL journal of every request. Default: toks-load-DATE-TIME.jsonl here; 'none' for none.")
    String journal;

    @Option(names = "--from-journal", paramLabel = "FILE", arity = "1..*",
            description = {"Do not send anything: summarize a journal again (with this run's --slo, --warmup, --cooldown).",
                    "Several journals (clients that drove one server together) merge into one exact summary."})
    List<Path> fromJournal;

    @Mixin
    OutputOptions outputOptions;

    @Mixin
    ProgressOptions progressOptions;

    @Mixin
    HistoryOptions historyOptions;

    @Mixin
    EnergyOptions energyOptions;

    @Override
    public Integer call() throws IOException {
        // Opened before any slow work: a --history that cannot be opened fails here.
        try (HistoryOptions.Recording recording = historyOptions.open(spec.commandLine().getErr())) {
            return measure(recording);
        }
    }

    private Integer measure(HistoryOptions.Recording recording) throws IOException {
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, java.nio.charset.StandardCharsets.UTF_8);
        Format format = outputOptions.format("load");
        String referenceTokenizer = referenceTokenizerOption.name;
        Slo objectives = slo == null ? Slo.NONE : parseSlo(slo);
        Duration warm = duration(warmup, "--warmup"), cool = duration(cooldown, "--cooldown");
        Duration clientWarm = duration(clientWarmup, "--client-warmup");
        if (clientWarm.isNegative()) throw new IllegalArgumentException("--client-warmup must be >= 0s");
        progressOptions.mode(); // checked before any slow work
        energyOptions.wanted();
        TargetFacts.ServerHardware hardware = targetHardware == null ? null : parseHardware(targetHardware);
        if (fromJournal != null) return summarizeJournal(out, format, objectives, warm, cool, hardware, recording);
        if (url == null) throw new IllegalArgumentException("--url is required (or --from-journal)");
        if (sweep && !objectives.isSet()) throw new IllegalArgumentException("--sweep needs --slo (what load is acceptable?)");
        if (!(sloTarget > 0 && sloTarget <= 1)) throw new IllegalArgumentException("--slo-target must be in (0, 1]");
        URI base = parseUrl(url);
        ApiFlavor flavor = ApiFlavor.parse(api);
        String apiKey = apiKey();
        List<LoadShape> levels = levels();
        RunLength length = runLength(levels); // checked before the server is asked anything
        Path vocabs = vocabDir != null ? vocabDir : TokenizerSpecs.defaultVocabDir();
        Tokenizer tok = TokenizerSpecs.load(tokenizer, vocabs);
        Tokenizer reference = noRetokenize ? null : referenceTokenizer.equals(tokenizer) ? tok : TokenizerSpecs.load(referenceTokenizer, vocabs);
        PromptSource prompts = prompts(tok);
        Duration readTimeout = duration(timeout, "--timeout");
        boolean nio = nioTransport(transportKind);
        try (StreamingHttpClient http = new StreamingHttpClient(Duration.ofSeconds(10), readTimeout);
             NioStreamTransport transport = new NioStreamTransport(Duration.ofSeconds(10), readTimeout)) {
            String modelName = model != null ? model : firstModel(http, base, apiKey, flavor);
            OpenAiStreamClient client = new OpenAiStreamClient(http, nio ? transport : null, base, flavor, apiKey);
            Path journalPath = journalPath();
            RequestJournal j = journalPath == null ? null : new RequestJournal(journalPath);
            if (ClientWarmUp.runOnce(clientWarm, nio, reference)) {
                spec.commandLine().getErr().printf(Locale.ROOT, "toks load: client warmed up (%s against a scripted server in this process)%n",
                        clientWarmup);
            }
            AtomicInteger finished = new AtomicInteger();
            var display = progressOptions.open(spec);
            var live = new LoadProgressDisplay(display);
            Thread onInterrupt = new Thread(() -> System.err.println("\ntoks load: interrupted after " + finished.get()
                    + " requests" + (journalPath == null ? "" : "; all of them are in " + journalPath
                    + " (toks load --from-journal " + journalPath + " summarizes them)")));
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            // Idle power is sampled now, the server idle too: only a server on this machine draws from its power.
            try (EnergyMonitor energy = energyOptions.open(display, base)) {
                var target = new OpenAiTarget(client, new OpenAiTarget.Settings(modelName, temperature, null));
                LoadRunner runner = new LoadRunner(target, prompts, !noForceLength, reference, seed, r -> {
                            if (j != null) j.request(r);
                            finished.incrementAndGet();
                            live.requestDone(r);
                        });
                spec.commandLine().getErr().printf("toks load: %s %s, model %s; %s; %s%n", flavor.name().toLowerCase(Locale.ROOT),
                        client.endpoint(), modelName, prompts.describe(), journalPath == null ? "no journal" : "journal " + journalPath);
                spec.commandLine().getErr().flush();
                var facts = new TargetFacts.Server(url, flavor.name().toLowerCase(Locale.ROOT), modelName, prompts.describe(), hardware);
                var writer = new ResultWriter("load", MachineFacts.manifest(facts, parameters(objectives)).withEnergy(energy.facts()),
                        Renderers.of("load", format, out), recording.sinks());
                FinishOnInterrupt finishOnInterrupt = FinishOnInterrupt.register("load", writer, spec.commandLine().getErr());
                LoadSession session = new LoadSession(runner, j, live::levelStarted, level -> {
                    live.levelDone(); // the level's row comes next
                    writer.accept(PerDevice.apply(level, hardware));
                }, energy);
                LoadSession.Outcome outcome;
                try {
                    outcome = session.run(new LoadSession.Plan(levels, length, warm, cool, objectives, sweep, sloTarget));
                } finally {
                    live.levelDone();
                    writer.manifest(writer.manifest().withEnergy(energy.facts())); // a source that failed midway says so
                    writer.finish();
                    finishOnInterrupt.close();
                }
                if (strict) {
                    List<String> failed = outcome.levels().stream()
                            .filter(m -> m.failed() > 0 || Boolean.FALSE.equals(m.sloMet()) || m.invalidUsageRequests() > 0)
                            .map(LoadCommand::strictFailure).toList();
                    if (!failed.isEmpty()) throw new ToksException("--strict: " + String.join("; ", failed));
                }
                if (sweep && outcome.levels().stream().noneMatch(m -> Boolean.TRUE.equals(m.sloMet()))) {
                    throw new ToksException("no level met the SLO (" + objectives.describe() + ") for "
                            + Math.round(100 * sloTarget) + "% of its requests");
                }
                if (outcome.levels().stream().allMatch(m -> m.succeeded() == 0)) {
                    LoadRun first = outcome.levels().get(0);
                    // What the server answered, when it answered: the reason a user can act on (a prompt too long, ...).
                    String said = first.errorMessages().entrySet().stream().filter(e -> e.getKey().startsWith("http_") || e.getKey().equals("redirect") || e.getKey().equals("server_error"))
                            .map(e -> "; the server said: " + e.getValue()).findFirst().orElse("");
                    boolean unreachable = first.errors().keySet().stream().allMatch("connect"::equals);
                    throw new ToksException("every request failed (" + first.errors() + said + ")"
                            + (unreachable ? "; is the server at " + base + "?" : ""));
                }
            } finally {
                if (j != null) j.close();
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            }
        }
        return 0;
    }

    private int summarizeJournal(PrintStream out, Format format, Slo objectives, Duration warm, Duration cool,
                                 TargetFacts.ServerHardware hardware, HistoryOptions.Recording recording) {
        var plan = new LoadSession.Plan(List.of(), null, warm, cool, objectives, false, sloTarget);
        String files = fromJournal.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", "));
        var manifest = MachineFacts.manifest(new TargetFacts.Server(null, null, null,
                (fromJournal.size() == 1 ? "journal " : fromJournal.size() + " journals merged: ") + files, hardware), parameters(objectives));
        List<LevelRun> runs = JournalMerge.read(fromJournal); // a file that is not a journal fails before any output
        var writer = new ResultWriter("load", manifest, Renderers.of("load", format, out), recording.sinks());
        for (LevelRun run : runs) writer.accept(PerDevice.apply(LoadSession.summarize(run, plan), hardware));
        writer.finish();
        return 0;
    }

    /** Why a level fails --strict: failed requests, a missed SLO, usage the server sent that cannot be true. */
    static String strictFailure(LoadRun m) {
        List<String> why = new ArrayList<>();
        if (m.failed() > 0) why.add(m.errors().toString());
        if (Boolean.FALSE.equals(m.sloMet())) why.add("missed the SLO");
        if (m.invalidUsageRequests() > 0) why.add("invalid server usage " + m.invalidUsage());
        return m.name() + " " + String.join(", ", why);
    }

    /** {@code h100-sxm} or {@code 8xh100-sxm}: devices of a catalog entry. */
    static TargetFacts.ServerHardware parseHardware(String s) {
        var m = java.util.regex.Pattern.compile("(?:(\\d+)\\s*[x*]\\s*)?(.+)").matcher(s.strip());
        if (!m.matches()) throw new IllegalArgumentException("--target-hardware takes [Nx]ID, e.g. 8xh100-sxm; got '" + s + "'");
        int devices;
        try {
            devices = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            devices = 0;
        }
        if (devices < 1 || devices > 1_000_000) throw new IllegalArgumentException("--target-hardware: device count must be 1 or more, got '" + s + "'");
        var spec = io.toks.core.hardware.SpecCatalog.builtIn().named(m.group(2));
        return TargetFacts.ServerHardware.of(spec, devices, "given with --target-hardware");
    }

    /** Every parameter of the run, for the manifest (the notes read slo, sweep and the reference tokenizer from here). */
    private Map<String, Object> parameters(Slo objectives) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (fromJournal != null) {
            // A summary of a journal: only what this run decided; the load itself was set by the run that wrote it.
            p.put("from_journal", fromJournal.stream().map(Path::toString).toList());
            p.put("warmup", warmup);
            p.put("cooldown", cooldown);
            p.put("reference_tokenizer", noRetokenize ? null : referenceTokenizerOption.name);
            p.put("slo", objectives.isSet() ? objectives.describe() : null);
            p.put("sweep", false);
            p.put("slo_target", sloTarget);
            return p;
        }
        p.put("concurrency", loop.concurrency);
        p.put("rate", loop.rates);
        p.put("arrival", loop.rates == null ? null : arrival);
        p.put("requests", length.requests);
        p.put("duration", length.duration);
        p.put("warmup", warmup);
        p.put("cooldown", cooldown);
        p.put("input_tokens", inputTokens);
        p.put("output_tokens", outputTokens);
        p.put("prompts", promptFiles.promptsFile == null ? null : promptFiles.promptsFile.toString());
        p.put("sharegpt", promptFiles.shareGpt == null ? null : promptFiles.shareGpt.toString());
        p.put("tokenizer", tokenizer);
        p.put("reference_tokenizer", noRetokenize ? null : referenceTokenizerOption.name);
        p.put("force_length", !noForceLength);
        p.put("temperature", temperature);
        p.put("seed", seed);
        p.put("slo", objectives.isSet() ? objectives.describe() : null);
        p.put("sweep", sweep);
        p.put("slo_target", sloTarget);
        p.put("io", transportKind);
        energyOptions.record(p);
        return p;
    }

    private List<LoadShape> levels() {
        List<LoadShape> levels = new ArrayList<>();
        if (loop.rates != null) {
            LoadShape.Arrival a = LoadShape.Arrival.parse(arrival);
            for (double r : loop.rates) levels.add(new LoadShape.Rate(r, a));
        } else {
            for (int c : loop.concurrency == null ? List.of(1) : loop.concurrency) levels.add(new LoadShape.Concurrency(c));
        }
        return levels;
    }

    private RunLength runLength(List<LoadShape> levels) {
        if (length.duration != null) {
            Duration d = duration(length.duration, "--duration");
            if (d.isZero()) throw new IllegalArgumentException("--duration must be > 0");
            return RunLength.duration(d);
        }
        if (length.requests != null) {
            if (length.requests < 1) throw new IllegalArgumentException("--requests must be >= 1, got " + length.requests);
            return RunLength.requests(length.requests);
        }
        double biggest = levels.stream().mapToDouble(LoadShape::level).max().orElse(1);
        int n = levels.get(0) instanceof LoadShape.Rate ? (int) Math.ceil(10 * biggest) : (int) (4 * biggest);
        return RunLength.requests(Math.max(32, n));
    }

    private PromptSource prompts(Tokenizer tok) {
        TokenLength out = TokenLength.parse(outputTokens);
        if (promptFiles.promptsFile != null) return FilePrompts.jsonl(promptFiles.promptsFile, tok, out.max());
        if (promptFiles.shareGpt != null) return FilePrompts.shareGpt(promptFiles.shareGpt, tok, out.max());
        return new SyntheticPrompts(tok, tokenizer, TokenLength.parse(inputTokens), out, 256, seed);
    }

    private String apiKey() {
        if (apiKeyEnv == null) return null;
        String key = System.getenv(apiKeyEnv);
        if (key == null || key.isBlank()) throw new ToksException("environment variable " + apiKeyEnv + " (--api-key-env) is not set");
        return key;
    }

    /** The first model a server lists, or one line saying why it cannot be known (shared with perplexity --url). */
    static String firstModel(StreamingHttpClient http, URI base, String apiKey, ApiFlavor flavor) {
        if (flavor == ApiFlavor.OLLAMA) throw new ToksException("--model is required with --api ollama");
        try {
            List<String> ids = ServerModels.list(http, base, apiKey);
            if (ids.isEmpty()) throw new ToksException(base + "/models lists no models; pass --model");
            return ids.get(0);
        } catch (IOException e) {
            throw new ToksException("cannot ask " + base + "/models which model to use (" + e.getMessage() + "); pass --model");
        }
    }

    private Path journalPath() {
        if ("none".equals(journal)) return null;
        if (journal != null) return Path.of(journal);
        return Path.of("toks-load-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".jsonl");
    }

    static boolean nioTransport(String io) {
        return switch (io.toLowerCase(Locale.ROOT)) {
            case "nio" -> true;
            case "blocking" -> false;
            default -> throw new IllegalArgumentException("--io must be nio or blocking, got '" + io + "'");
        };
    }

    static URI parseUrl(String s) {
        try {
            URI u = new URI(s);
            if (u.getScheme() == null || u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                throw new IllegalArgumentException();
            }
            return u;
        } catch (Exception e) {
            throw new IllegalArgumentException("--url must be an http(s) URL such as http://127.0.0.1:8000/v1, got '" + s + "'");
        }
    }

    private static Slo parseSlo(String s) {
        try {
            return Slo.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--slo: " + e.getMessage());
        }
    }

    private static Duration duration(String s, String option) {
        try {
            return Duration.ofNanos(Math.round(Slo.parseMillis(s) * 1e6));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }
}
