package org.cnn4j.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.cnn4j.io.ModelFile;
import org.cnn4j.model.Callback;
import org.cnn4j.model.Sequential;

/**
 * Saves the model at the end of epochs, atomically, as Keras's {@code ModelCheckpoint}. The path may
 * contain {@code {epoch}}, replaced by the 1-based epoch number as Keras's {@code {epoch}} is. With {@code saveBestOnly} it saves only
 * when the monitored metric improves.
 */
public final class ModelCheckpoint implements Callback {
    private final String pathPattern;
    private final String monitor;
    private boolean saveBestOnly;
    private Mode mode = Mode.AUTO;
    private boolean includeOptimizer = true;

    private Sequential model;
    private Mode resolved;
    private double best;

    /**
     * Saves to {@code path} after every epoch, watching {@code monitor} when saving only the best.
     *
     * @param path the model file to write (atomically)
     * @param monitor the metric, such as {@code "val_accuracy"}
     */
    public ModelCheckpoint(Path path, String monitor) {
        this.pathPattern = path.toString();
        this.monitor = monitor;
    }

    /**
     * Saves only when {@code monitor} improves; returns this.
     *
     * @param b true to save only improvements
     * @return this
     */
    public ModelCheckpoint saveBestOnly(boolean b) {
        this.saveBestOnly = b;
        return this;
    }

    /**
     * Sets min or max (default AUTO); returns this.
     *
     * @param m the mode
     * @return this
     */
    public ModelCheckpoint mode(Mode m) {
        this.mode = m;
        return this;
    }

    /**
     * Whether to save the optimizer state too (default true); returns this.
     *
     * @param b true to save the optimizer state
     * @return this
     */
    public ModelCheckpoint includeOptimizer(boolean b) {
        this.includeOptimizer = b;
        return this;
    }

    @Override
    public void onTrainBegin(Sequential model, int epochs, int batchesPerEpoch) {
        this.model = model;
        this.resolved = mode.resolve(monitor);
        this.best = Mode.initialBest(resolved);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (saveBestOnly) {
            Double current = logs.get(monitor);
            if (current == null) {
                throw new IllegalStateException("ModelCheckpoint monitors '" + monitor + "', which is not among " + logs.keySet());
            }
            if (!Mode.improved(resolved, current, best, 0)) {
                return;
            }
            best = current;
        }
        Path p = Path.of(pathPattern.replace("{epoch}", Integer.toString(epoch + 1)));
        try {
            ModelFile.save(model, p, includeOptimizer, Map.of("epoch", Integer.toString(epoch + 1)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not save checkpoint " + p + ": " + e.getMessage(), e);
        }
    }
}
