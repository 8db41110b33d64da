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
    // Why a connection failed, so that the remaining files do not try again.
    private String unreachable;

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

    /**
     * Downloads {@code <base><fileName>.gz}, gunzipping it on the fly (if it is gzip at all). Once
     * the mirror has proved unreachable, later files fail at once instead of waiting out the
     * timeouts again.
     */
    @Override
    public synchronized InputStream open(String fileName) throws IOException {
        if (unreachable != null) {
            throw new IOException("not tried again, unreachable earlier: " + unreachable);
        }
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
            unreachable = uri + ": no response within " + ExternalCommand.describe(responseTimeout);
            throw new IOException(unreachable);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            unreachable = uri + ": " + describe(cause);
            throw new IOException(unreachable, cause);
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

    /**
     * "ConnectException: UnresolvedAddressException" and the like: the HTTP client's exceptions
     * often carry no message, the useful part is further down the chain.
     */
    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (int depth = 0; t != null && depth < 4; t = t.getCause(), depth++) {
            String message = t.getMessage();
            String part = t.getClass().getSimpleName()
                    + (message == null || message.isBlank() ? "" : " " + message.replace('\n', ' '));
            if (sb.indexOf(part) < 0) {
                sb.append(sb.isEmpty() ? "" : ": ").append(part);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
