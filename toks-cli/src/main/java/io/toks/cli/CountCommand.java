package io.toks.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.toks.core.ToksException;
import io.toks.core.stats.Statistics;
import io.toks.core.stats.Summary;
import io.toks.tokenizer.Tokenizer;
import io.toks.tokenizer.TokenizerRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "count", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Counts the tokens of a text file, or of every file under a directory, per tokenizer,",
                "with characters, bytes and words, so token counts (and tok/s) of models with different",
                "tokenizers can be compared: chars/token and tokens/word say how much text a token is.",
                "With --bench it is a tokenizer speed benchmark: warm-up, repeated passes, median MB/s with",
                "its spread, and each tokenizer's ratio to JTokkit's cl100k_base measured in the same run."},
        footer = {"", "Examples:", "  toks count ../shared/corpus --tokenizer cl100k,llama3,llama-spm",
                "  toks count ../shared/corpus --tokenizer cl100k,o200k,llama3 --bench"})
final class CountCommand implements Callable<Integer> {

    /** The speed reference of --bench: the Java library most JVM users tokenize with. */
    static final String REFERENCE = "jtokkit:cl100k";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE_OR_DIR", description = "A UTF-8 text file, or a directory (all files under it).")
    Path input;

    @Mixin
    TokenizerOptions tokenizerOptions;

    @Option(names = "--bench", description = "Benchmark: 1 warm-up pass and 5 timed passes (unless --warmup/--repeat say otherwise), "
            + "and " + REFERENCE + " added as the reference.")
    boolean bench;

