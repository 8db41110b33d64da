package org.cnn4j.mnist.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.cnn4j.mnist.InputException;

/**
 * A Kaggle "Digit Recognizer" submission: the header {@code ImageId,Label}, then one row per
 * test image in test.csv order, ImageId counting from 1. Written atomically, so that an
 * interrupted run never leaves a truncated submission behind.
 */
public final class Submission {
    /** The header line. */
    public static final String HEADER = "ImageId,Label";

    private Submission() {
    }

    /**
     * Writes the predicted labels, {@code predictions[i]} being that of test image {@code i + 1}.
     *
     * @throws IllegalArgumentException if a prediction is not 0..9
     * @throws InputException if the file cannot be written
     */
    public static void write(Path file, int[] predictions) {
        for (int i = 0; i < predictions.length; i++) {
            if (predictions[i] < 0 || predictions[i] >= LabeledImages.CLASSES) {
                throw new IllegalArgumentException("prediction " + predictions[i] + " for ImageId " + (i + 1)
                        + " is not 0..9");
            }
        }
        int[] labels = predictions.clone();
        OutputFiles.write(file, out -> {
            StringBuilder sb = new StringBuilder(16 * (labels.length + 1));
            sb.append(HEADER).append('\n');
            for (int i = 0; i < labels.length; i++) {
                sb.append(i + 1).append(',').append(labels[i]).append('\n');
            }
            out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        });
    }
}
