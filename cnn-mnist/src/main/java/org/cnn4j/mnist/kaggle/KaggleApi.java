package org.cnn4j.mnist.kaggle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.cnn4j.mnist.InputException;

/**
 * The few calls of Kaggle's v1 REST API that a competitor needs, made the way the official client
 * 1.6.17 makes them (see the package documentation for the sources):
 * <ul>
 *   <li>download: {@code GET /competitions/data/download-all/{id}} with HTTP Basic, answered by a
 *       redirect to signed storage, which is fetched <em>without</em> the Authorization header
 *       (the signature in its URL is the credential; a storage host must never see the API key);</li>
 *   <li>submit: {@code POST /competitions/{id}/submissions/url/{contentLength}/{lastModifiedDateUtc}}
 *       (form field {@code fileName}) gives {@code createUrl} and {@code token}; the file is PUT to
 *       {@code createUrl} (no Authorization, as {@code upload_complete} does it); then
 *       {@code POST /competitions/submissions/submit/{id}} with {@code blobFileTokens} and
 *       {@code submissionDescription}.</li>
 * </ul>
 * Every failure is an {@link InputException} whose one line says what to do. Only the base URL
 * differs between the real API and a test's stand-in server (see {@link #defaultBase()}).
 */
public final class KaggleApi {
    /** The real API. */
    public static final String DEFAULT_BASE = "https://www.kaggle.com/api/v1";
    /** System property that replaces {@link #DEFAULT_BASE} (tests point it at a loopback stand-in). */
    public static final String BASE_PROPERTY = "cnn4j.kaggle.api";
    /** Environment variable that replaces {@link #DEFAULT_BASE} when the property is not set. */
    public static final String BASE_ENV = "CNN4J_KAGGLE_API";
    /** The zip of every competition file is bounded; Digit Recognizer's is about 16 MB. */
    static final long MAX_DOWNLOAD = 2L << 30;

