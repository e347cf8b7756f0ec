package io.toks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end, in process: outputs, exit codes and one-line errors. */
class CliTest {

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    static Result toks(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Toks.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static Path shared(String relative) {
        return Path.of(io.toks.core.SharedData.locate(Path.of(System.getProperty("toks.root", ".")).toAbsolutePath()).toString(), relative);
    }

    /** A one-line error message: exactly one non-empty line on stderr, no stack trace. */
    static void assertOneLineError(Result r, int code, String... fragments) {
        assertThat(r.code()).isEqualTo(code);
        String[] lines = r.err().strip().split("\n");
        assertThat(lines).as(r.err()).hasSize(code == Toks.EXIT_USAGE ? 2 : 1);
        assertThat(lines[0]).startsWith("toks: ");
        for (String f : fragments) assertThat(lines[0]).contains(f);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void greedyRunOnTheEmbeddedModelPrintsTheGoldenStoryAndStatistics() throws IOException {
        Result r = toks("run", "--prompt", "Once upon a time", "--temperature", "0", "-n", "252", "-t", "1");
        String golden = Files.readString(shared("models/stories260K/golden/greedy_once_upon_a_time.txt"));
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(golden);
        assertThat(r.err()).contains("prompt eval count:    5 token(s)", "eval count:           252 token(s)",
                "eval rate:", "prompt eval rate:", "time to first token:", "load duration:", "total duration:");
    }

    @Test
    void seededSamplingIsReproducible() {
        Result a = toks("run", "-n", "40", "--seed", "7", "--temperature", "0.9", "--top-k", "40");
        Result b = toks("run", "-n", "40", "--seed", "7", "--temperature", "0.9", "--top-k", "40");
        assertThat(a.code()).isZero();
        assertThat(a.out()).isEqualTo(b.out()).isNotBlank();
    }

    @Test
    void benchPrintsALlamaBenchTable() {
        Result r = toks("bench", "-p", "16", "-n", "8", "-r", "2", "-t", "1,2", "--warmup", "0", "--jit-warmup-ms", "0", "--no-roofline");
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).contains("model", "size", "params", "type", "threads", "test", "t/s");
        assertThat(r.out()).contains("| stories260K", "pp16", "tg8", " ± ", "F32");
        assertThat(Arrays.stream(lines).filter(l -> l.startsWith("| stories260K")).count()).isEqualTo(4);
    }

    @Test
    void benchJsonCarriesStatisticsAndManifest() throws IOException {
        Result r = toks("bench", "-p", "8", "-n", "4", "-r", "3", "-t", "1", "--warmup", "0", "--jit-warmup-ms", "0", "-o", "json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("schema").asInt()).isEqualTo(2);
        assertThat(doc.get("command").asText()).isEqualTo("bench");
        JsonNode run = doc.get("runs").get(0);
        assertThat(run.get("kind").asText()).isEqualTo("engine");
        assertThat(run.get("name").asText()).isEqualTo("pp8");
        JsonNode tps = run.get("metrics").get("prefill_tps");
        for (String k : new String[] {"unit", "n", "mean", "stdev", "ci95_low", "ci95_high", "min", "median", "max", "samples"}) {
            assertThat(tps.has(k)).as(k).isTrue();
        }
        assertThat(tps.get("samples")).hasSize(3);
        // llama-bench's names for the same quantities
        assertThat(run.get("n_prompt").asInt()).isEqualTo(8);
        assertThat(run.get("n_gen").asInt()).isZero();
        assertThat(run.get("n_threads").asInt()).isEqualTo(1);
        assertThat(run.get("avg_ts").asDouble()).isEqualTo(tps.get("mean").asDouble());
        assertThat(run.get("samples_ts")).hasSize(3);
        assertThat(run.get("samples_ns")).hasSize(3);
        JsonNode m = doc.get("manifest");
        for (String k : new String[] {"cpu_model", "cores", "memory_bytes", "os"}) assertThat(m.get("machine").has(k)).as(k).isTrue();
        for (String k : new String[] {"vendor", "version", "jit"}) assertThat(m.get("jvm").has(k)).as(k).isTrue();
        assertThat(m.get("toks").has("version")).isTrue();
        assertThat(m.get("toks").has("commit")).isTrue();
        assertThat(m.get("target").get("kind").asText()).isEqualTo("engine");
        assertThat(m.get("target").get("models").get(0).get("sha256").asText()).hasSize(64);
        assertThat(m.get("target").get("kernels").get("vector_bits").asInt()).isPositive();
        assertThat(m.get("parameters").get("threads").get(0).asInt()).isEqualTo(1);
        // The roofline was measured in the run; the 1 MB embedded model is judged cache-resident.
        assertThat(m.get("target").get("hardware_limits").get(0).get("read_bandwidth_gbs").asDouble()).isPositive();
        assertThat(run.get("roofline").get("bound").asText()).isEqualTo("cache");
    }

    /** Bad input is reported before the bandwidth probe and before any table header. */
    @Test
    void benchRefusesABrokenFileOrAnOverlongTestBeforeMeasuring() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.gguf"));
        Result r = toks("bench", empty.toString());
        assertOneLineError(r, 1, "empty.gguf");
        assertThat(r.out()).isEmpty();
        Result tooLong = toks("bench", "-n", "100000");
        assertOneLineError(tooLong, 1, "context of 512");
        assertThat(tooLong.out()).isEmpty();
        assertOneLineError(toks("run", "--tokenizer", tmp.resolve("missing.bin").toString()), 1, "tokenizer file not found");
        assertOneLineError(toks("run", "--tokenizer", empty.toString()), 1, "applies to llama2.c");
        // What the engine refuses is refused before the prompt is echoed: stdout stays empty.
        Result noThreads = toks("run", "-p", "hi", "-t", "0");
        assertOneLineError(noThreads, 1, "--threads must be >= 1");
        assertThat(noThreads.out()).isEmpty();
        Result badCache = toks("run", "-p", "hi", "--cache-type", "q4_0");
        assertOneLineError(badCache, 1, "unknown cache type 'q4_0'");
        assertThat(badCache.out()).isEmpty();
    }

    /** The tokenizers toks offers by name work on any machine: they ship inside toks, no --vocab-dir, no ../shared. */
    @Test
    void namedTokenizersNeedNoVocabularyDirectory() {
        Result r = toks("tokenize", "I love AI", "--tokenizer", "llama-spm,gpt2,llama3,cl100k,bert,phi-3,deepseek-coder");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("llama-spm", "gpt2", "llama3", "bert", "phi-3", "deepseek-coder");
    }

    @Test
    void benchCsvAndJsonl() throws IOException {
        Result csv = toks("bench", "-p", "8", "-n", "4", "-r", "2", "-t", "1", "--warmup", "0", "--jit-warmup-ms", "0", "-o", "csv", "--no-roofline");
        assertThat(csv.out().split("\n")).hasSize(3);
        assertThat(csv.out()).startsWith("model,size_bytes,params,type,threads,test,n_prompt,n_gen,n,mean_tps");
        Result jsonl = toks("bench", "-p", "8", "-n", "4", "-r", "2", "-t", "1", "--warmup", "0", "--jit-warmup-ms", "0", "-o", "jsonl", "--no-roofline");
        String[] lines = jsonl.out().strip().split("\n");
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            JsonNode doc = new ObjectMapper().readTree(line);
            assertThat(doc.has("manifest")).isTrue();
            assertThat(doc.get("runs")).hasSize(1);
        }
    }

