package org.cnn4j.mnist.kaggle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** The commands' way to a {@link KaggleApi}: credentials from this process's environment, the base URL and timeout from the defaults. */
public final class KaggleSession {
    /** System property: seconds to wait to connect and for each answer (default 30). */
    public static final String TIMEOUT_PROPERTY = "cnn4j.kaggle.timeout";

    private KaggleSession() {
    }

    /**
     * A client for this process's user.
     *
     * @param warn receives the warning about a kaggle.json readable by others
     * @return the client
     * @throws org.cnn4j.mnist.InputException when there are no credentials
     */
    public static KaggleApi open(Consumer<String> warn) {
        KaggleCredentials c = KaggleCredentials.find(System.getenv(), Path.of(System.getProperty("user.home")), warn);
        long seconds = Long.getLong(TIMEOUT_PROPERTY, 30L);
        return new KaggleApi(KaggleApi.defaultBase(), c, Duration.ofSeconds(Math.max(1, seconds)));
    }
}
