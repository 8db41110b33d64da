package org.cnn4j.mnist.accuracy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Locale;
import java.util.Properties;

/**
 * The figures of one finished protocol run, kept in its folder as {@code result.properties} so that
 * a stopped protocol knows what is done.
 *
 * @param preset the preset id
 * @param seed the run's seed
 * @param epochs epochs trained
 * @param trainImages training images
 * @param valImages validation images
 * @param testImages test images evaluated
 * @param valAccuracy validation accuracy after the last epoch
 * @param valLoss validation loss after the last epoch
 * @param testAccuracy accuracy on the test images
 * @param testLoss loss on the test images
 * @param minutes wall-clock minutes of the training (on whatever else the machine was doing)
 */
public record RunResult(String preset, long seed, int epochs, int trainImages, int valImages, int testImages,
        double valAccuracy, double valLoss, double testAccuracy, double testLoss, double minutes) {

    /** The CSV header matching {@link #csvRow}. */
    public static final String CSV_HEADER =
            "preset,seed,epochs,train_images,val_images,test_images,val_accuracy,val_loss,test_accuracy,test_loss,minutes";

    /**
     * One CSV row, numbers in Java's shortest round-trip form.
     *
     * @return the row without a line break
     */
    public String csvRow() {
        return String.join(",", preset, Long.toString(seed), Integer.toString(epochs), Integer.toString(trainImages),
                Integer.toString(valImages), Integer.toString(testImages), Double.toString(valAccuracy),
                Double.toString(valLoss), Double.toString(testAccuracy), Double.toString(testLoss),
                String.format(Locale.ROOT, "%.2f", minutes));
    }

    /**
     * The properties text of this result.
     *
     * @return the file content
     */
    public String toProperties() {
        Properties p = new Properties();
        String[] names = CSV_HEADER.split(",");
        String[] values = csvRow().split(",");
        for (int i = 0; i < names.length; i++) {
            p.setProperty(names[i], values[i]);
        }
        StringWriter w = new StringWriter();
        try {
            p.store(w, "one run of the accuracy protocol (docs/accuracy.md)");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return w.toString();
    }

    /**
     * Reads a result written by {@link #toProperties}.
     *
     * @param text the file content
     * @return the result
     * @throws IllegalArgumentException naming the field that is missing or malformed
     */
    public static RunResult parse(String text) {
        Properties p = new Properties();
        try (Reader r = new StringReader(text)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("unreadable result: " + e.getMessage(), e);
        }
        try {
            return new RunResult(get(p, "preset"), Long.parseLong(get(p, "seed")), Integer.parseInt(get(p, "epochs")),
                    Integer.parseInt(get(p, "train_images")), Integer.parseInt(get(p, "val_images")),
                    Integer.parseInt(get(p, "test_images")), Double.parseDouble(get(p, "val_accuracy")),
                    Double.parseDouble(get(p, "val_loss")), Double.parseDouble(get(p, "test_accuracy")),
                    Double.parseDouble(get(p, "test_loss")), Double.parseDouble(get(p, "minutes")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed number (" + e.getMessage() + ")", e);
        }
    }

    private static String get(Properties p, String name) {
        String v = p.getProperty(name);
        if (v == null) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
        return v;
    }
}