    @Option(names = "--repeat", paramLabel = "N", description = "Timed passes over the text; MB/s is their median. Default: 1 (5 with --bench).")
    Integer repeat;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed passes first (JIT compilation). Default: 0 (1 with --bench).")
    Integer warmup;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    /** Totals of one tokenizer over all files; MB/s per timed pass. */
    record Totals(String tokenizer, String kind, long tokens, long chars, long bytes, long words, double seconds,
                  double mbPerSecond, double mbPerSecondMin, double mbPerSecondMax, Double vsReference) {}

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(input)) throw new ToksException("not found: " + input);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(input)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty()) throw new ToksException("no files under " + input);
        int timed = repeat != null ? repeat : bench ? 5 : 1;
        int untimed = warmup != null ? warmup : bench ? 1 : 0;
        if (timed < 1 || untimed < 0) throw new ToksException("--repeat must be at least 1 and --warmup at least 0");
        List<String> names = new ArrayList<>(tokenizerOptions.tokenizers);
        if (bench && names.stream().noneMatch(n -> n.trim().equalsIgnoreCase(REFERENCE))) names.add(REFERENCE);
        var named = tokenizerOptions.load(names);
        long[] tokens = new long[named.size()];
        long[][] nanos = new long[named.size()][timed];
        long chars = 0, bytes = 0, words = 0;
        boolean progress = System.console() != null && !json;
        PrintWriter err = spec.commandLine().getErr();
        // Passes interleave the tokenizers file by file, so a slow spell of a shared machine
        // falls on all of them alike.
        for (int pass = 0; pass < untimed + timed; pass++) {
            boolean first = pass == 0, measured = pass >= untimed;
            for (int f = 0; f < files.size(); f++) {
                Path file = files.get(f);
                byte[] content = Files.readAllBytes(file);
                String text = decodeUtf8(content, file);
                if (first) {
                    bytes += content.length;
                    chars += text.codePointCount(0, text.length());
                    words += countWords(text);
                }
                for (int k = 0; k < named.size(); k++) {
                    if (progress) err.printf(Locale.ROOT, "\r  pass %d/%d%s [%d/%d] %s: %s ...%s", pass + 1, untimed + timed,
                            measured ? "" : " (warm-up)", f + 1, files.size(), file.getFileName(), named.get(k).name(), " ".repeat(10));
                    long start = System.nanoTime();
                    long n = count(named.get(k).tokenizer(), text);
                    long elapsed = System.nanoTime() - start;
                    if (first) tokens[k] += n;
                    if (measured) nanos[k][pass - untimed] += elapsed;
                }
            }
        }
        if (progress) err.print("\r" + " ".repeat(100) + "\r");
        List<Totals> totals = totals(named, tokens, nanos, chars, bytes, words);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            var mapper = new ObjectMapper();
            ArrayNode arr = mapper.createArrayNode();
            totals.forEach(arr::addPOJO);
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
        } else {
            printTable(out, totals, files.size(), timed, untimed);
        }
        out.flush();
        return 0;
    }

    private static List<Totals> totals(List<TokenizerRegistry.Named> named, long[] tokens, long[][] nanos, long chars, long bytes, long words) {
        Summary[] speed = new Summary[named.size()];
        int reference = -1;
        for (int k = 0; k < named.size(); k++) {
            speed[k] = Statistics.summarize(java.util.Arrays.stream(nanos[k]).mapToDouble(ns -> bytes / 1e6 / (ns / 1e9)).toArray());
            if (named.get(k).name().trim().equalsIgnoreCase(REFERENCE)) reference = k;
        }
        List<Totals> out = new ArrayList<>();
        for (int k = 0; k < named.size(); k++) {
            Double ratio = reference >= 0 ? speed[k].median() / speed[reference].median() : null;
            out.add(new Totals(named.get(k).name(), named.get(k).tokenizer().kind(), tokens[k], chars, bytes, words,
                    bytes / 1e6 / speed[k].median(), speed[k].median(), speed[k].min(), speed[k].max(), ratio));
        }
        return out;
    }

    private static void printTable(PrintWriter out, List<Totals> totals, int fileCount, int timed, int untimed) {
        Totals any = totals.getFirst();
        boolean ratios = any.vsReference() != null;
        out.printf(Locale.ROOT, "%d file(s), %d characters, %d bytes, %d words%n", fileCount, any.chars(), any.bytes(), any.words());
        out.printf(Locale.ROOT, "| %-16s | %-20s | %12s | %11s | %11s | %17s | %10s |%s%n", "tokenizer", "implementation", "tokens",
                "chars/token", "tokens/word", "MB/s (min-max)", "tokens/s", ratios ? " vs " + REFERENCE + " |" : "");
        out.printf(Locale.ROOT, "| %s | %s | %s: | %s: | %s: | %s: | %s: |%s%n", "-".repeat(16), "-".repeat(20), "-".repeat(11),
                "-".repeat(10), "-".repeat(10), "-".repeat(16), "-".repeat(9), ratios ? " " + "-".repeat(17) + ": |" : "");
        for (Totals t : totals) {
            String speed = timed > 1 ? String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", t.mbPerSecond(), t.mbPerSecondMin(), t.mbPerSecondMax())
                    : String.format(Locale.ROOT, "%.2f", t.mbPerSecond());
            out.printf(Locale.ROOT, "| %-16s | %-20s | %12d | %11.3f | %11.3f | %17s | %10.0f |%s%n", t.tokenizer(), t.kind(), t.tokens(),
                    t.chars() / (double) t.tokens(), t.tokens() / (double) t.words(), speed, t.tokens() / t.seconds(),
                    ratios ? String.format(Locale.ROOT, " %18.2f |", t.vsReference()) : "");
        }
        out.printf(Locale.ROOT, "MB/s and tokens/s: one thread, whole files encoded to ids, median of %d timed pass(es)%s (docs/metrics.md).%n",
                timed, untimed > 0 ? " after " + untimed + " warm-up pass(es)" : "");
    }

    static long count(Tokenizer t, String text) {
        return t.encode(text, false, false).length;
    }

    static long countWords(String text) {
        long n = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) n++;
            inWord = !space;
        }
        return n;
    }

    static String decodeUtf8(byte[] content, Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            // Find the offset for the message: decode prefixes is slow, scan for the first bad sequence instead.
            throw new ToksException(file + ": not valid UTF-8 text (at or near byte " + firstInvalidUtf8(content) + ")");
        }
    }

    static int firstInvalidUtf8(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            int need = c < 0x80 ? 0 : c >= 0xF0 && c < 0xF8 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 && c < 0xE0 ? 1 : -1;
            if (need < 0 || i + need >= b.length + (need == 0 ? 1 : 0) && need > 0) return i;
            for (int k = 1; k <= need; k++) if (i + k >= b.length || (b[i + k] & 0xC0) != 0x80) return i;
            i += need + 1;
        }
        return b.length;
    }
}
