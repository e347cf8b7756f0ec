package io.toks.cli;

import static io.toks.cli.CliTest.assertOneLineError;
import static io.toks.cli.CliTest.shared;
import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.toks.cli.CliTest.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What tokenize and count print where a new user looks: JSON pieces, help, and the errors for files that are not what they take. */
class TokenizeAndCountMessagesTest {

    @TempDir
    Path tmp;

    /** A character split across tokens comes out as its bytes, not as U+FFFD, and every token's bytes are exact. */
    @Test
    void tokenizeJsonKeepsTheBytesOfTokensThatAreNotWholeCharacters() throws IOException {
        String text = "\ud83c\udf89 hi";
        Result r = toks("tokenize", "--json", text, "--tokenizer", "cl100k,llama-spm");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("\ufffd");
        for (JsonNode node : new ObjectMapper().readTree(r.out())) {
            JsonNode pieces = node.get("pieces"), bytes = node.get("bytes");
            assertThat(pieces).hasSameSizeAs(node.get("ids"));
            assertThat(bytes).hasSameSizeAs(node.get("ids"));
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < bytes.size(); i++) {
                byte[] piece = HexFormat.of().parseHex(bytes.get(i).asText());
                all.append(bytes.get(i).asText());
                assertThat(pieces.get(i).asText()).isEqualTo(textOrByteNotation(piece));
            }
            String expected = HexFormat.of().formatHex((node.get("tokenizer").asText().equals("llama-spm") ? " " + text : text)
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(all.toString()).as(node.get("tokenizer").asText()).isEqualTo(expected);
        }
        JsonNode cl100k = new ObjectMapper().readTree(r.out()).get(0);
        assertThat(cl100k.get("pieces").get(0).asText()).isEqualTo("<F0><9F>"); // as the text view shows it
        assertThat(cl100k.get("bytes").get(0).asText()).isEqualTo("f09f");
        assertThat(help("tokenize")).contains("as its bytes in <XX> notation", "bytes: each token's bytes in hex");
    }

    /** A command's help with its lines joined: picocli wraps them at its own width. */
    private static String help(String command) {
        return toks(command, "--help").out().replaceAll("\\s+", " ");
    }

    /** The piece a token's bytes should show as: the text when whole UTF-8 characters, else "<F0><9F>". */
    private static String textOrByteNotation(byte[] piece) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(piece)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            StringBuilder notation = new StringBuilder();
            for (byte b : piece) notation.append(String.format("<%02X>", b & 0xFF));
            return notation.toString();
        }
    }

    @Test
    void tokenizeHelpAndTheUnknownNameErrorListEveryShippedTokenizer() {
        assertThat(help("tokenize")).contains("bert", "shipped inside toks").doesNotContain("from --vocab-dir");
        assertOneLineError(toks("tokenize", "x", "--tokenizer", "nope"), 1, "unknown tokenizer 'nope'", "bert", "deepseek-coder", "tokenizer.json");
    }

    /** A file that is no tokenizer toks reads is named as what it was taken for, with what is accepted. */
    @Test
    void aFileOfAnotherKindSaysWhatItWasTakenForAndWhatIsAccepted() throws IOException {
        Path merges = Files.writeString(tmp.resolve("vocab.bpe"), "#version: 0.2\n\u0120 t\n\u0120 a\n");
        Path ranks = Files.writeString(tmp.resolve("r50k_base.tiktoken"), "IQ== 0\nIg== 1\n");
        Path model = shared("models/stories260K/stories260K.bin");
        for (Path file : new Path[] {merges, ranks, model}) {
            Result r = toks("tokenize", "hi", "--tokenizer", file.toString());
            assertOneLineError(r, 1, file.toString(), "read as a llama2.c tokenizer (tok*.bin)", "and not one", ".gguf", "tokenizer.json");
            assertThat(r.err()).doesNotContain("vocabulary size");
        }
        assertThat(toks("tokenize", "hi", "--tokenizer", ranks.toString()).err()).contains("tiktoken rank file", "cl100k");
        assertThat(toks("tokenize", "hi", "--tokenizer", merges.toString()).err()).contains("BPE merges", "gpt2");
        assertThat(toks("tokenize", "hi", "--tokenizer", model.toString()).err()).contains("llama2.c model", "tok*.bin");
    }

    @Test
    void countOutputFormatsAgreeInHelpMessageAndBehaviour() throws IOException {
        Path text = Files.writeString(tmp.resolve("a.txt"), "Once upon a time.\n");
        assertThat(help("count")).contains("csv (the `toks bench` command only)").doesNotContain("csv (bench only)");
        assertOneLineError(toks("count", text.toString(), "-o", "xml"), 1, "unknown output format 'xml'", "count writes md, json or jsonl");
        assertOneLineError(toks("count", text.toString(), "-o", "csv", "--bench", "--repeat", "1", "--warmup", "0"), 1,
                "csv output is not available for count", "md, json or jsonl");
    }

    @Test
    void countOfSomethingNotAFileOrDirectorySaysSo() {
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull), "a Unix machine");
        assertOneLineError(toks("count", devNull.toString()), 1, "/dev/null is not a regular file or a directory");
    }

    /** A folder's stray binary is left out and named; the same file named on its own is an error; a folder of nothing else is too. */
    @Test
    void aBinaryFileInAFolderIsSkippedAndNamed(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("a.txt"), "hello world, hello tokens\n");
        Path binary = Files.write(dir.resolve("b.bin"), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, 0, 1, 2});
        Result folder = toks("count", dir.toString(), "--json");
        assertThat(folder.code()).as(folder.err()).isZero();
        assertThat(folder.err()).contains("toks count: skipped 1 file(s) that are not UTF-8 text: " + binary);
        JsonNode doc = new ObjectMapper().readTree(folder.out());
        Result alone = toks("count", text.toString(), "--json");
        JsonNode aloneDoc = new ObjectMapper().readTree(alone.out());
        assertThat(doc.get("runs").get(0).get("tokens").asLong()).isEqualTo(aloneDoc.get("runs").get(0).get("tokens").asLong());
        assertThat(doc.get("manifest").get("parameters").get("skipped_files").get(0).asText()).isEqualTo(binary.toString());
        assertOneLineError(toks("count", binary.toString()), 1, "not valid UTF-8 text");
        Files.delete(text);
        assertOneLineError(toks("count", dir.toString()), 1, "no UTF-8 text files under " + dir);
    }
}