    @Test
    void synthWritesAGgufThatBenchAndTheEngineLoad() throws IOException {
        Path out = tmp.resolve("tiny.gguf");
        Result synth = toks("synth", "--preset", "custom", "--dim", "256", "--layers", "2", "--heads", "4", "--kv-heads", "2",
                "--ffn", "512", "--vocab", "1000", "--type", "q4_k_m", "-o", out.toString(),
                "--vocab-dir", shared("tokenizers").toString());
        assertThat(synth.code()).as(synth.err()).isZero();
        assertThat(synth.out()).contains("GPT-2", "truncated to 1000");
        // llama.cpp knows GPT-2's pre-tokenizer as "gpt-2" and refuses a file that says "gpt2"
        String raw = new String(java.nio.file.Files.readAllBytes(out), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(raw).containsPattern("tokenizer\\.ggml\\.pre.{1,16}gpt-2").doesNotContainPattern("tokenizer\\.ggml\\.pre.{1,16}gpt2");
        Result bench = toks("bench", out.toString(), "-p", "8", "-n", "4", "-r", "1", "-t", "1", "--warmup", "0", "--jit-warmup-ms", "0", "--no-roofline");
        assertThat(bench.code()).as(bench.err()).isZero();
        assertThat(bench.out()).contains("Q4_K_M", "pp8", "tg4");
        // The vocabulary is GPT-2's byte-level BPE: run tokenizes the prompt and streams (gibberish) text.
        Result run = toks("run", out.toString(), "-p", "hi", "-n", "5", "--ignore-eos", "-t", "1");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).contains("eval count:           5 token(s)");
    }

