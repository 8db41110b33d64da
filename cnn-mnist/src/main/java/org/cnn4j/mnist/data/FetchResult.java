package org.cnn4j.mnist.data;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link MnistFetcher#fetch} did: the directory that now holds the verified, uncompressed
 * files, and for each file the source that served it ({@value #CACHE} when it was already there).
 *
 * @param directory the cache directory
 * @param sources file name to the {@link DataSource#description()} of the source that served it
 */
public record FetchResult(Path directory, Map<String, String> sources) {
    /** The source name of files that were already in the cache. */
    public static final String CACHE = "cache";

    /** Copies the map (sorted by file name). */
    public FetchResult {
        sources = Collections.unmodifiableSortedMap(new TreeMap<>(sources));
    }

    /** The path of a fetched file in the cache directory. */
    public Path file(String fileName) {
        if (!sources.containsKey(fileName)) {
            throw new IllegalArgumentException(fileName + " was not fetched");
        }
        return directory.resolve(fileName);
    }

    /** Whether every file came from the cache, i.e. nothing was downloaded. */
    public boolean allFromCache() {
        return sources.values().stream().allMatch(CACHE::equals);
    }
}
