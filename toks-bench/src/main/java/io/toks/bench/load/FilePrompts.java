package io.toks.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.toks.core.ToksException;
import io.toks.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompts from a file: JSONL with one {@code {"prompt": "...", "output_tokens": N}} per line
 * ({@code max_tokens} is accepted too; without either, the default output length), or a
 * ShareGPT JSON array of {@code {"conversations": [{"from": "human", ...}, {"from": "gpt", ...}]}}
 * where the first human turn is the prompt and the length of the first reply, in the workload's
 * tokenizer, is the output length (as vLLM's benchmark does).
 */
public final class FilePrompts implements PromptSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<LoadPrompt> prompts;
    private final String description;

    private FilePrompts(List<LoadPrompt> prompts, String description) {
        if (prompts.isEmpty()) throw new ToksException(description + ": no prompts in the file");
        this.prompts = prompts;
        this.description = description + ", " + prompts.size() + " prompts";
    }

    public static FilePrompts jsonl(Path file, Tokenizer tokenizer, int defaultOutput) {
        List<LoadPrompt> out = new ArrayList<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            JsonNode o = parse(line, file, i);
            JsonNode p = o.get("prompt");
            if (p == null || !p.isTextual()) throw new ToksException(file + " line " + (i + 1) + ": no \"prompt\" string");
            int output = o.has("output_tokens") ? o.get("output_tokens").asInt() : o.path("max_tokens").asInt(defaultOutput);
            if (output < 1) throw new ToksException(file + " line " + (i + 1) + ": output_tokens must be >= 1");
            out.add(new LoadPrompt(p.asText(), count(tokenizer, p.asText()), output));
        }
        return new FilePrompts(out, "JSONL " + file.getFileName());
    }

    public static FilePrompts shareGpt(Path file, Tokenizer tokenizer, int maxOutput) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ToksException(file + " is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) throw new ToksException(file + ": a ShareGPT file is a JSON array of conversations");
        List<LoadPrompt> out = new ArrayList<>();
        for (JsonNode conv : root) {
            String human = null, reply = null;
            for (JsonNode turn : conv.path("conversations")) {
                String from = turn.path("from").asText();
                if (human == null && from.equals("human")) human = turn.path("value").asText();
                else if (human != null && reply == null && from.equals("gpt")) reply = turn.path("value").asText();
            }
            if (human == null || reply == null || human.isBlank()) continue; // as peers do: only complete pairs
            int output = tokenizer == null ? maxOutput : Math.max(1, Math.min(maxOutput, tokenizer.encode(reply, false, false).length));
            out.add(new LoadPrompt(human, count(tokenizer, human), output));
        }
        return new FilePrompts(out, "ShareGPT " + file.getFileName());
    }

    private static int count(Tokenizer tokenizer, String text) {
        return tokenizer == null ? -1 : tokenizer.encode(text, false, false).length;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ToksException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String line, Path file, int i) {
        try {
            JsonNode o = JSON.readTree(line);
            if (o == null || !o.isObject()) throw new IOException("not an object");
            return o;
        } catch (IOException e) {
            throw new ToksException(file + " line " + (i + 1) + " is not a JSON object");
        }
    }

    @Override
    public LoadPrompt prompt(long index) {
        return prompts.get((int) (index % prompts.size()));
    }

    @Override
    public String describe() {
        return description;
    }
}
