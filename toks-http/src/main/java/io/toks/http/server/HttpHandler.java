package io.toks.http.server;

import java.io.IOException;

/** Answers one request. Runs on its own virtual thread, so it may block (sleep, wait for tokens). */
@FunctionalInterface
public interface HttpHandler {

    void handle(HttpRequest request, HttpResponse response) throws IOException;
}
