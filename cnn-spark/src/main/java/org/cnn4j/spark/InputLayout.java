package org.cnn4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.image.DigitImagePreprocessor;

/**
 * Where a row's image is and how to turn it into the network's 784 inputs: encoded image bytes
 * (preprocessed exactly as {@code predict} does a file), an array of 784 pixel values 0..255, a
 * string holding a Kaggle CSV line of 784 values, or Kaggle's 784 columns {@code pixel0..pixel783}. Pixel values become {@code value / 255f}, as
 * cnn-mnist's {@code submit} does with a Kaggle CSV.
 */
final class InputLayout implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int PIXELS = 28 * 28;

    enum Kind { IMAGE_BYTES, PIXEL_ARRAY, CSV_LINE, PIXEL_COLUMNS }

    final Kind kind;
    /** The column(s) read: one, or 784 for {@link Kind#PIXEL_COLUMNS}. */
    final int[] columns;
    /** The column naming a row in messages, or -1. */
    final int source;
    private final String sourceName;
    private final String[] columnNames;

    private InputLayout(Kind kind, int[] columns, int source, String sourceName, String[] columnNames) {
        this.kind = kind;
        this.columns = columns;
        this.source = source;
        this.sourceName = sourceName;
        this.columnNames = columnNames;
    }

    /** Finds the input in {@code schema}, or explains in one line why there is none. */
    static InputLayout of(StructType schema, ScoringOptions options) {
        List<String> names = Arrays.asList(schema.fieldNames());
        int source = names.indexOf(options.sourceColumn());
        int col = names.indexOf(options.inputColumn());
        if (col >= 0) {
            DataType type = schema.fields()[col].dataType();
            String[] colName = {options.inputColumn()};
            if (type instanceof BinaryType) {
                return new InputLayout(Kind.IMAGE_BYTES, new int[] {col}, source, options.sourceColumn(), colName);
            }
            if (type instanceof ArrayType a
                    && (a.elementType() instanceof NumericType || a.elementType() instanceof StringType)) {
                return new InputLayout(Kind.PIXEL_ARRAY, new int[] {col}, source, options.sourceColumn(), colName);
            }
            if (type instanceof StringType) {
                return new InputLayout(Kind.CSV_LINE, new int[] {col}, source, options.sourceColumn(), colName);
            }
            throw new IllegalArgumentException("column " + options.inputColumn() + " is " + type.simpleString()
                    + "; expected binary (image bytes), an array of 784 pixel values or a CSV line of them");
        }
        int[] pixels = new int[PIXELS];
        String[] pixelNames = new String[PIXELS];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < PIXELS; i++) {
            pixelNames[i] = "pixel" + i;
            pixels[i] = names.indexOf(pixelNames[i]);
            if (pixels[i] < 0) {
                missing.add(pixelNames[i]);
            }
        }
        if (missing.isEmpty()) {
            return new InputLayout(Kind.PIXEL_COLUMNS, pixels, source, options.sourceColumn(), pixelNames);
        }
        throw new IllegalArgumentException("no image column " + options.inputColumn()
                + " and no Kaggle pixel columns pixel0..pixel783 (" + (missing.size() == PIXELS ? "none"
                        : "missing " + missing.get(0) + " and " + (missing.size() - 1) + " more")
                + ") in the dataset's columns " + abbreviate(names));
    }

    /**
     * The row's 784 network inputs.
     *
     * @param where how to name the row when it has no source column
     * @throws InputException naming the row if its image cannot be read
     */
    float[] read(Row row, DigitImagePreprocessor pre, String where) {
        String name = where;
        if (source >= 0 && !row.isNullAt(source)) {
            // a path names itself; a number is an id, named with its column: "ImageId 7"
            Object id = row.get(source);
            name = id instanceof Number ? sourceName + " " + id : String.valueOf(id);
        }
        switch (kind) {
            case IMAGE_BYTES -> {
                if (row.isNullAt(columns[0])) {
                    throw new InputException(name + ": no image (" + columnNames[0] + " is null)");
                }
                return pre.preprocess((byte[]) row.get(columns[0]), name);
            }
            case PIXEL_ARRAY -> {
                if (row.isNullAt(columns[0])) {
                    throw new InputException(name + ": no pixels (" + columnNames[0] + " is null)");
                }
                List<Object> values = row.getList(columns[0]);
                if (values.size() != PIXELS) {
                    throw new InputException(name + ": " + columnNames[0] + " has " + values.size() + " values, not "
                            + PIXELS + " (28x28)");
                }
                float[] x = new float[PIXELS];
                for (int i = 0; i < PIXELS; i++) {
                    x[i] = pixel(values.get(i), name, columnNames[0] + "[" + i + "]");
                }
                return x;
            }
            case CSV_LINE -> {
                if (row.isNullAt(columns[0])) {
                    throw new InputException(name + ": no pixels (" + columnNames[0] + " is null)");
                }
                String line = row.getString(columns[0]);
                float[] x = new float[PIXELS];
                int from = 0;
                for (int i = 0; i < PIXELS; i++) {
                    int comma = line.indexOf(',', from);
                    if ((comma < 0) != (i == PIXELS - 1)) {
                        long values = line.chars().filter(c -> c == ',').count() + 1;
                        throw new InputException(name + ": the line has " + values + " values, not " + PIXELS
                                + " (28x28)");
                    }
                    String v = line.substring(from, comma < 0 ? line.length() : comma);
                    x[i] = pixel(v, name, "pixel" + i);
                    from = comma + 1;
                }
                return x;
            }
            case PIXEL_COLUMNS -> {
                float[] x = new float[PIXELS];
                for (int i = 0; i < PIXELS; i++) {
                    x[i] = pixel(row.get(columns[i]), name, columnNames[i]);
                }
                return x;
            }
            default -> throw new AssertionError(kind);
        }
    }

    private static float pixel(Object v, String name, String field) {
        double d;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else if (v instanceof String s) {
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new InputException(name + ": " + field + " is " + quote(s) + ", not a number 0..255");
            }
        } else {
            throw new InputException(name + ": " + field + " is " + (v == null ? "missing (null)" : "a "
                    + v.getClass().getSimpleName()) + ", not a number 0..255");
        }
        if (!(d >= 0 && d <= 255)) {
            throw new InputException(name + ": " + field + " is " + fmt(d) + ", outside 0..255");
        }
        // Kaggle's values are integers: an int divided in float, bit for bit as cnn-mnist's submit does.
        return d == Math.rint(d) ? (int) d / 255f : (float) d / 255f;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
    }

    private static String quote(String s) {
        return "\"" + (s.length() > 20 ? s.substring(0, 20) + "..." : s) + "\"";
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 8 ? names.toString() : names.subList(0, 8) + " and " + (names.size() - 8) + " more";
    }
}
