package org.cnn4j.mnist.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.cnn4j.callbacks.ReduceLROnPlateau;
import org.cnn4j.data.Dataset;
import org.cnn4j.init.Rng;
import org.cnn4j.io.ModelFile;
import org.cnn4j.io.ModelFormatException;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.data.LabeledImages;
import org.cnn4j.mnist.data.OutputFiles;
import org.cnn4j.model.History;
import org.cnn4j.model.Sequential;

/**
 * A training run's state at an epoch boundary, kept in {@value #FILE} in the run folder: a model
 * file (weights and optimizer state: the accumulators, step count and learning rate) whose
 * metadata holds everything else that decides what comes next: the epochs done, every random
 * stream (the model's shuffle and dropout streams, the training set's augmentation stream), the
 * ReduceLROnPlateau state (best, wait, cooldown), the history so far, the command's options and a
 * digest of the training data. Resuming from it gives the same weights and history, bit for bit, as
 * a run that was never stopped.
 *
 * <p>Numbers are stored as Java's shortest round-trip decimal strings, so doubles come back exact
 * (NaN included); stream states are plain longs.
 */
public final class Checkpoint {
    /** The file name in the run folder. */
    public static final String FILE = "checkpoint.cnn4j";
    /** The metadata key that marks a checkpoint, with the version of this layout. */
    static final String VERSION_KEY = "checkpoint";
    static final String VERSION = "1";
    private static final String EPOCHS_DONE = "epochs_done";
    private static final String MODEL_STREAMS = "rng.model";
    private static final String DATA_STREAMS = "rng.train";
    private static final String PLATEAU = "reduce_lr_on_plateau";
    private static final String HISTORY_NAMES = "history.metrics";
    private static final String HISTORY_EPOCH = "history.";
    private static final String OPTION = "option.";
    private static final String DATA_DIGEST = "data_digest";

    /**
     * A loaded checkpoint.
     *
     * @param model the model with its weights and optimizer state (streams not yet restored: see {@link #restore})
     * @param epochsDone epochs completed
     * @param modelStreams states of {@link Sequential#randomStreams()}, in order
     * @param dataStreams states of the training set's {@link Dataset#randomStreams()}, in order
     * @param plateauState {@link ReduceLROnPlateau#state()}
     * @param history the metrics of the epochs done
     * @param options the command's options, by name ({@code --seed} and so on)
     * @param dataDigest {@link #digest(LabeledImages)} of the labelled images the run trained on
     */
    public record Saved(Sequential model, int epochsDone, long[] modelStreams, long[] dataStreams, double[] plateauState,
            History history, Map<String, String> options, String dataDigest) {

        /** Puts the random streams and the scheduler state back, after the model and data set are built. */
        public void restore(Sequential m, Dataset train, ReduceLROnPlateau plateau) {
            setStates(m.randomStreams(), modelStreams, "model");
            setStates(train.randomStreams(), dataStreams, "training data");
            // the next epoch's learning rate is the optimizer's own, saved with its state (checkpoints
            // of version 1 also wrote it as metadata "lr"; that copy is no longer written or read)
            plateau.restore(plateauState);
        }

        private static void setStates(List<Rng> streams, long[] states, String what) {
            if (streams.size() != states.length) {
                throw new InputException("the checkpoint holds " + states.length + " random streams for the " + what
                        + ", which has " + streams.size());
            }
            for (int i = 0; i < states.length; i++) {
                streams.get(i).setState(states[i]);
            }
        }
    }

    private Checkpoint() {
    }

