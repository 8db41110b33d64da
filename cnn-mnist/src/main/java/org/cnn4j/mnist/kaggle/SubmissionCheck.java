package org.cnn4j.mnist.kaggle;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.cnn4j.mnist.InputException;

/**
 * Checks a Digit Recognizer submission before it is uploaded, so that a mistake costs nothing
 * of the day's submission allowance: the header {@code ImageId,Label}, then exactly
 * {@value #ROWS} rows {@code i,label} with ImageId 1, 2, ... in order and a label 0-9.
 */
public final class SubmissionCheck {
    /** The rows of Kaggle's test.csv. */
    public static final int ROWS = 28_000;

    private SubmissionCheck() {
    }

    /**
     * Checks the file.
     *
     * @param file the submission
     * @throws InputException naming the file and line of the first problem
     */
    public static void check(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (!"ImageId,Label".equals(header == null ? null : header.strip())) {
                throw new InputException(file + ":1: the header must be ImageId,Label, got " + quote(header));
            }
            int rows = 0;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                rows++;
                String[] f = line.strip().split(",", -1);
                int lineNo = rows + 1;
                if (f.length != 2) {
                    throw new InputException(file + ":" + lineNo + ": expected ImageId,Label, got " + quote(line));
                }
                if (!f[0].equals(Integer.toString(rows))) {
                    throw new InputException(file + ":" + lineNo + ": ImageId must be " + rows + ", got " + quote(f[0]));
                }
                if (f[1].length() != 1 || f[1].charAt(0) < '0' || f[1].charAt(0) > '9') {
                    throw new InputException(file + ":" + lineNo + ": Label must be a digit 0-9, got " + quote(f[1]));
                }
            }
            if (rows != ROWS) {
                throw new InputException(file + ": " + rows + " rows, but Kaggle's test.csv has " + ROWS
                        + ": write it with submit on the full test.csv");
            }
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such submission file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read the submission (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static String quote(String s) {
        if (s == null) {
            return "nothing";
        }
        return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
    }
}