    @Test
    void everySubcommandPrintsTheVersion() {
        String version = toks("--version").out().strip();
        assertThat(version).startsWith("toks ");
        for (String command : new String[] {"run", "bench", "count", "serve", "load"}) {
            Result r = toks(command, "-V");
            assertThat(r.code()).as(command).isZero();
            assertThat(r.out().strip()).as(command).isEqualTo(version);
        }
    }

    @Test
    void serveRefusesAHostThatDoesNotResolveBeforeLoadingTheModel() {
        assertOneLineError(toks("serve", "--port", "0", "--host", "999.1.1.1"), 1, "--host 999.1.1.1 is neither an IP address nor a name");
    }

    /** Each refused before a byte is written, with the loader's own reason where it is the loader's rule. */
    @Test
    void synthRefusesShapesItsLoaderWouldRefuseBeforeWriting() {
        Path out = tmp.resolve("refused.gguf");
        String o = out.toString();
        assertOneLineError(toks("synth", "--preset", "custom", "--dim", "64", "-o", o), 1, "needs --dim, --layers, --heads and --ffn",
                "missing: --layers, --heads, --ffn");
        assertOneLineError(toks("synth", "--preset", "custom", "--dim", "63", "--layers", "1", "--heads", "4", "--ffn", "128", "-o", o), 1,
                "dim 63 is not divisible by heads 4");
        assertOneLineError(toks("synth", "--preset", "custom", "--dim", "64", "--layers", "1", "--heads", "4", "--kv-heads", "3", "--ffn",
                "128", "-o", o), 1, "heads 4 is not divisible by kv_heads 3");
        assertOneLineError(toks("synth", "--preset", "custom", "--dim", "-64", "--layers", "1", "--heads", "4", "--ffn", "128", "-o", o), 1,
                "--dim must be positive, got -64");
        assertOneLineError(toks("synth", "--preset", "custom", "--dim", "64", "--layers", "1", "--heads", "4", "--ffn", "128", "--vocab",
                "10", "-o", o), 1, "vocabulary of 10 tokens is too small");
        assertOneLineError(toks("synth", "--preset", "custom", "--dim", "100000", "--layers", "100", "--heads", "8", "--ffn", "400000",
                "-o", o), 1, "the largest tensor of this shape is", "GB");
        assertOneLineError(toks("synth", "--preset", "smollm2-135m", "--dim", "128", "-o", o), 1,
                "--dim only apply to --preset custom");
        assertThat(out).doesNotExist();
        assertThat(tmp.resolve("refused.gguf.partial")).doesNotExist();
    }

