package org.cnn4j.mnist.serve;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Just enough of the W3C WebDriver protocol, spoken over HTTP to Debian's {@code chromedriver}
 * driving headless {@code chromium}, without Selenium: a session, navigation, element lookup,
 * pointer actions (real input events), file upload, script and screenshots.
 */
final class WebDriver implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final Process driver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String session;

    /** True where the browser and its driver are installed. */
    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    WebDriver(Path profile, Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        base = URI.create("http://127.0.0.1:" + port + "/");
        try {
            session = startSession(profile);
        } catch (IOException | InterruptedException | RuntimeException e) {
            driver.destroyForcibly();
            throw e;
        }
    }

    private String startSession(Path profile) throws IOException, InterruptedException {
        waitUntilReady();
        String args = String.join("\", \"", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1000,760", "--user-data-dir=" + profile);
        Map<String, Object> r = call("POST", "session", "{\"capabilities\": {\"alwaysMatch\": {\"browserName\": \"chrome\", "
                + "\"goog:chromeOptions\": {\"binary\": \"" + CHROMIUM + "\", \"args\": [\"" + args + "\"]}}}}");
        return (String) ((Map<?, ?>) r.get("value")).get("sessionId");
    }

    private void waitUntilReady() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try {
                Map<String, Object> s = call("GET", "status", null);
                if (Boolean.TRUE.equals(((Map<?, ?>) s.get("value")).get("ready"))) {
                    return;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !driver.isAlive()) {
                    throw new IOException("chromedriver did not start: " + e.getMessage(), e);
                }
            }
            Thread.sleep(100);
        }
    }

    void open(URI url) throws IOException, InterruptedException {
        command("POST", "url", "{\"url\": " + Json.quote(url.toString()) + "}");
    }

    String find(String css) throws IOException, InterruptedException {
        Map<?, ?> v = (Map<?, ?>) command("POST", "element", "{\"using\": \"css selector\", \"value\": " + Json.quote(css) + "}");
        return (String) v.get(ELEMENT);
    }

    /** Presses the mouse at the first point, moves through the rest, releases: one stroke. Points are relative to the element's centre. */
    void stroke(String element, List<int[]> points) throws IOException, InterruptedException {
        StringBuilder a = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            int[] p = points.get(i);
            a.append(i == 0 ? "" : ", ").append("{\"type\": \"pointerMove\", \"duration\": ").append(i == 0 ? 0 : 15)
                    .append(", \"origin\": {\"").append(ELEMENT).append("\": \"").append(element).append("\"}, \"x\": ")
                    .append(p[0]).append(", \"y\": ").append(p[1]).append('}');
            if (i == 0) {
                a.append(", {\"type\": \"pointerDown\", \"button\": 0}");
            }
        }
        a.append(", {\"type\": \"pointerUp\", \"button\": 0}");
        command("POST", "actions", "{\"actions\": [{\"type\": \"pointer\", \"id\": \"mouse\", \"parameters\": "
                + "{\"pointerType\": \"mouse\"}, \"actions\": [" + a + "]}]}");
    }

    /** Moves the mouse onto {@code element}'s centre, with no button pressed. */
    void hover(String element) throws IOException, InterruptedException {
        command("POST", "actions", "{\"actions\": [{\"type\": \"pointer\", \"id\": \"mouse\", \"parameters\": "
                + "{\"pointerType\": \"mouse\"}, \"actions\": [{\"type\": \"pointerMove\", \"duration\": 0, \"origin\": {\""
                + ELEMENT + "\": \"" + element + "\"}, \"x\": 0, \"y\": 0}]}]}");
    }

    void click(String element) throws IOException, InterruptedException {
        command("POST", "element/" + element + "/click", "{}");
    }

    void upload(String fileInput, Path file) throws IOException, InterruptedException {
        command("POST", "element/" + fileInput + "/value", "{\"text\": " + Json.quote(file.toAbsolutePath().toString()) + "}");
    }

    Object script(String body) throws IOException, InterruptedException {
        return command("POST", "execute/sync", "{\"script\": " + Json.quote(body) + ", \"args\": []}");
    }

    void screenshot(Path file) throws IOException, InterruptedException {
        String b64 = (String) command("GET", "screenshot", null);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(b64));
    }

    private Object command(String method, String path, String body) throws IOException, InterruptedException {
        return call(method, "session/" + session + "/" + path, body).get("value");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json; charset=utf-8");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Object> j = (Map<String, Object>) Json.parse(r.body());
        if (r.statusCode() != 200) {
            throw new IOException("WebDriver " + method + " " + path + ": HTTP " + r.statusCode() + ": " + r.body());
        }
        return j;
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                call("DELETE", "session/" + session, null);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the browser may already be gone; the driver is stopped below either way
        } finally {
            driver.destroy();
            try {
                if (!driver.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            } catch (InterruptedException e) {
                driver.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
