package io.toks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README lists every fuzz target scripts/fuzz.sh runs, and each one it runs exists. */
class ReadmeFuzzTargetsTest {

    /** A line of fuzz.sh's {@code targets=( ... )} list: {@code  NameFuzzTest:toks-module}. */
    private static final Pattern TARGET = Pattern.compile("^\\s+(\\w+FuzzTest):(toks-[\\w-]+)$");

    @Test
    void everyTargetOfFuzzShIsInTheReadmeAndExists() throws IOException {
        Path root = ReadmeCommandsIT.root();
        List<String> targets = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("scripts/fuzz.sh"))) {
            Matcher m = TARGET.matcher(line);
            if (!m.matches()) continue;
            targets.add(m.group(1));
            try (var files = Files.walk(root.resolve(m.group(2)).resolve("src/test/java"))) {
                assertThat(files.anyMatch(f -> f.getFileName().toString().equals(m.group(1) + ".java")))
                        .as(m.group(1) + " in " + m.group(2)).isTrue();
            }
        }
        assertThat(targets).hasSizeGreaterThanOrEqualTo(10);
        String readme = Files.readString(root.resolve("README.md"));
        assertThat(targets).allSatisfy(t -> assertThat(readme).contains("`" + t + "`"));
    }
}
