package org.cnn4j.mnist.kaggle;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A loopback stand-in for Kaggle's v1 REST API and its signed storage, answering as they answer
 * (as read from the official client 1.6.17 and its KaggleSwagger.yaml): Basic auth on the API,
 * 302 from download-all to a signed storage URL, a zip there; the three submission calls. A
 * {@link Mode} makes it answer with each failure.
 */
public final class KaggleStandIn implements AutoCloseable {
    /** How the stand-in answers. */
    public enum Mode { OK, UNAUTHORIZED, RULES_NOT_ACCEPTED, TRUNCATED, STALLED, CORRUPT_ZIP, HANG }

    public static final String USER = "ada", KEY = "0123456789abcdef0123456789abcdef";

    private final HttpServer server;
    public volatile Mode mode = Mode.OK;
    volatile byte[] zip;
    /** Every request as "METHOD path", in order. */
    public final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    /** The Authorization header the storage and upload hosts saw (null when none, as it must be). */
    public final List<String> storageAuthorization = Collections.synchronizedList(new ArrayList<>());
    public volatile byte[] uploaded;
    public volatile String submitForm;

    public KaggleStandIn(byte[] zip) throws IOException {
        this.zip = zip;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/api/v1/", this::api);
        server.createContext("/storage/", this::storage);
        server.createContext("/upload/", this::upload);
        // one thread per exchange: a hanging answer must not block the others
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kaggle-stand-in");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1");
    }

    private static final Pattern DOWNLOAD = Pattern.compile("/api/v1/competitions/data/download-all/([^/]+)");
    private static final Pattern URL = Pattern.compile("/api/v1/competitions/([^/]+)/submissions/url/(\\d+)/(\\d+)");
    private static final Pattern SUBMIT = Pattern.compile("/api/v1/competitions/submissions/submit/([^/]+)");

    private void api(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(ex.getRequestMethod() + " " + path);
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + KEY).getBytes(StandardCharsets.UTF_8));
        if (mode == Mode.UNAUTHORIZED || !expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            json(ex, 401, "{\"code\":401,\"message\":\"Unauthenticated\"}");
            return;
        }
        if (mode == Mode.HANG) {
            sleep(10_000);
        }
        Matcher m;
        if ((m = DOWNLOAD.matcher(path)).matches() && ex.getRequestMethod().equals("GET")) {
            if (!m.group(1).equals("digit-recognizer")) {
                json(ex, 404, "{\"code\":404,\"message\":\"NotFound\"}");
            } else if (mode == Mode.RULES_NOT_ACCEPTED) {
                json(ex, 403, "{\"code\":403,\"message\":\"You must accept this competition's rules before you'll be able to download files.\"}");
            } else if (mode == Mode.TRUNCATED) {
                ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + cutOffServer() + "/storage/archive.zip?Signature=c2ln");
                ex.sendResponseHeaders(302, -1);
                ex.close();
            } else {
                ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + server.getAddress().getPort()
                        + "/storage/kaggle-competitions-data/kaggle-v2/3004/861823/bundle/archive.zip"
                        + "?GoogleAccessId=web-data@kaggle-161607.iam.gserviceaccount.com&Expires=1765000000&Signature=c2ln");
                ex.sendResponseHeaders(302, -1);
                ex.close();
            }
        } else if ((m = URL.matcher(path)).matches() && ex.getRequestMethod().equals("POST")) {
            if (!m.group(1).equals("digit-recognizer")) {
                json(ex, 404, "{\"code\":404,\"message\":\"NotFound\"}");
            } else if (!body.contains("name=\"fileName\"")) {
                json(ex, 400, "{\"code\":400,\"message\":\"fileName is required\"}");
            } else {
                json(ex, 200, "{\"createUrl\":\"http://127.0.0.1:" + server.getAddress().getPort()
                        + "/upload/storage/v1/b/kaggle-competitions-submissions/o?uploadType=resumable&upload_id=x1\","
                        + "\"token\":\"eyJ0b2tlbiI6MX0\"}");
            }
        } else if ((m = SUBMIT.matcher(path)).matches() && ex.getRequestMethod().equals("POST")) {
            submitForm = body;
            if (mode == Mode.RULES_NOT_ACCEPTED) {
                json(ex, 403, "{\"code\":403,\"message\":\"You must accept this competition's rules before you can submit.\"}");
            } else {
                json(ex, 200, "{\"message\":\"Successfully submitted to Digit Recognizer\"}");
            }
        } else {
            json(ex, 404, "{\"code\":404,\"message\":\"NotFound\"}");
        }
    }

    private void storage(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
        storageAuthorization.add(ex.getRequestHeaders().getFirst("Authorization"));
        byte[] z = zip;
        if (mode == Mode.CORRUPT_ZIP) {
            z = z.clone();
            for (int i = z.length / 3; i < z.length / 3 + 64; i++) {
                z[i] ^= 0x5A;
            }
        }
        ex.getResponseHeaders().add("Content-Type", "application/zip");
        ex.sendResponseHeaders(200, z.length);
        try (OutputStream out = ex.getResponseBody()) {
            if (mode == Mode.STALLED) {
                // half the announced bytes, then nothing: the connection stays open
                out.write(z, 0, z.length / 2);
                out.flush();
                return;
            }
            out.write(z);
        } catch (IOException e) {
            // the truncated case ends here
        }
    }

    /** A one-shot raw server that announces the whole zip, sends half of it and closes the connection. */
    private int cutOffServer() throws IOException {
        java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (ss; java.net.Socket s = ss.accept()) {
                java.io.InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int c = in.read();
                    if (c < 0) {
                        return;
                    }
                    head.append((char) c);
                }
                requests.add("GET /storage/archive.zip");
                String auth = head.toString().lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("authorization:"))
                        .findFirst().orElse(null);
                storageAuthorization.add(auth);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: " + zip.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(zip, 0, zip.length / 2);
                out.flush();
            } catch (IOException e) {
                // the client went away: nothing to record
            }
        }, "kaggle-cut-off");
        t.setDaemon(true);
        t.start();
        return ss.getLocalPort();
    }

    private void upload(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
        storageAuthorization.add(ex.getRequestHeaders().getFirst("Authorization"));
        uploaded = ex.getRequestBody().readAllBytes();
        ex.sendResponseHeaders(200, -1);
        ex.close();
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A Digit Recognizer archive: train.csv with {@code trainRows} labelled images (a vertical bar
     * whose position is the label, so that a model can learn something), test.csv with
     * {@code testRows} images, and sample_submission.csv.
     */
    public static byte[] digitRecognizerZip(int trainRows, int testRows) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry("sample_submission.csv"));
            StringBuilder s = new StringBuilder("ImageId,Label\n");
            for (int i = 1; i <= testRows; i++) {
                s.append(i).append(",0\n");
            }
            z.write(s.toString().getBytes(StandardCharsets.US_ASCII));
            z.putNextEntry(new ZipEntry("test.csv"));
            z.write(csv(testRows, false));
            z.putNextEntry(new ZipEntry("train.csv"));
            z.write(csv(trainRows, true));
        }
        return b.toByteArray();
    }

    private static byte[] csv(int rows, boolean labelled) {
        StringBuilder s = new StringBuilder(rows * 1600 + 8000);
        if (labelled) {
            s.append("label,");
        }
        for (int p = 0; p < 784; p++) {
            s.append(p == 0 ? "" : ",").append("pixel").append(p);
        }
        s.append('\n');
        for (int r = 0; r < rows; r++) {
            int drawn = r % 10;
            // every 7th label is wrong, so that a trained model has mistakes to show
            int label = r % 7 == 3 ? (drawn + 1) % 10 : drawn;
            if (labelled) {
                s.append(label).append(',');
            }
            int col = 4 + 2 * drawn;
            for (int p = 0; p < 784; p++) {
                int y = p / 28, x = p % 28;
                s.append(p == 0 ? "" : ",").append(x == col && y >= 6 && y < 22 ? "255" : "0");
            }
            s.append('\n');
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
