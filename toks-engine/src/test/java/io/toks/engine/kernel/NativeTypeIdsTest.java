package io.toks.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.engine.tensor.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The native kernels name GGML types by the C enum in src/main/c/ggml_types.h, and NativeKernels
 * passes them {@link GgmlType#id()}: the two numberings must not drift apart. Reads the header
 * from the source tree (no compiler needed), so it runs wherever the tests do.
 */
class NativeTypeIdsTest {

    private static final Pattern ENUM = Pattern.compile("enum\\s+ggml_type\\s*\\{(.*?)}\\s*;", Pattern.DOTALL);
    private static final Pattern ENTRY = Pattern.compile("^\\s*GGML_TYPE_(\\w+)\\s*=\\s*(\\d+)\\s*,?\\s*$");
    /** A GGML type written as a number: `case 8:` or `type == 14`. */
    private static final Pattern BARE_TYPE_ID = Pattern.compile("\\bcase\\s+\\d+\\s*:|\\b\\w*type\\s*[!=]=\\s*\\d");

    @Test
    void theHeadersEnumHasGgmlTypesIds() throws IOException {
        Map<String, Integer> header = enumEntries(Files.readString(sourceDir().resolve("ggml_types.h")));
        Map<String, Integer> java = new LinkedHashMap<>();
        for (GgmlType t : GgmlType.values()) java.put(t.name(), t.id());
        assertThat(header).as("enum ggml_type in ggml_types.h against GgmlType").containsExactlyInAnyOrderEntriesOf(java);
    }

    @Test
    void theKernelsNameTypesNotNumbers() throws IOException {
        List<String> bare = new ArrayList<>();
        try (Stream<Path> files = Files.list(sourceDir())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".c")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (BARE_TYPE_ID.matcher(lines.get(i)).find()) bare.add(file.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertThat(bare).as("GGML type ids written as numbers (use enum ggml_type)").isEmpty();
    }

    /** GGML_TYPE_X = n entries by name X; every line of the enum must be one (an entry without its number would shift). */
    static Map<String, Integer> enumEntries(String header) {
        Matcher body = ENUM.matcher(header);
        assertThat(body.find()).as("enum ggml_type { ... }; in ggml_types.h").isTrue();
        Map<String, Integer> entries = new LinkedHashMap<>();
        for (String line : body.group(1).split("\n")) {
            String code = line.replaceAll("/\\*.*?\\*/|//.*", "");
            if (code.isBlank()) continue;
            Matcher entry = ENTRY.matcher(code);
            assertThat(entry.matches()).as("enum ggml_type line \"%s\" is not GGML_TYPE_NAME = number,", line.trim()).isTrue();
            Integer previous = entries.put(entry.group(1), Integer.parseInt(entry.group(2)));
            assertThat(previous).as("GGML_TYPE_%s declared twice", entry.group(1)).isNull();
        }
        return entries;
    }

    /** toks-engine/src/main/c from the repository root the build names (toks.root), or from the module directory. */
    private static Path sourceDir() {
        Path fromRoot = Path.of(System.getProperty("toks.root", ".")).resolve("toks-engine/src/main/c");
        if (Files.isDirectory(fromRoot)) return fromRoot;
        Path fromModule = Path.of("src/main/c");
        assertThat(fromModule).as("the C sources (neither %s nor %s)", fromRoot.toAbsolutePath(), fromModule.toAbsolutePath()).isDirectory();
        return fromModule;
    }
}
