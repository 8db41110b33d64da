package org.cnn4j.mnist.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.data.IdxDataset;

/**
 * What is known of how a model was trained, from the metadata its model file holds: the data set
 * ({@code train} writes its id) and so the SHA-256 of its training files, which fetch checks; the
 * digest of the training data a checkpoint records. Used by {@code export} and {@code serve}.
 */
final class ModelProvenance {
    private ModelProvenance() {
    }

    /** Key/value pairs, empty when the file says nothing (a model saved by a program of one's own). */
    static Map<String, String> of(Map<String, String> metadata) {
        Map<String, String> out = new LinkedHashMap<>();
        String id = metadata.get("dataset");
        if (id != null) {
            out.put("training_data", id);
            try {
                IdxDataset ds = IdxDataset.byId(id);
                out.put("training_data_name", ds.displayName());
                out.put("training_images_sha256", ds.sha256().get(IdxDataset.TRAIN_IMAGES));
                out.put("training_labels_sha256", ds.sha256().get(IdxDataset.TRAIN_LABELS));
            } catch (InputException e) {
                // a data set this version does not know: keep its id only
            }
        }
        String digest = metadata.get("data_digest");
        if (digest != null) {
            out.put("training_data_digest", digest);
        }
        String epochs = metadata.get("epochs_done");
        if (epochs != null) {
            out.put("epochs", epochs);
        }
        return out;
    }
}
