package io.toks.cli;

import io.toks.core.ToksException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** An engine {@code toks bench --engine} measures, by the name the option takes. */
enum BenchEngine {
    /** toks's own engine, in this process. */
    TOKS("toks"),
    /** llama.cpp in this process, through its Java binding. */
    LLAMACPP("llamacpp");

    final String optionName;

    BenchEngine(String optionName) {
        this.optionName = optionName;
    }

    /** The engines named, each once, in the order given. */
    static List<BenchEngine> parseAll(List<String> names) {
        List<BenchEngine> engines = names.stream().map(BenchEngine::parse).distinct().toList();
        if (engines.isEmpty()) throw new ToksException("--engine needs at least one engine (" + known() + ")");
        return engines;
    }

    static BenchEngine parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (BenchEngine e : values()) if (e.optionName.equals(n)) return e;
        throw new ToksException("unknown engine '" + name + "' (engines: " + known() + ")");
    }

    private static String known() {
        return Arrays.stream(values()).map(e -> e.optionName).collect(Collectors.joining(", "));
    }
}
