package org.cnn4j.mnist.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Transparent gzip: decides by the magic bytes, because file names and mirrors lie. */
final class Gzip {
    private static final int BUFFER = 1 << 16;

    private Gzip() {
    }

    /**
     * Returns a stream of the uncompressed content of {@code in}: gunzipped if it starts with the
     * gzip magic bytes 1f 8b, otherwise the bytes as they are. Takes ownership of {@code in}.
     */
    static InputStream decompressIfGzip(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
        return isGzip(buffered) ? new GZIPInputStream(buffered, BUFFER) : buffered;
    }

    /** Peeks at the first two bytes without consuming them. */
    static boolean isGzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }
}
