package org.cnn4j.mnist.kaggle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnn4j.mnist.InputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KaggleApi}, {@link CompetitionFiles} and {@link KaggleCredentials} against the loopback
 * stand-in: the real endpoint paths, only the base URL differs. Each failure's message is asserted
 * word for word where it matters, and the cache is checked to hold nothing half-extracted.
 */
class KaggleApiTest {
    static byte[] zip;
    KaggleStandIn kaggle;
    @TempDir
    Path cache;
    KaggleApi api;

    @BeforeAll
    static void makeArchive() throws IOException {
        zip = KaggleStandIn.digitRecognizerZip(50, 20);
    }

    @BeforeEach
    void start() throws IOException {
        kaggle = new KaggleStandIn(zip);
        api = new KaggleApi(kaggle.base(), new KaggleCredentials(KaggleStandIn.USER, KaggleStandIn.KEY, "/home/ada/.kaggle/kaggle.json"),
                Duration.ofSeconds(2));
        System.setProperty(CompetitionFiles.CACHE_PROPERTY, cache.toString());
    }

    @AfterEach
    void stop() {
        kaggle.close();
        System.clearProperty(CompetitionFiles.CACHE_PROPERTY);
    }

    @Test
    void downloadFollowsTheRedirectWithoutTheKeyAndExtractsTheThreeFiles() throws IOException {
        Path dir = CompetitionFiles.fetch(api, "digit-recognizer", s -> { });
        assertThat(dir).isEqualTo(cache.resolve("digit-recognizer"));
        for (String f : CompetitionFiles.FILES) {
            assertThat(dir.resolve(f)).isRegularFile();
        }
        assertThat(Files.readAllLines(dir.resolve("train.csv"))).hasSize(51);
        assertThat(kaggle.requests).containsExactly("GET /api/v1/competitions/data/download-all/digit-recognizer",
                "GET /storage/kaggle-competitions-data/kaggle-v2/3004/861823/bundle/archive.zip");
        // the signed storage must not see the API key
        assertThat(kaggle.storageAuthorization).containsExactly((String) null);
        try (var s = Files.list(cache)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("digit-recognizer");
        }
        System.setProperty(CompetitionFiles.CACHE_PROPERTY, cache.toString());
        assertThat(CompetitionFiles.cached("test.csv")).isEqualTo(dir.resolve("test.csv"));
    }

    @Test
    void refusedCredentialsNameTheirFile() {
        kaggle.mode = KaggleStandIn.Mode.UNAUTHORIZED;
        assertFails("Kaggle refused the credentials in /home/ada/.kaggle/kaggle.json (HTTP 401): download a new kaggle.json "
                + "from https://www.kaggle.com/settings (API: Create New Token)");
    }

    @Test
    void rulesNotAcceptedSaysWhereToAcceptThem() {
        kaggle.mode = KaggleStandIn.Mode.RULES_NOT_ACCEPTED;
        assertFails("Kaggle denied access to digit-recognizer (HTTP 403): accept the competition's rules at "
                + "https://www.kaggle.com/competitions/digit-recognizer/rules while signed in as ada, then run again");
    }

    @Test
    void unknownCompetition() {
        assertThatThrownBy(() -> CompetitionFiles.fetch(api, "digit-recogniser", s -> { }))
                .isInstanceOf(InputException.class)
                .hasMessage("no competition named 'digit-recogniser' on Kaggle (HTTP 404): check the name in its URL, "
                        + "https://www.kaggle.com/competitions/digit-recogniser");
        assertNothingLeftInTheCache();
    }