    /** The metadata of a checkpoint taken now; the epochs done are the history's length. */
    public static Map<String, String> metadata(Sequential model, Dataset train, ReduceLROnPlateau plateau, History history,
            Map<String, String> options, String dataDigest) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(VERSION_KEY, VERSION);
        m.put(EPOCHS_DONE, Integer.toString(history.epochs()));
        m.put(MODEL_STREAMS, states(model.randomStreams()));
        m.put(DATA_STREAMS, states(train.randomStreams()));
        m.put(PLATEAU, doubles(plateau.state()));
        m.put(DATA_DIGEST, dataDigest);
        options.forEach((k, v) -> m.put(OPTION + k, v));
        List<String> names = history.names();
        m.put(HISTORY_NAMES, String.join(",", names));
        for (int e = 0; e < history.epochs(); e++) {
            double[] row = new double[names.size()];
            for (int j = 0; j < row.length; j++) {
                List<Double> v = history.get(names.get(j));
                row[j] = e < v.size() ? v.get(e) : Double.NaN;
            }
            m.put(HISTORY_EPOCH + e, doubles(row));
        }
        return m;
    }

    /** Writes a checkpoint atomically (temporary file, fsync, rename): a crash leaves the previous one. */
    public static void save(Path file, Sequential model, Map<String, String> metadata) {
        try {
            ModelFile.save(model, file, true, metadata);
        } catch (IOException e) {
            throw OutputFiles.cannotWrite(file, e, "the previous checkpoint is unchanged");
        }
    }

    /** Reads {@code dir}/{@value #FILE}; every problem is an {@link InputException} naming it. */
    public static Saved load(Path dir) {
        Path file = dir.resolve(FILE);
        ModelFile.Loaded loaded;
        try {
            loaded = ModelFile.loadWithMetadata(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no checkpoint to resume from (is " + dir + " the --out folder of a train run?)");
        } catch (AccessDeniedException e) {
            throw new InputException(file + ": permission denied");
        } catch (ModelFormatException e) {
            throw new InputException(e.getMessage(), e);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read the checkpoint (" + describe(e) + ")", e);
        }
        Map<String, String> m = loaded.metadata();
        if (!VERSION.equals(m.get(VERSION_KEY))) {
            throw new InputException(file + ": a model file without training state, not a checkpoint written by train");
        }
        if (loaded.model().optimizer() == null) {
            throw new InputException(file + ": the checkpoint lacks the optimizer state");
        }
        try {
            int done = Integer.parseInt(need(m, file, EPOCHS_DONE));
            List<String> names = split(need(m, file, HISTORY_NAMES));
            History h = new History();
            for (int e = 0; e < done; e++) {
                double[] row = parseDoubles(need(m, file, HISTORY_EPOCH + e));
                if (row.length != names.size()) {
                    throw new NumberFormatException("epoch " + e + " has " + row.length + " metrics");
                }
                Map<String, Double> logs = new LinkedHashMap<>();
                for (int j = 0; j < row.length; j++) {
                    logs.put(names.get(j), row[j]);
                }
                h.add(logs);
            }
            Map<String, String> options = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (k.startsWith(OPTION)) {
                    options.put(k.substring(OPTION.length()), v);
                }
            });
            double[] plateauState = parseDoubles(need(m, file, PLATEAU));
            if (plateauState.length != 3) { // best, wait, cooldown: ReduceLROnPlateau#state
                throw new InputException(file + ": malformed checkpoint metadata ('" + PLATEAU + "' has "
                        + plateauState.length + " values, not 3)");
            }
            return new Saved(loaded.model(), done, parseLongs(need(m, file, MODEL_STREAMS)),
                    parseLongs(need(m, file, DATA_STREAMS)), plateauState, h, options, need(m, file, DATA_DIGEST));
        } catch (NumberFormatException e) {
            throw new InputException(file + ": malformed checkpoint metadata (" + e.getMessage() + ")", e);
        }
    }

    /** A digest of labelled images (CRC-32C of pixels and labels, and the count), to check that a resumed run trains on the same data. */
    public static String digest(LabeledImages images) {
        CRC32C crc = new CRC32C();
        crc.update(images.pixels());
        crc.update(images.labels());
        crc.update(ByteBuffer.allocate(12).putInt(images.size()).putInt(images.rows()).putInt(images.cols()).flip());
        return String.format("%d images, crc32c %08x", images.size(), crc.getValue());
    }

    private static String need(Map<String, String> m, Path file, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new InputException(file + ": malformed checkpoint metadata (no '" + key + "')");
        }
        return v;
    }

    private static String states(List<Rng> streams) {
        StringBuilder b = new StringBuilder();
        for (Rng r : streams) {
            b.append(b.isEmpty() ? "" : ",").append(r.state());
        }
        return b.toString();
    }

    private static String doubles(double[] a) {
        StringBuilder b = new StringBuilder();
        for (double v : a) {
            b.append(b.isEmpty() ? "" : ",").append(v);
        }
        return b.toString();
    }

    private static List<String> split(String s) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split(",", -1));
    }

    private static long[] parseLongs(String s) {
        List<String> parts = split(s);
        long[] a = new long[parts.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = Long.parseLong(parts.get(i));
        }
        return a;
    }

    private static double[] parseDoubles(String s) {
        List<String> parts = split(s);
        double[] a = new double[parts.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = Double.parseDouble(parts.get(i));
        }
        return a;
    }

    static String describe(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        String msg = e.getMessage();
        return msg == null ? kind : kind + ": " + msg.replace('\n', ' ');
    }

    /** A copy of a history (so the caller's can grow without touching the original). */
    static History copy(History h) {
        History c = new History();
        List<String> names = h.names();
        for (int e = 0; e < h.epochs(); e++) {
            Map<String, Double> logs = new LinkedHashMap<>();
            for (String n : names) {
                List<Double> v = h.get(n);
                if (e < v.size()) {
                    logs.put(n, v.get(e));
                }
            }
            c.add(logs);
        }
        return c;
    }
}
