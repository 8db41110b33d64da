package org.cnn4j.mnist.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A classic MNIST mirror: an HTTP(S) directory serving {@code <file>.gz}. The timeouts are short
 * so that an unreachable mirror costs seconds, not minutes, before the next source is tried.
 */
public final class HttpMirrorSource implements DataSource {
    /** Time allowed to connect. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Time allowed for name resolution, connection and the response headers together. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(15);
    /** Longest pause in the middle of a body before the download is abandoned. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(20);

    private final URI base;
    private final Duration responseTimeout;
    private final Duration idleTimeout;
    private final HttpClient client;

    /** A mirror at {@code base} (a directory URL; a missing final slash is added) with the default timeouts. */
    public HttpMirrorSource(URI base) {
        this(base, DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
    }

    /** A mirror with explicit timeouts. */
    public HttpMirrorSource(URI base, Duration connectTimeout, Duration responseTimeout, Duration idleTimeout) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.responseTimeout = responseTimeout;
        this.idleTimeout = idleTimeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public String description() {
        return base.toString();
    }

    /** Downloads {@code <base><fileName>.gz}, gunzipping it on the fly (if it is gzip at all). */
    @Override
    public InputStream open(String fileName) throws IOException {
        URI uri = base.resolve(fileName + ".gz");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(responseTimeout).GET().build();
        CompletableFuture<HttpResponse<InputStream>> pending =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try {
            // The request timeout does not cover name resolution; this bound does.
            response = pending.get(responseTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new IOException(uri + ": no response within " + ExternalCommand.describe(responseTimeout));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String message = cause.getMessage();
            throw new IOException(uri + ": " + cause.getClass().getSimpleName()
                    + (message == null || message.isBlank() ? "" : " " + message.replace('\n', ' ')), cause);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(uri + ": interrupted");
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException(uri + ": HTTP " + response.statusCode());
        }
        return Gzip.decompressIfGzip(new IdleTimeoutInputStream(response.body(), idleTimeout));
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