    private final URI base;
    private final KaggleCredentials credentials;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * A client.
     *
     * @param base the API root, such as {@value #DEFAULT_BASE}
     * @param credentials the user name and key
     * @param timeout how long to wait to connect and for each response's headers
     */
    public KaggleApi(URI base, KaggleCredentials credentials, Duration timeout) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.credentials = credentials;
        this.timeout = timeout;
        // Redirects are followed by hand, so that the Authorization header stays with the API host.
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The API root: the system property {@value #BASE_PROPERTY}, else the environment variable
     * {@value #BASE_ENV}, else {@value #DEFAULT_BASE}.
     *
     * @return the base URI
     */
    public static URI defaultBase() {
        String p = System.getProperty(BASE_PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(BASE_ENV);
        }
        return URI.create(p == null || p.isBlank() ? DEFAULT_BASE : p);
    }

    /** The competition's page, where its rules, data and leaderboard are. */
    static String competitionPage(String competition) {
        return "https://www.kaggle.com/competitions/" + competition;
    }

    /**
     * Downloads every file of a competition, as one zip, into {@code target} (overwritten).
     *
     * @param competition the competition's name in its URL, such as {@code digit-recognizer}
     * @param target where to write the zip
     * @return the number of bytes written
     * @throws InputException on any failure, with what to do
     */
    public long downloadAll(String competition, Path target) {
        CompetitionFiles.checkName(competition);
        URI api = URI.create(base + "/competitions/data/download-all/" + segment(competition));
        HttpResponse<InputStream> r = send(authorized(api).GET().build(), api);
        URI from = api;
        if (r.statusCode() / 100 == 3) {
            String location = r.headers().firstValue("Location").orElse(null);
            closeQuietly(r.body());
            if (location == null) {
                throw new InputException(api + ": Kaggle answered HTTP " + r.statusCode() + " without a Location; run again later");
            }
            from = api.resolve(location);
            // signed storage: the URL carries its own signature; no Authorization header goes there
            r = send(HttpRequest.newBuilder(from).timeout(timeout).GET().build(), from);
        }
        if (r.statusCode() != 200) {
            throw failure(r, from, competition);
        }
        long expected = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        long got = 0;
        // HttpClient has no read timeout for a streamed body: a watchdog closes a body that stalls
        InputStream body = r.body();
        java.util.concurrent.atomic.AtomicLong lastRead = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
        var watchdog = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(t -> {
            Thread th = new Thread(t, "kaggle-download-watchdog");
            th.setDaemon(true);
            return th;
        });
        long tick = Math.max(50, timeout.toMillis() / 4);
        watchdog.scheduleWithFixedDelay(() -> {
            if (System.nanoTime() - lastRead.get() > timeout.toNanos() && !stalled.getAndSet(true)) {
                closeQuietly(body);
            }
        }, tick, tick, TimeUnit.MILLISECONDS);
        try (InputStream in = body; OutputStream out = Files.newOutputStream(target)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                lastRead.set(System.nanoTime());
                got += n;
                if (got > MAX_DOWNLOAD) {
                    throw new InputException(from.getHost() + ": the download of " + competition + " exceeds "
                            + (MAX_DOWNLOAD >> 20) + " MB; not a competition archive");
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            if (stalled.get()) {
                throw new InputException("the download of " + competition + " stalled after " + got + " of "
                        + (expected >= 0 ? expected + " bytes" : "the announced bytes") + " (nothing for "
                        + timeout.toSeconds() + " s): run fetch --kaggle again", e);
            }
            if (!Files.isWritable(target.getParent())) {
                throw new InputException(target.getParent() + ": cannot write the download (" + e.getClass().getSimpleName() + ")", e);
            }
            throw truncated(competition, got, expected, e);
        } finally {
            watchdog.shutdownNow();
        }
        if (stalled.get()) {
            throw new InputException("the download of " + competition + " stalled after " + got + " of "
                    + (expected >= 0 ? expected + " bytes" : "the announced bytes") + " (nothing for "
                    + timeout.toSeconds() + " s): run fetch --kaggle again");
        }
        if (expected >= 0 && got != expected) {
            throw truncated(competition, got, expected, null);
        }
        return got;
    }

    private static InputException truncated(String competition, long got, long expected, Exception cause) {
        return new InputException("the download of " + competition + " was cut off after " + got + " of "
                + (expected >= 0 ? expected + " bytes" : "the announced bytes") + ": run fetch --kaggle again", cause);
    }

    /**
     * Submits a file to a competition.
     *
     * @param competition the competition's name in its URL
     * @param file the submission (its name is sent as the file name)
     * @param message the submission's description
     * @return Kaggle's answer ("Successfully submitted to ..."), or an empty string when it gave none
     * @throws InputException on any failure, with what to do
     */
    public String submit(String competition, Path file, String message) {
        CompetitionFiles.checkName(competition);
        long length, modified;
        try {
            length = Files.size(file);
            modified = Files.getLastModifiedTime(file).to(TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read the submission (" + e.getClass().getSimpleName() + ")", e);
        }
        // 1. where to upload (seconds since the epoch, as 1.6.17 sends int(os.path.getmtime(file)))
        URI urlCall = URI.create(base + "/competitions/" + segment(competition) + "/submissions/url/" + length + "/" + modified);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("fileName", file.getFileName().toString());
        String answer = call(urlCall, form, competition);
        String createUrl = KaggleCredentials.field(answer, "createUrl");
        String token = KaggleCredentials.field(answer, "token");
        if (answer.contains("\"isComplete\"")) {
            throw new InputException(urlCall + ": Kaggle answered with the old two-step upload, which cnn-mnist does not "
                    + "speak; upload " + file + " at " + competitionPage(competition) + "/submit");
        }
        if (createUrl == null || token == null) {
            throw new InputException(urlCall + ": Kaggle's answer has no createUrl and token; run again later");
        }
        // 2. the file itself, to the signed upload URL, without the API credentials
        URI upload = urlCall.resolve(createUrl);
        HttpRequest put;
        try {
            put = HttpRequest.newBuilder(upload).timeout(timeout).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
        } catch (IOException e) {
            throw new InputException(file + ": cannot read the submission (" + e.getClass().getSimpleName() + ")", e);
        }
        HttpResponse<InputStream> up = send(put, upload);
        if (up.statusCode() != 200 && up.statusCode() != 201) {
            throw failure(up, upload, competition);
        }
        closeQuietly(up.body());
        // 3. submit the uploaded blob with its description
        URI submitCall = URI.create(base + "/competitions/submissions/submit/" + segment(competition));
        form = new LinkedHashMap<>();
        form.put("blobFileTokens", token);
        form.put("submissionDescription", message);
        String done = call(submitCall, form, competition);
        String m = KaggleCredentials.field(done, "message");
        return m == null ? "" : m;
    }

    /** A multipart/form-data POST to the API (the client's content type for these calls); returns the body. */
    private String call(URI uri, Map<String, String> fields, String competition) {
        String boundary = "cnn4j-" + UUID.randomUUID();
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> b.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(k).append("\"\r\n\r\n").append(v).append("\r\n"));
        b.append("--").append(boundary).append("--\r\n");
        HttpRequest req = authorized(uri).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(b.toString(), StandardCharsets.UTF_8)).build();
        HttpResponse<InputStream> r = send(req, uri);
        if (r.statusCode() != 200) {
            throw failure(r, uri, competition);
        }
        return readSmall(r.body(), uri);
    }

    private HttpRequest.Builder authorized(URI uri) {
        String basic = Base64.getEncoder().encodeToString(
                (credentials.username() + ":" + credentials.key()).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(uri).timeout(timeout).header("Authorization", "Basic " + basic)
                .header("User-Agent", "cnn4j-mnist (Kaggle API protocol of kaggle 1.6.17)");
    }

    private HttpResponse<InputStream> send(HttpRequest request, URI uri) {
        var pending = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            // the request timeout does not bound name resolution; this does
            return pending.get(timeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw timedOut(uri, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof HttpConnectTimeoutException || c instanceof HttpTimeoutException) {
                throw timedOut(uri, c);
            }
            if (c instanceof ConnectException || c instanceof java.nio.channels.UnresolvedAddressException
                    || (c != null && c.getCause() instanceof java.nio.channels.UnresolvedAddressException)) {
                throw new InputException("cannot reach " + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                        + " (" + c.getClass().getSimpleName() + "): the network is down or blocked; check the connection "
                        + "(a proxy is set with -Dhttps.proxyHost and -Dhttps.proxyPort) and run again", c);
            }
            throw new InputException("the connection to " + uri.getHost() + " failed (" + describe(c)
                    + "): check the network and run again", c);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new InputException(uri.getHost() + ": interrupted", e);
        }
    }

    private InputException timedOut(URI uri, Throwable cause) {
        return new InputException(uri.getHost() + " did not answer within " + timeout.toSeconds()
                + " s: the network is slow or down; check it and run again", cause);
    }

    /** The one line for an HTTP error status of the API or storage. */
    private InputException failure(HttpResponse<InputStream> r, URI uri, String competition) {
        String body = readSmall(r.body(), uri);
        String detail = KaggleCredentials.field(body, "message");
        return switch (r.statusCode()) {
            case 401 -> new InputException("Kaggle refused the credentials in " + credentials.source() + " (HTTP 401): "
                    + "download a new kaggle.json from " + KaggleCredentials.ACCOUNT_PAGE);
            case 403 -> new InputException("Kaggle denied access to " + competition + " (HTTP 403): accept the "
                    + "competition's rules at " + competitionPage(competition) + "/rules while signed in as "
                    + credentials.username() + ", then run again");
            case 404 -> new InputException("no competition named '" + competition + "' on Kaggle (HTTP 404): check the "
                    + "name in its URL, " + competitionPage(competition));
            default -> new InputException(uri.getHost() + " answered HTTP " + r.statusCode() + " for " + uri.getPath()
                    + (detail != null ? " (" + detail.replace('\n', ' ') + ")" : "") + ": run again later");
        };
    }

    private static String readSmall(InputStream in, URI uri) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0 && b.size() < (1 << 20); ) {
                b.write(buf, 0, n);
            }
            return b.toString(StandardCharsets.UTF_8);
        } catch (InterruptedIOException e) {
            throw new InputException(uri.getHost() + ": interrupted", e);
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the body of a redirect or an accepted upload: nothing in it is needed
        }
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String describe(Throwable t) {
        return t == null ? "unknown" : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage().replace('\n', ' '));
    }
}
