package org.cnn4j.mnist.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.image.DigitImagePreprocessor;

/**
 * The digit recogniser over HTTP, on the JDK's own {@code com.sun.net.httpserver}.
 *
 * <ul>
 *   <li>{@code GET /}: the drawing page (one self-contained HTML file from the jar).</li>
 *   <li>{@code POST /api/predict}: PNG/JPEG/GIF/BMP bytes, or JSON {@code {"pixels": [784 numbers]}};
 *       answers {@code {"digit", "probabilities", "ms", "input"}} where {@code input} is the 28x28
 *       image the model saw (the {@code predict} command's preprocessing).</li>
 *   <li>{@code GET /api/model}: the model's summary, parameter count and how it was trained.</li>
 *   <li>{@code GET /healthz}: {@code {"status": "ok"}}.</li>
 * </ul>
 *
 * <p>Bad input never stops the server: a body over the limit (8 MB, a JSON one 256 KB) answers 413,
 * an unreadable image or bad JSON 400, a wrong method 405, an unknown path 404, each with a one-line
 * JSON error. Requests
 * run on a bounded pool; when its queue is full the accepting thread runs the request itself, which
 * stops it accepting more (back-pressure rather than unbounded memory). Slow clients are cut off by
 * the JDK server's request and response time limits, which {@link #start} sets when not set.
 */
public final class DigitServer {
    /** Largest request body accepted (a phone photo fits; the decoder also bounds pixels). */
    public static final int MAX_BODY = 8 << 20;
    /**
     * Largest JSON body accepted: 784 numbers take about 20 KB even written long-hand with spaces.
     * Parsed, a JSON body costs tens of times its bytes (8 MB of {@code {},} became ~250 MB), which
     * a few requests at once would run out of heap with.
     */
    public static final int MAX_JSON_BODY = 256 << 10;
    /** Seconds a client gets to send its request, and to take the answer. */
    public static final int CLIENT_TIMEOUT_SECONDS = 20;
    /**
     * Heap an image upload may take beyond its body: decoded at most 4 megapixels (the decoder
     * subsamples larger ones) as 4-byte pixels, plus the grey and float copies of preprocessing.
     */
    static final long IMAGE_DECODE_BYTES = 64L << 20;
    /** Heap a JSON body of {@link #MAX_JSON_BODY} bytes may take once parsed (measured: ~35 bytes a byte). */
    static final long JSON_PARSE_BYTES = 40L * MAX_JSON_BODY;

    private final Inference inference;
    private final String modelJson;
    private final DigitImagePreprocessor preprocessor = new DigitImagePreprocessor(DigitImagePreprocessor.DEFAULT_MAX_PIXELS);
    private final byte[] page;
    private final HeapBudget heap;
    private HttpServer server;
    private ThreadPoolExecutor pool;

    /**
     * A server for a loaded model; nothing listens until {@link #start}.
     *
     * @param inference the model behind its seam
     * @param modelJson the JSON object {@code GET /api/model} answers
     */
    public DigitServer(Inference inference, String modelJson) {
        this(inference, modelJson, HeapBudget.halfTheHeap(CLIENT_TIMEOUT_SECONDS * 1000L / 2));
    }

