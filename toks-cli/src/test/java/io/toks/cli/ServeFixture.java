package io.toks.cli;

import io.toks.engine.ModelLoader;
import io.toks.serve.GenerationScheduler;
import io.toks.serve.OpenAiServer;
import java.io.IOException;

/** {@code toks serve} on the embedded model in this process, on a free loopback port. */
record ServeFixture(GenerationScheduler scheduler, OpenAiServer server) implements AutoCloseable {

    static ServeFixture start() throws IOException {
        var scheduler = new GenerationScheduler(ModelLoader.loadEmbedded(), 1, 2, 256, 16);
        return new ServeFixture(scheduler, new OpenAiServer(scheduler, "stories260K", "127.0.0.1", 0, 256, 1 << 20));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    @Override
    public void close() {
        server.close();
        scheduler.close();
    }
}
