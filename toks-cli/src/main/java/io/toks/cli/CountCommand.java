package io.toks.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.toks.core.ToksException;
import io.toks.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
                "tokenizers can be compared: chars/token and tokens/word say how much text a token is."},
        footer = {"", "Example:", "  toks count ../shared/corpus --tokenizer cl100k,llama3,llama-spm"})
final class CountCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE_OR_DIR", description = "A UTF-8 text file, or a directory (all files under it).")
    Path input;

    @Mixin
    TokenizerOptions tokenizerOptions;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    /** Totals of one tokenizer over all files. */
    record Totals(String tokenizer, String kind, long tokens, long chars, long bytes, long words, double seconds) {}

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(input)) throw new ToksException("not found: " + input);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(input)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty()) throw new ToksException("no files under " + input);
        var named = tokenizerOptions.load();
        long[] tokens = new long[named.size()];
        long[] nanos = new long[named.size()];
        long chars = 0, bytes = 0, words = 0;
        boolean progress = System.console() != null && !json;
        PrintWriter err = spec.commandLine().getErr();
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            byte[] content = Files.readAllBytes(file);
            String text = decodeUtf8(content, file);
            bytes += content.length;
            chars += text.codePointCount(0, text.length());
            words += countWords(text);
            for (int k = 0; k < named.size(); k++) {
                if (progress) err.printf(Locale.ROOT, "\r  [%d/%d] %s: %s ...%s", f + 1, files.size(), file.getFileName(), named.get(k).name(), " ".repeat(10));
                long start = System.nanoTime();
                tokens[k] += count(named.get(k).tokenizer(), text);
                nanos[k] += System.nanoTime() - start;
            }
        }
        if (progress) err.print("\r" + " ".repeat(80) + "\r");
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            var mapper = new ObjectMapper();
            ArrayNode arr = mapper.createArrayNode();
            for (int k = 0; k < named.size(); k++) {
                arr.addPOJO(new Totals(named.get(k).name(), named.get(k).tokenizer().kind(), tokens[k], chars, bytes, words, nanos[k] / 1e9));
            }
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
        } else {
            out.printf(Locale.ROOT, "%d file(s), %d characters, %d bytes, %d words%n", files.size(), chars, bytes, words);
            out.printf(Locale.ROOT, "| %-16s | %12s | %11s | %11s | %10s | %10s |%n", "tokenizer", "tokens", "chars/token", "tokens/word", "MB/s", "tokens/s");
            out.printf(Locale.ROOT, "| %s | %s: | %s: | %s: | %s: | %s: |%n", "-".repeat(16), "-".repeat(11), "-".repeat(10), "-".repeat(10), "-".repeat(9), "-".repeat(9));
            for (int k = 0; k < named.size(); k++) {
                double s = nanos[k] / 1e9;
                out.printf(Locale.ROOT, "| %-16s | %12d | %11.3f | %11.3f | %10.2f | %10.0f |%n", named.get(k).name(), tokens[k],
                        chars / (double) tokens[k], tokens[k] / (double) words, bytes / 1e6 / s, tokens[k] / s);
            }
            out.println("MB/s and tokens/s: one thread, this run, whole files encoded at once (docs/metrics.md).");
        }
        out.flush();
        return 0;
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