    @Test
    void benchOnASyntheticPreset() {
        Result r = toks("bench", "--synthetic", "smollm2-135m:q8_0", "-p", "4", "-n", "2", "-r", "1", "-t", "2", "--warmup", "0", "--jit-warmup-ms", "0", "--no-roofline");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("smollm2-135m (synthetic)", "134.52 M", "Q8_0", "gibberish");
        assertOneLineError(toks("bench", "--synthetic", "gpt-5:q4_0"), 1, "unknown preset 'gpt-5'");
        assertOneLineError(toks("bench", "--synthetic", "llama-3.2-1b:q3_k"), 1, "Q3_K");
    }

    @Test
    void tokenizeShowsEachTokenizerSideBySide() throws IOException {
        String vocab = shared("tokenizers").toString();
        Result r = toks("tokenize", "I love AI", "--tokenizer", "llama-spm,gpt2,llama3,cl100k", "--vocab-dir", vocab);
        assertThat(r.code()).as(r.err()).isZero();
        // ids from the reference tokenizers: Llama 2 SentencePiece, GPT-2, Llama 3 / cl100k (which agree here)
        assertThat(r.out()).contains("llama-spm (spm-bpe): 4 tokens", "306   5360    319   29902",
                "gpt2 (byte-bpe/gpt2): 3 tokens", "40   1842    9552",
                "llama3 (byte-bpe/llama-bpe): 3 tokens", "40   3021    15592", "cl100k (tiktoken/cl100k_base): 3 tokens", "·love");
        Result json = toks("tokenize", "Hello world", "--tokenizer", "gpt2", "--json", "--vocab-dir", vocab);
        var node = new ObjectMapper().readTree(json.out()).get(0);
        assertThat(node.get("count").asInt()).isEqualTo(2);
        assertThat(node.get("ids").toString()).isEqualTo("[15496,995]");
        assertOneLineError(toks("tokenize", "x", "--tokenizer", "nope", "--vocab-dir", vocab), 1, "unknown tokenizer 'nope'");
        Result bert = toks("tokenize", "Hello World!", "--tokenizer", "bert", "--vocab-dir", vocab);
        assertThat(bert.out()).contains("bert (wordpiece): 3 tokens", "·hello").containsPattern("7592 +2088 +999"); // uncased: hello world !
    }

