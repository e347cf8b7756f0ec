package io.toks.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The text files of ../shared/corpus, for tests that run tokenizers over real text. */
final class SharedCorpus {

    private SharedCorpus() {}

    static List<Path> files() throws IOException {
        Path corpus = SharedData.locate(Path.of(System.getProperty("toks.root", ".")).toAbsolutePath()).resolve("corpus");
        try (Stream<Path> walk = Files.walk(corpus)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            assertThat(files).as("files under " + corpus).isNotEmpty();
            return files;
        }
    }
}
