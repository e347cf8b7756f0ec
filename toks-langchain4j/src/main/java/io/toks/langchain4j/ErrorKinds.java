package io.toks.langchain4j;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import io.toks.core.events.ErrorKind;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;

/** LangChain4j's failures in toks's words. LangChain4j wraps the HTTP client's exception, so the cause chain is searched. */
final class ErrorKinds {

    private ErrorKinds() {}

    static ErrorKind of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException http) return http.statusCode() >= 400 && http.statusCode() < 500 ? ErrorKind.HTTP_4XX : ErrorKind.HTTP_5XX;
            if (t instanceof TimeoutException || t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) return ErrorKind.STALL;
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof UnresolvedModelServerException) {
                return ErrorKind.CONNECT;
            }
        }
        return ErrorKind.IO;
    }
}
