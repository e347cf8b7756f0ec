package io.toks.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toks.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "tokenize", header = "How tokenizers split a text, side by side.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shows how each tokenizer splits a text: the pieces (spaces shown as ·, newlines as ↵,",
                "tabs as →, bytes of a split character as <XX>), the ids and the count, side by side."},
        footer = {"", "Tokenizers: cl100k, o200k, p50k, r50k (tiktoken; jtokkit:cl100k etc. through",
                "JTokkit), gpt2, llama3, llama-spm, phi-3, deepseek-coder, bert (all shipped",
                "inside toks), or a .gguf / tok*.bin / tokenizer.json file.",
                "",
                "--json prints, per tokenizer: tokenizer, kind, count, ids, pieces and bytes.",
                "pieces: each token's text; a token that is not whole UTF-8 (part of a",
                "character) as its bytes in <XX> notation, e.g. \"<F0><9F>\", as the text shows.",
                "bytes: each token's bytes in hex, e.g. \"f09f\": exact for every token.",
                "", "Example:", "  toks tokenize \"I love AI\" --tokenizer llama-spm,gpt2,llama3,cl100k"})
final class TokenizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TEXT", description = "The text to tokenize.")
    String text;

    @Mixin
    TokenizerOptions tokenizerOptions;

    @Option(names = "--json", description = "Print JSON instead of text (fields below).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // Made only for --json: setting up Jackson is a visible part of a cold start (docs/performance.md).
        var mapper = json ? new ObjectMapper() : null;
        ArrayNode results = json ? mapper.createArrayNode() : null;
        for (var named : tokenizerOptions.load()) {
            Tokenizer t = named.tokenizer();
            int[] ids = t.encode(text, false, false);
            if (json) {
                ObjectNode r = results.addObject();
                r.put("tokenizer", named.name());
                r.put("kind", t.kind());
                r.put("count", ids.length);
                ArrayNode idArray = r.putArray("ids");
                ArrayNode pieces = r.putArray("pieces");
                ArrayNode bytes = r.putArray("bytes");
                for (int id : ids) {
                    idArray.add(id);
                    byte[] piece = t.decode(-1, id);
                    String text = wholeUtf8(piece);
                    pieces.add(text != null ? text : hexNotation(piece));
                    bytes.add(HexFormat.of().formatHex(piece));
                }
                continue;
            }
            // Concatenated, not printf: the Formatter's first use loads the locale machinery (cold start).
            out.println(named.name() + " (" + t.kind() + "): " + ids.length + " tokens");
            StringBuilder pieces = new StringBuilder("  ");
            StringBuilder idLine = new StringBuilder("  ");
            for (int i = 0; i < ids.length; i++) {
                String p = readable(t.decode(-1, ids[i]));
                String id = Integer.toString(ids[i]);
                int width = Math.max(p.codePointCount(0, p.length()), id.length());
                pieces.append(pad(p, width)).append(i + 1 < ids.length ? " | " : "");
                idLine.append(pad(id, width)).append(i + 1 < ids.length ? "   " : "");
            }
            out.println(pieces);
            out.println(idLine);
            for (String w : t.warnings()) spec.commandLine().getErr().println("toks: warning: " + w);
        }
        if (json) out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        out.flush();
        return 0;
    }

    /** A piece as text with whitespace made visible; bytes that are not whole characters in hex. */
    static String readable(byte[] bytes) {
        String s = wholeUtf8(bytes);
        if (s == null) return hexNotation(bytes);
        return s.replace(' ', '·').replace("\n", "↵").replace("\t", "→").replace("\r", "␍");
    }

    /** The bytes as text when they are whole UTF-8 characters; null when not (a character split across tokens). */
    private static String wholeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Each byte as {@code <XX>}, as the text view shows a piece that is not whole characters. */
    private static String hexNotation(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 4);
        for (byte b : bytes) sb.append('<').append(HexFormat.of().withUpperCase().toHexDigits(b)).append('>');
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.codePointCount(0, s.length())));
    }
}
