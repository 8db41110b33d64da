package org.cnn4j.mnist.kaggle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnn4j.mnist.InputException;

/**
 * A Kaggle user name and API key, found where the official client looks, in its order
 * ({@code KaggleApi.authenticate} in 1.6.17): the environment variables {@code KAGGLE_USERNAME}
 * and {@code KAGGLE_KEY}, else {@code $KAGGLE_CONFIG_DIR/kaggle.json}, else
 * {@code ~/.kaggle/kaggle.json}.
 *
 * @param username the Kaggle user name
 * @param key the API key
 * @param source where they came from ("the environment" or the file's path), for messages
 */
public record KaggleCredentials(String username, String key, String source) {
    /** Where to get a kaggle.json, for the message when there is none. */
    static final String ACCOUNT_PAGE = "https://www.kaggle.com/settings (API: Create New Token)";

    /** Never print the key. */
    @Override
    public String toString() {
        return "KaggleCredentials[" + username + " from " + source + "]";
    }

    /**
     * Finds the credentials.
     *
     * @param env the environment variables
     * @param home the user's home folder
     * @param warn receives the official client's warning when the file is readable by other users
     * @return the credentials
     * @throws InputException when there are none, or the file is not a kaggle.json
     */
    public static KaggleCredentials find(Map<String, String> env, Path home, Consumer<String> warn) {
        String user = env.get("KAGGLE_USERNAME"), key = env.get("KAGGLE_KEY");
        if (notBlank(user) && notBlank(key)) {
            return new KaggleCredentials(user, key, "the environment (KAGGLE_USERNAME, KAGGLE_KEY)");
        }
        String configDir = env.get("KAGGLE_CONFIG_DIR");
        Path file = notBlank(configDir) ? Path.of(configDir).resolve("kaggle.json")
                : home.resolve(".kaggle").resolve("kaggle.json");
        if (!Files.isRegularFile(file)) {
            throw new InputException("no Kaggle credentials: download kaggle.json from " + ACCOUNT_PAGE
                    + " and put it in " + file + " (chmod 600), or set KAGGLE_USERNAME and KAGGLE_KEY");
        }
        warnIfReadableByOthers(file, warn);
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read the Kaggle credentials (" + e.getClass().getSimpleName() + ")", e);
        }
        String u = field(json, "username"), k = field(json, "key");
        if (!notBlank(u) || !notBlank(k)) {
            throw new InputException(file + ": not a kaggle.json (it needs \"username\" and \"key\"); download a new one from "
                    + ACCOUNT_PAGE);
        }
        return new KaggleCredentials(u, k, file.toString());
    }

    // The client tests the "other" and "group" read bits (mode & 4, mode & 32) and prints this.
    private static void warnIfReadableByOthers(Path file, Consumer<String> warn) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.GROUP_READ)) {
                warn.accept("Warning: Your Kaggle API key is readable by other users on this system! To fix this, "
                        + "you can run 'chmod 600 " + file + "'");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system (Windows): the client skips the check there too
        }
    }

    /** A string field of a flat JSON object; kaggle.json is {"username":"...","key":"..."}. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : null;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
