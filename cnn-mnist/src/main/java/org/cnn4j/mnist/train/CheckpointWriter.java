package org.cnn4j.mnist.train;

import java.nio.file.Path;
import java.util.Map;
import org.cnn4j.callbacks.ReduceLROnPlateau;
import org.cnn4j.data.Dataset;
import org.cnn4j.model.Callback;
import org.cnn4j.model.History;
import org.cnn4j.model.Sequential;

/**
 * Keeps a run resumable: at every epoch end (after ReduceLROnPlateau, so the next epoch's learning
 * rate is in it) it writes {@link Checkpoint#FILE}, then {@code history.csv} and {@code curves.png},
 * each atomically. A crash at any moment leaves the files of the last finished epoch; a failed write
 * stops training with the previous files intact. A fresh run also checkpoints before its first
 * epoch, so any run folder can be resumed.
 */
public final class CheckpointWriter implements Callback {
    private final Path dir;
    private final Dataset train;
    private final ReduceLROnPlateau plateau;
    private final History history;
    private final Map<String, String> options;
    private final String dataDigest;
    private final boolean saveAtStart;
    private Sequential model;

    /**
     * @param dir the run folder
     * @param train the training set, whose random streams are saved
     * @param plateau the scheduler, whose state is saved; must come before this callback
     * @param prior the epochs done before this invocation (empty for a fresh run)
     * @param options the command's options, by name
     * @param dataDigest {@link Checkpoint#digest} of the training images
     * @param saveAtStart whether to checkpoint before the first epoch (fresh runs)
     */
    public CheckpointWriter(Path dir, Dataset train, ReduceLROnPlateau plateau, History prior, Map<String, String> options,
            String dataDigest, boolean saveAtStart) {
        this.dir = dir;
        this.train = train;
        this.plateau = plateau;
        this.history = Checkpoint.copy(prior);
        this.options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
        this.dataDigest = dataDigest;
        this.saveAtStart = saveAtStart;
    }

    @Override
    public void onTrainBegin(Sequential m, int epochs, int batchesPerEpoch) {
        this.model = m;
        if (saveAtStart) {
            save();
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        history.add(logs);
        save();
        Reports.history(history, dir);
    }

    private void save() {
        Checkpoint.save(dir.resolve(Checkpoint.FILE), model,
                Checkpoint.metadata(model, train, plateau, history, options, dataDigest));
    }

    /** Every epoch so far, the ones before this invocation included. */
    public History history() {
        return history;
    }
}
