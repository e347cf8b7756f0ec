package io.toks.cli;

import io.toks.cli.progress.ProgressTask;
import io.toks.core.ToksException;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.TokenizerRun;
import io.toks.core.result.Unit;
import io.toks.report.Format;
import io.toks.report.Renderers;
import io.toks.report.ResultWriter;
import io.toks.tokenizer.Tokenizer;
import io.toks.tokenizer.TokenizerRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "count", header = "Tokens, chars/token and tokenizer speed of text files, per tokenizer.", mixinStandardHelpOptions = true, sortOptions = false,
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

    @Parameters(index = "0", paramLabel = "FILE_OR_DIR", description = "A UTF-8 text file, or a directory (every UTF-8 text file under it; others are skipped and named).")
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

    @Option(names = "--json", description = "Print the result document as JSON instead of a table (as -o json).")
    boolean json;

    @Mixin
    OutputOptions outputOptions;

    @Mixin
    ProgressOptions progressOptions;

    @Mixin
    HistoryOptions historyOptions;

    @Override
    public Integer call() throws IOException {
        // Opened before any slow work: a --history that cannot be opened fails here.
        try (HistoryOptions.Recording recording = historyOptions.open(spec.commandLine().getErr())) {
            return measure(recording);
        }
    }

    private Integer measure(HistoryOptions.Recording recording) throws IOException {
        if (json && !outputOptions.output.equalsIgnoreCase("md") && !outputOptions.output.equalsIgnoreCase("json")) {
            throw new ToksException("give --json or -o " + outputOptions.output + ", not both");
        }
        Format format = json ? Format.JSON : outputOptions.format("count");
        progressOptions.mode(); // checked before any slow work
        if (!Files.exists(input)) throw new ToksException("not found: " + input);
        if (!Files.isRegularFile(input) && !Files.isDirectory(input)) {
            throw new ToksException(input + " is not a regular file or a directory (a device, a pipe?): count reads text files");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(input)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty()) throw new ToksException("no files under " + input);
        List<Path> skipped = List.of();
        if (Files.isDirectory(input)) {
            // A folder of text may hold a stray binary (an image, an archive): it is left out and
            // named, as train --data does; a file named on its own must be text.
            skipped = files.stream().filter(f -> !isUtf8Text(f)).toList();
            if (skipped.size() == files.size()) throw new ToksException("no UTF-8 text files under " + input + " (" + files.size() + " other file(s))");
            List<Path> excluded = skipped;
            files = files.stream().filter(f -> !excluded.contains(f)).toList();
            if (!skipped.isEmpty()) spec.commandLine().getErr().println(skippedNote(skipped));
        }
        long totalBytes = 0;
        for (Path f : files) totalBytes += Files.size(f);
        if (totalBytes == 0) throw new ToksException("no text to count in " + input + ": " + (files.size() == 1 ? "the file is" : "all files are") + " empty");
        int timed = repeat != null ? repeat : bench ? 5 : 1;
        int untimed = warmup != null ? warmup : bench ? 1 : 0;
        if (timed < 1 || untimed < 0) throw new ToksException("--repeat must be at least 1 and --warmup at least 0");
        List<String> names = new ArrayList<>(tokenizerOptions.tokenizers);
        if (bench && names.stream().noneMatch(n -> n.trim().equalsIgnoreCase(REFERENCE))) names.add(REFERENCE);
        var named = tokenizerOptions.load(names);
        long[] tokens = new long[named.size()];
        long[][] nanos = new long[named.size()][timed];
        long chars = 0, bytes = 0, words = 0;
        // Every tokenizer reads every byte once per pass: the work is passes x tokenizers x bytes.
        long work = (long) (untimed + timed) * named.size() * totalBytes, workDone = 0;
        ProgressTask task = progressOptions.open(spec).start("count", work / 1024, "KiB");
        // Passes interleave the tokenizers file by file, so a slow spell of a shared machine
        // falls on all of them alike.
        try {
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
                        long start = System.nanoTime();
                        long n = count(named.get(k).tokenizer(), text);
                        long elapsed = System.nanoTime() - start;
                        workDone += content.length;
                        task.doneSoFar(workDone / 1024);
                        task.message(String.format(Locale.ROOT, "pass %d/%d%s, %s %.1f MB/s", pass + 1, untimed + timed,
                                measured ? "" : " (warm-up)", named.get(k).name(), content.length / (elapsed / 1e3)));
                        if (first) tokens[k] += n;
                        if (measured) nanos[k][pass - untimed] += elapsed;
                    }
                }
            }
        } finally {
            task.close(); // the table (or the error) comes next
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("input", input.toString());
        if (!skipped.isEmpty()) parameters.put("skipped_files", skipped.stream().map(Path::toString).toList());
        parameters.put("tokenizers", names);
        parameters.put("bench", bench);
        parameters.put("repeat", timed);
        parameters.put("warmup", untimed);
        var manifest = MachineFacts.manifest(new TargetFacts.Tokenizers(input.toString(), files.size()), parameters);
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        var writer = new ResultWriter("count", manifest, Renderers.of("count", format, out), recording.sinks());
        for (TokenizerRun run : runs(named, tokens, nanos, files.size(), chars, bytes, words)) writer.accept(run);
        writer.finish();
        return 0;
    }

    /** One run per tokenizer; speeds per timed pass, and each median against the reference's when it ran. */
    private static List<TokenizerRun> runs(List<TokenizerRegistry.Named> named, long[] tokens, long[][] nanos, int files,
                                           long chars, long bytes, long words) {
        MetricSummary[] mbPerSecond = new MetricSummary[named.size()];
        int reference = -1;
        for (int k = 0; k < named.size(); k++) {
            mbPerSecond[k] = MetricSummary.ofSamples(Unit.MEGABYTES_PER_SECOND,
                    Arrays.stream(nanos[k]).mapToDouble(ns -> bytes / 1e6 / (ns / 1e9)).toArray());
            if (named.get(k).name().trim().equalsIgnoreCase(REFERENCE)) reference = k;
        }
        List<TokenizerRun> out = new ArrayList<>();
        for (int k = 0; k < named.size(); k++) {
            long n = tokens[k];
            MetricSummary tps = MetricSummary.ofSamples(Unit.TOKENS_PER_SECOND,
                    Arrays.stream(nanos[k]).mapToDouble(ns -> n / (ns / 1e9)).toArray());
            Double ratio = reference >= 0 ? mbPerSecond[k].median() / mbPerSecond[reference].median() : null;
            String name = named.get(k).name();
            out.add(new TokenizerRun(name, name, named.get(k).tokenizer().kind(), files, n, chars, bytes, words, ratio,
                    reference >= 0 ? REFERENCE : null,
                    Map.of(Metric.TOKENIZE_MB_PER_S, mbPerSecond[k], Metric.TOKENIZE_TPS, tps)));
        }
        return out;
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

    private static boolean isUtf8Text(Path file) {
        try {
            decodeUtf8(Files.readAllBytes(file), file);
            return true;
        } catch (ToksException e) {
            return false;
        } catch (java.io.IOException e) {
            throw new ToksException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** One line naming what was left out (the first few, then how many more). */
    static String skippedNote(List<Path> skipped) {
        if (skipped.isEmpty()) return "";
        List<String> names = skipped.stream().limit(5).map(Path::toString).toList();
        return "toks count: skipped " + skipped.size() + " file(s) that are not UTF-8 text: " + String.join(", ", names)
                + (skipped.size() > names.size() ? " and " + (skipped.size() - names.size()) + " more" : "");
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