    /** A server whose requests share {@code heap} (tests give a small one). */
    DigitServer(Inference inference, String modelJson, HeapBudget heap) {
        this.inference = inference;
        this.modelJson = modelJson;
        this.heap = heap;
        try (InputStream in = DigitServer.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IllegalStateException("index.html is missing from the jar");
            }
            page = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read index.html from the jar", e);
        }
    }

    /**
     * Binds and starts serving.
     *
     * @param host the address to bind, e.g. {@code 127.0.0.1}
     * @param port the port, 0 for any free one
     * @param threads request threads
     * @return the bound address (with the actual port)
     * @throws IOException when the address cannot be bound
     */
    public InetSocketAddress start(String host, int port, int threads) throws IOException {
        // read once by the JDK server when its first instance is made; seconds
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(CLIENT_TIMEOUT_SECONDS));
        System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", Integer.toString(CLIENT_TIMEOUT_SECONDS));
        server = HttpServer.create(new InetSocketAddress(host, port), 128);
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "serve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(pool);
        server.createContext("/", ex -> handle(ex, this::root));
        server.createContext("/api/predict", ex -> handle(ex, this::predict));
        server.createContext("/api/model", ex -> handle(ex, e -> get(e, modelJson)));
        server.createContext("/healthz", ex -> handle(ex, e -> get(e, "{\"status\": \"ok\"}")));
        server.start();
        return server.getAddress();
    }

    /** Stops accepting, lets running requests finish for up to a second, and stops the threads. */
    public void stop() {
        if (server != null) {
            server.stop(1);
            pool.shutdownNow();
        }
    }

    /** An answer: status, content type and body. */
    private record Reply(int status, String type, byte[] body) {
        static Reply json(int status, String json) {
            return new Reply(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
        }

        static Reply error(int status, String message) {
            return json(status, "{\"error\": " + Json.quote(message.replaceAll("\\s+", " ").trim()) + "}");
        }
    }

    @FunctionalInterface
    private interface Handler {
        Reply handle(HttpExchange ex) throws IOException;
    }

    /** Thrown by a handler to answer with an error status. */
    private static final class HttpError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        HttpError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private static void handle(HttpExchange ex, Handler h) {
        try (ex) {
            Reply r;
            try {
                r = h.handle(ex);
            } catch (HttpError e) {
                if (e.status == 405) {
                    ex.getResponseHeaders().set("Allow", ex.getHttpContext().getPath().equals("/api/predict") ? "POST" : "GET");
                }
                if (e.status == 503) {
                    ex.getResponseHeaders().set("Retry-After", "1");
                }
                r = Reply.error(e.status, e.getMessage());
            } catch (InputException | IllegalArgumentException e) {
                r = Reply.error(400, e.getMessage());
            } catch (IOException e) {
                return; // the client went away or timed out mid-request: nobody to answer
            } catch (OutOfMemoryError e) {
                // not the client's fault, and it may pass: 503, as for a budget the request could not get
                ex.getResponseHeaders().set("Retry-After", "1");
                r = Reply.error(503, "out of memory for this request: try again, or send a smaller image");
            } catch (RuntimeException e) {
                r = Reply.error(500, "internal error: " + e);
            }
            ex.getResponseHeaders().set("Content-Type", r.type());
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(r.status(), head ? -1 : r.body().length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body());
                }
            }
        } catch (IOException e) {
            // the client closed the connection before the answer: nothing to do
        }
    }

    private Reply root(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        if (!path.equals("/") && !path.equals("/index.html")) {
            throw new HttpError(404, "no such page: " + path);
        }
        requireMethod(ex, "GET");
        return new Reply(200, "text/html; charset=utf-8", page);
    }

    private static Reply get(HttpExchange ex, String json) {
        // a context also receives every longer path that starts with its own ("/healthzx")
        if (!ex.getRequestURI().getPath().equals(ex.getHttpContext().getPath())) {
            throw new HttpError(404, "no such page: " + ex.getRequestURI().getPath());
        }
        requireMethod(ex, "GET");
        return Reply.json(200, json);
    }

    private static void requireMethod(HttpExchange ex, String method) {
        String m = ex.getRequestMethod();
        if (!m.equals(method) && !(method.equals("GET") && m.equals("HEAD"))) {
            throw new HttpError(405, ex.getRequestURI().getPath() + " takes " + method + ", not " + m);
        }
    }

    private Reply predict(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().equals("/api/predict")) {
            throw new HttpError(404, "no such page: " + ex.getRequestURI().getPath());
        }
        if (!ex.getRequestMethod().equals("POST")) {
            throw new HttpError(405, "/api/predict takes POST, not " + ex.getRequestMethod());
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        boolean saysJson = type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
        HeapBudget.Lease lease;
        try {
            lease = heap.lease(3 * declaredLength(ex) + (saysJson ? JSON_PARSE_BYTES : IMAGE_DECODE_BYTES));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "the server is stopping");
        }
        if (lease == null) {
            throw new HttpError(503, "busy: too many large requests at once for the heap; try again");
        }
        try (lease) {
            return predict(ex, saysJson);
        }
    }

    /** The body's length as its header says, or the most a body may have when it does not say (or lies above it). */
    private static long declaredLength(HttpExchange ex) {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        try {
            return length == null ? MAX_BODY : Math.min(MAX_BODY, Math.max(0, Long.parseLong(length.trim())));
        } catch (NumberFormatException e) {
            return MAX_BODY; // readBody refuses it
        }
    }

    /** The prediction, with the heap it may take leased: reading the body ({@code 3x}: growth and copy), parsing or decoding. */
    private Reply predict(HttpExchange ex, boolean saysJson) throws IOException {
        byte[] body = readBody(ex);
        if (body.length == 0) {
            throw new HttpError(400, "empty body: send PNG, JPEG, GIF or BMP bytes, or JSON {\"pixels\": [784 numbers]}");
        }
        boolean json = saysJson || body[0] == '{';
        if (json && body.length > MAX_JSON_BODY) {
            throw new HttpError(413, "JSON body of " + body.length + " bytes is over the limit of " + MAX_JSON_BODY
                    + " (784 numbers need about 20 KB)");
        }
        long start = System.nanoTime();
        float[] pixels = json ? pixels(body) : preprocessor.preprocess(body, "the uploaded image");
        float[] p = inference.predict(pixels);
        double ms = (System.nanoTime() - start) / 1e6;
        return Reply.json(200, answer(p, ms, pixels));
    }

    /** Reads the body, refusing (413) one over {@link #MAX_BODY} whether it says its length or not. */
    private static byte[] readBody(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY) {
                    throw new HttpError(413, "body of " + length.trim() + " bytes is over the limit of " + MAX_BODY);
                }
            } catch (NumberFormatException e) {
                throw new HttpError(400, "bad Content-Length '" + length + "'");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        try (InputStream in = ex.getRequestBody()) {
            for (int r; (r = in.read(buf)) > 0; ) {
                out.write(buf, 0, r);
                if (out.size() > MAX_BODY) {
                    throw new HttpError(413, "body is over the limit of " + MAX_BODY + " bytes");
                }
            }
        }
        return out.toByteArray();
    }

    /** {@code {"pixels": [784 numbers in [0, 1]]}}, row-major 28x28, ink bright as in MNIST. */
    static float[] pixels(byte[] body) {
        Object doc = Json.parse(new String(body, StandardCharsets.UTF_8));
        if (!(doc instanceof Map<?, ?> m) || !(m.get("pixels") instanceof List<?> list)) {
            throw new IllegalArgumentException("expected JSON {\"pixels\": [784 numbers]}");
        }
        if (list.size() != 784) {
            throw new IllegalArgumentException("\"pixels\" has " + list.size() + " values, expected 784 (28x28)");
        }
        float[] px = new float[784];
        for (int i = 0; i < 784; i++) {
            if (!(list.get(i) instanceof Double d) || !(d >= 0 && d <= 1)) {
                throw new IllegalArgumentException("\"pixels\"[" + i + "] is " + list.get(i) + ", expected a number in [0, 1]");
            }
            px[i] = d.floatValue();
        }
        return px;
    }

    private static String answer(float[] p, double ms, float[] pixels) {
        int digit = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[digit]) {
                digit = c;
            }
        }
        StringBuilder b = new StringBuilder(8 * 1024).append("{\"digit\": ").append(digit).append(", \"probabilities\": [");
        for (int c = 0; c < p.length; c++) {
            b.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", p[c]));
        }
        b.append("], \"ms\": ").append(String.format(Locale.ROOT, "%.3f", ms)).append(", \"input\": [");
        for (int i = 0; i < pixels.length; i++) {
            b.append(i == 0 ? "" : ",").append(Math.round(pixels[i] * 255));
        }
        return b.append("]}").toString();
    }
}