    @Test
    void countReportsTokensPerTokenizerAndRejectsInvalidUtf8() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("corpus"));
        Files.writeString(dir.resolve("a.txt"), "Once upon a time there was a cat.\n");
        Files.writeString(dir.resolve("b.txt"), "It sat on the mat.\n");
        Result r = toks("count", dir.toString(), "--tokenizer", "cl100k,gpt2", "--json", "--vocab-dir", shared("tokenizers").toString());
        assertThat(r.code()).as(r.err()).isZero();
        var arr = new ObjectMapper().readTree(r.out()).get("runs");
        assertThat(arr.get(0).get("tokens").asLong()).isEqualTo(15); // 10 + 5 cl100k tokens
        assertThat(arr.get(0).get("words").asLong()).isEqualTo(13);
        assertThat(arr.get(0).get("chars").asLong()).isEqualTo(53);
        assertThat(arr.get(0).get("files").asInt()).isEqualTo(2);
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.createFile(empty.resolve("e.txt"));
        assertOneLineError(toks("count", empty.toString()), 1, "no text to count", "empty");
        Path invalid = Files.write(dir.resolve("c.txt"), new byte[] {'o', 'k', (byte) 0xC3, '('});
        assertOneLineError(toks("count", invalid.toString()), 1, "c.txt", "not valid UTF-8", "byte 2");
        // In a folder it is left out and named (TokenizeAndCountMessagesTest).
        assertThat(toks("count", dir.toString()).err()).contains("skipped 1 file(s) that are not UTF-8 text: " + invalid);
    }

    @Test
    void countBenchAddsJTokkitAsTheReferenceAndGivesRatiosFromTimedPasses() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bench-corpus"));
        Files.writeString(dir.resolve("a.txt"), "Once upon a time there was a cat. It's 2024, isn't it?\n".repeat(200));
        Result r = toks("count", dir.toString(), "--tokenizer", "cl100k", "--bench", "--repeat", "3", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        var arr = new ObjectMapper().readTree(r.out()).get("runs");
        assertThat(arr).hasSize(2);
        assertThat(arr.get(1).get("tokenizer").asText()).isEqualTo("jtokkit:cl100k");
        assertThat(arr.get(0).get("implementation").asText()).isEqualTo("tiktoken/cl100k_base");
        assertThat(arr.get(0).get("tokens").asLong()).isEqualTo(arr.get(1).get("tokens").asLong()).isPositive();
        assertThat(arr.get(1).get("vs_reference").asDouble()).isEqualTo(1.0);
        var speed = arr.get(0).get("metrics").get("tokenize_mb_per_s");
        assertThat(speed.get("samples")).hasSize(3);
        assertThat(speed.get("min").asDouble()).isPositive().isLessThanOrEqualTo(speed.get("median").asDouble());
        assertThat(speed.get("max").asDouble()).isGreaterThanOrEqualTo(speed.get("median").asDouble());
        Result table = toks("count", dir.toString(), "--tokenizer", "cl100k", "--bench", "--repeat", "2");
        assertThat(table.out()).contains("vs jtokkit:cl100k", "median of 2 timed pass(es) after 1 warm-up pass(es)");
        assertOneLineError(toks("count", dir.toString(), "--repeat", "0"), 1, "--repeat must be at least 1");
    }

    @Test
    void helpDescribesEveryOption() {
        Result top = toks("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("run", "bench");
        Result bench = toks("bench", "--help");
        assertThat(bench.out()).contains("--n-prompt", "--n-gen", "--threads", "--repetitions", "--output", "--warmup", "--seed");
        Result run = toks("run", "--help");
        assertThat(run.out()).contains("--prompt", "--max-tokens", "--temperature", "--top-p", "--top-k", "--seed", "--threads");
    }

    @Test
    void missingModelFile() {
        assertOneLineError(toks("run", tmp.resolve("missing.gguf").toString()), 1, "not found", "missing.gguf");
        // bench says so before its table starts: no header left above the error
        Result bench = toks("bench", "--no-roofline", tmp.resolve("missing.gguf").toString());
        assertOneLineError(bench, 1, "not found", "missing.gguf");
        assertThat(bench.out()).isEmpty();
    }

    @Test
    void fileThatIsNotAModel() throws IOException {
        Path p = tmp.resolve("readme.txt");
        Files.writeString(p, "hello\n".repeat(100));
        assertOneLineError(toks("bench", p.toString()), 1, "not a llama2.c model");
    }

    @Test
    void truncatedGguf() throws IOException {
        byte[] all = Files.readAllBytes(shared("models/stories260K/stories260K.gguf"));
        Path p = tmp.resolve("cut.gguf");
        Files.write(p, Arrays.copyOf(all, 400_000));
        assertOneLineError(toks("run", p.toString()), 1, "cut.gguf", "truncated");
    }

    @Test
    void promptLongerThanTheContext() {
        String longPrompt = "the cat sat on the mat. ".repeat(200);
        assertOneLineError(toks("run", shared("models/stories260K/stories260K.bin").toString(), "-p", longPrompt),
                1, "context of 512");
        assertOneLineError(toks("bench", "-p", "4096", "--jit-warmup-ms", "0"), 1, "context of 512");
    }

    @Test
    void badFlagsAndValues() {
        assertOneLineError(toks("bench", "--bogus"), Toks.EXIT_USAGE, "Unknown option");
        assertOneLineError(toks("bench", "-r", "zero"), Toks.EXIT_USAGE, "zero");
        assertOneLineError(toks("bench", "-o", "xml"), 1, "xml");
        assertOneLineError(toks("bench", "-r", "0"), 1, "repetitions");
        assertOneLineError(toks("run", "--temperature", "-2"), 1, "temperature");
        assertOneLineError(toks("bench", "-p", "0", "-n", "0"), 1, "nothing to run");
    }
}
