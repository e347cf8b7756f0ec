package io.toks.llamacpp;

import io.toks.core.SharedData;
import java.nio.file.Path;

/** The reference models of ../shared the tests load. */
final class Models {

    private Models() {}

    static Path stories260K() {
        return SharedData.locate(Path.of(System.getProperty("toks.root", "..")).toAbsolutePath())
                .resolve("models/stories260K/stories260K.gguf");
    }
}