    /**
     * The name becomes a folder under the cache root: "..", "/etc", "a/../../x" or "" resolved to the
     * root's parent, /etc or the root itself, where fetch then created, swept and swapped folders.
     */
    @Test
    void aNameThatIsNotACompetitionSlugIsRefusedBeforeAnyRequestOrFolder() throws IOException {
        Path inside = Files.createDirectories(cache.resolve("root"));
        System.setProperty(CompetitionFiles.CACHE_PROPERTY, inside.toString());
        for (String bad : List.of("..", "/etc", "a/../../x", "", " ", "-x", "x-", "digit recognizer", "digit-recognizer/",
                "digit_recognizer", "a\\b", "x\ny", "a".repeat(101))) {
            assertThatThrownBy(() -> CompetitionFiles.fetch(api, bad, s -> { })).as(bad)
                    .isInstanceOf(InputException.class)
                    .hasMessageContaining("': not a Kaggle competition name (letters, digits and hyphens, as in its URL: "
                            + "https://www.kaggle.com/competitions/digit-recognizer)")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThatThrownBy(() -> api.submit(bad, inside, "m")).as(bad).isInstanceOf(InputException.class)
                    .hasMessageContaining("not a Kaggle competition name");
        }
        assertThat(kaggle.requests).isEmpty();
        try (var s = Files.list(cache)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("root");
        }
        try (var s = Files.list(inside)) {
            assertThat(s.toList()).isEmpty();
        }
        for (String good : List.of("digit-recognizer", "titanic", "GiveMeSomeCredit", "2019-data-science-bowl", "R")) {
            assertThat(CompetitionFiles.checkName(good)).isEqualTo(good);
            assertThat(CompetitionFiles.dir(good)).isEqualTo(inside.resolve(good));
        }
    }

    @Test
    void truncatedDownloadLeavesThePreviousFilesAlone() throws IOException {
        CompetitionFiles.fetch(api, "digit-recognizer", s -> { });
        Path train = cache.resolve("digit-recognizer/train.csv");
        byte[] before = Files.readAllBytes(train);
        kaggle.mode = KaggleStandIn.Mode.TRUNCATED;
        assertThatThrownBy(() -> CompetitionFiles.fetch(api, "digit-recognizer", s -> { }))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("the download of digit-recognizer was cut off after ")
                .hasMessageEndingWith(" of " + zip.length + " bytes: run fetch --kaggle again");
        assertThat(Files.readAllBytes(train)).isEqualTo(before);
        try (var s = Files.list(cache)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("digit-recognizer");
        }
    }

    @Test
    void stalledDownloadIsCutByTheWatchdog() {
        kaggle.mode = KaggleStandIn.Mode.STALLED;
        KaggleApi impatient = new KaggleApi(kaggle.base(), new KaggleCredentials(KaggleStandIn.USER, KaggleStandIn.KEY, "env"),
                Duration.ofSeconds(1));
        assertThatThrownBy(() -> CompetitionFiles.fetch(impatient, "digit-recognizer", s -> { }))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("the download of digit-recognizer stalled after ")
                .hasMessageEndingWith(" of " + zip.length + " bytes (nothing for 1 s): run fetch --kaggle again");
        assertNothingLeftInTheCache();
    }

    @Test
    void corruptArchiveIsRejectedAndNothingIsExtracted() {
        kaggle.mode = KaggleStandIn.Mode.CORRUPT_ZIP;
        assertThatThrownBy(() -> CompetitionFiles.fetch(api, "digit-recognizer", s -> { }))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("the downloaded archive of digit-recognizer is damaged or truncated (")
                .hasMessageEndingWith("): run fetch --kaggle again");
        assertNothingLeftInTheCache();
    }

