package org.cnn4j.mnist.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Fails a read that blocks longer than a timeout. {@link java.net.http.HttpClient} has no read
 * timeout for a streamed body, so a mirror that stalls mid-file would hang the fetch for ever;
 * closing the body stream from a watchdog unblocks the reader.
 */
final class IdleTimeoutInputStream extends FilterInputStream {
    private final Duration timeout;
    private final Thread watchdog;
    // 0 when no read is in progress, else System.nanoTime() at its start.
    private volatile long readStarted;
    private volatile boolean timedOut;
    private volatile boolean closed;

    IdleTimeoutInputStream(InputStream in, Duration timeout) {
        super(in);
        this.timeout = timeout;
        this.watchdog = Thread.ofVirtual().name("cnn4j-read-watchdog").start(this::watch);
    }

    private void watch() {
        long timeoutNanos = timeout.toNanos();
        long pollMillis = Math.max(10, timeout.toMillis() / 4);
        while (!closed) {
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
            long started = readStarted;
            if (started != 0 && System.nanoTime() - started > timeoutNanos) {
                timedOut = true;
                try {
                    in.close();
                } catch (IOException e) {
                    // The reader gets the timeout either way.
                }
                return;
            }
        }
    }

    @Override
    public int read() throws IOException {
        begin();
        try {
            return end(in.read());
        } catch (IOException e) {
            throw timedOut ? stalled() : e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        begin();
        try {
            return end(in.read(b, off, len));
        } catch (IOException e) {
            throw timedOut ? stalled() : e;
        }
    }

    private void begin() throws IOException {
        if (timedOut) {
            throw stalled();
        }
        readStarted = System.nanoTime();
    }

    private int end(int result) throws IOException {
        readStarted = 0;
        // A stream closed under a blocked read may report end-of-stream; that is not the end.
        if (timedOut) {
            throw stalled();
        }
        return result;
    }

    private IOException stalled() {
        return new IOException("no data for " + ExternalCommand.describe(timeout) + ", giving up");
    }

    @Override
    public void close() throws IOException {
        closed = true;
        watchdog.interrupt();
        super.close();
    }
}
