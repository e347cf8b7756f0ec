package io.toks.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.result.ResultDocument;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Series names from file names, told apart where files share a name. */
class DocumentLabelsTest {

    static final ResultDocument BENCH = ReportFixtures.hw();

    @Test
    void fileNamesWithoutExtension() {
        assertThat(DocumentLabels.of(List.of(Path.of("runs/java.json"), Path.of("native.json")), List.of(BENCH, BENCH)))
                .containsExactly("java", "native");
    }

    @Test
    void sameNamesAreToldApartByTheirFolderThenByNumber() {
        assertThat(DocumentLabels.of(List.of(Path.of("a/result.json"), Path.of("b/result.json")), List.of(BENCH, BENCH)))
                .containsExactly("a/result", "b/result");
        assertThat(DocumentLabels.of(List.of(Path.of("a/result.json"), Path.of("a/result.json")), List.of(BENCH, BENCH)))
                .containsExactly("a/result (hw)", "a/result (hw) #2");
    }
}