    @Test
    void networkDown() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        KaggleApi down = new KaggleApi(URI.create("http://127.0.0.1:" + port + "/api/v1"),
                new KaggleCredentials("ada", "k", "the environment"), Duration.ofSeconds(2));
        assertThatThrownBy(() -> CompetitionFiles.fetch(down, "digit-recognizer", s -> { }))
                .isInstanceOf(InputException.class)
                .hasMessage("cannot reach 127.0.0.1:" + port + " (ConnectException): the network is down or blocked; check "
                        + "the connection (a proxy is set with -Dhttps.proxyHost and -Dhttps.proxyPort) and run again");
        assertNothingLeftInTheCache();
    }

    @Test
    void timeout() {
        kaggle.mode = KaggleStandIn.Mode.HANG;
        KaggleApi impatient = new KaggleApi(kaggle.base(), new KaggleCredentials(KaggleStandIn.USER, KaggleStandIn.KEY, "env"),
                Duration.ofSeconds(1));
        assertThatThrownBy(() -> CompetitionFiles.fetch(impatient, "digit-recognizer", s -> { }))
                .isInstanceOf(InputException.class)
                .hasMessage("127.0.0.1 did not answer within 1 s: the network is slow or down; check it and run again");
    }

    @Test
    void submitUploadsToTheSignedUrlWithoutTheKeyThenSubmitsTheToken(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("submission.csv");
        Files.writeString(file, "ImageId,Label\n1,7\n");
        String answer = api.submit("digit-recognizer", file, "cnn4j seed recipe, 30 epochs");
        assertThat(answer).isEqualTo("Successfully submitted to Digit Recognizer");
        long size = Files.size(file), mtime = Files.getLastModifiedTime(file).toMillis() / 1000;
        assertThat(kaggle.requests).containsExactly(
                "POST /api/v1/competitions/digit-recognizer/submissions/url/" + size + "/" + mtime,
                "PUT /upload/storage/v1/b/kaggle-competitions-submissions/o",
                "POST /api/v1/competitions/submissions/submit/digit-recognizer");
        assertThat(kaggle.uploaded).isEqualTo(Files.readAllBytes(file));
        assertThat(kaggle.storageAuthorization).containsExactly((String) null);
        assertThat(kaggle.submitForm).contains("name=\"blobFileTokens\"\r\n\r\neyJ0b2tlbiI6MX0\r\n")
                .contains("name=\"submissionDescription\"\r\n\r\ncnn4j seed recipe, 30 epochs\r\n");
    }

    @Test
    void credentialsComeFromTheEnvironmentThenKaggleConfigDirThenHome(@TempDir Path home) throws IOException {
        Path cfg = home.resolve("cfg");
        Files.createDirectories(cfg);
        Files.writeString(cfg.resolve("kaggle.json"), "{\"username\":\"cfg-user\",\"key\":\"k1\"}");
        Files.createDirectories(home.resolve(".kaggle"));
        Path homeJson = home.resolve(".kaggle/kaggle.json");
        Files.writeString(homeJson, "{\"username\": \"home-user\", \"key\": \"k2\"}");
        Files.setPosixFilePermissions(homeJson, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(cfg.resolve("kaggle.json"), PosixFilePermissions.fromString("rw-------"));
        List<String> warnings = new ArrayList<>();
        assertThat(KaggleCredentials.find(Map.of("KAGGLE_USERNAME", "env-user", "KAGGLE_KEY", "k0",
                "KAGGLE_CONFIG_DIR", cfg.toString()), home, warnings::add).username()).isEqualTo("env-user");
        assertThat(KaggleCredentials.find(Map.of("KAGGLE_CONFIG_DIR", cfg.toString()), home, warnings::add).username())
                .isEqualTo("cfg-user");
        KaggleCredentials h = KaggleCredentials.find(Map.of(), home, warnings::add);
        assertThat(h.username()).isEqualTo("home-user");
        assertThat(h.source()).isEqualTo(homeJson.toString());
        assertThat(h.toString()).doesNotContain("k2");
        assertThat(warnings).isEmpty();
        Files.setPosixFilePermissions(homeJson, PosixFilePermissions.fromString("rw-r--r--"));
        KaggleCredentials.find(Map.of(), home, warnings::add);
        assertThat(warnings).containsExactly("Warning: Your Kaggle API key is readable by other users on this system! "
                + "To fix this, you can run 'chmod 600 " + homeJson + "'");
    }

    @Test
    void noCredentialsSaysWhereToGetAndPutKaggleJson(@TempDir Path home) {
        assertThatThrownBy(() -> KaggleCredentials.find(Map.of(), home, s -> { }))
                .isInstanceOf(InputException.class)
                .hasMessage("no Kaggle credentials: download kaggle.json from https://www.kaggle.com/settings (API: Create New "
                        + "Token) and put it in " + home.resolve(".kaggle/kaggle.json") + " (chmod 600), or set KAGGLE_USERNAME "
                        + "and KAGGLE_KEY");
    }

    private void assertFails(String message) {
        assertThatThrownBy(() -> CompetitionFiles.fetch(api, "digit-recognizer", s -> { }))
                .isInstanceOf(InputException.class).hasMessage(message);
        assertNothingLeftInTheCache();
    }

    private void assertNothingLeftInTheCache() {
        try (var s = Files.list(cache)) {
            assertThat(s.toList()).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
