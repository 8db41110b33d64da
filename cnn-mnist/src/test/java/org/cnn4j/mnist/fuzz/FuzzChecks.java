package org.cnn4j.mnist.fuzz;

import java.nio.file.Path;

/** What every documented error must look like: one line that names the file. */
final class FuzzChecks {
    private FuzzChecks() {
    }

    static void oneLine(Exception e, Path file) {
        oneLine(e, file.toString());
    }

    static void oneLine(Exception e, String source) {
        String m = e.getMessage();
        if (m == null || m.isBlank() || m.contains("\n") || m.contains("\r") || !m.contains(source)) {
            throw new AssertionError("error message must be one line naming " + source + ": " + m, e);
        }
    }
}
