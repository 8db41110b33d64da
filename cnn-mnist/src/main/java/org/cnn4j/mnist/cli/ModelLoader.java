package org.cnn4j.mnist.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.cnn4j.io.ModelFile;
import org.cnn4j.io.ModelFormatException;
import org.cnn4j.mnist.InputException;
import org.cnn4j.model.Sequential;

/**
 * Loads a model file for the commands (and cnn-spark's {@code score}), turning every way it can be
 * wrong into one clear line.
 */
public final class ModelLoader {
    private ModelLoader() {
    }

    /**
     * Refuses a set of zero images (a CSV with only its header): predicting or scoring nothing
     * would end in an empty submission or a meaningless accuracy.
     */
    static void requireImages(org.cnn4j.mnist.data.LabeledImages images, Path file) {
        if (images.size() == 0) {
            throw new InputException(file + ": no images (only a header)");
        }
    }

    /** Whether {@code out} is this process's standard output, where a "Wrote" line would mix with the data. */
    static boolean isStdout(Path out) {
        String s = out.toString();
        return s.equals("/dev/stdout") || s.equals("/dev/fd/1") || s.equals("/proc/self/fd/1");
    }

    /** A model that takes 1x28x28 images and outputs 10 class probabilities. */
    static Sequential loadDigitModel(Path file) {
        return loadDigit(file).model();
    }

    /** {@link #loadDigitModel} with the metadata stored beside the model (the data set it was trained on). */
    static ModelFile.Loaded loadDigit(Path file) {
        ModelFile.Loaded loaded = load(file);
        Sequential m = loaded.model();
        if (!Arrays.equals(m.inputShape(), new int[] {1, 28, 28}) || !Arrays.equals(m.outputShape(), new int[] {10})) {
            throw new InputException(file + ": a model for inputs " + Arrays.toString(m.inputShape()) + " and outputs "
                    + Arrays.toString(m.outputShape()) + ", not for 28x28 digits in 10 classes");
        }
        return loaded;
    }

    /**
     * Any model file with its metadata.
     *
     * @param file the model file
     * @return the model and the metadata stored beside it
     * @throws InputException naming the file when it is missing, unreadable or not a valid model file
     */
    public static ModelFile.Loaded load(Path file) {
        try {
            return ModelFile.loadWithMetadata(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such model file");
        } catch (AccessDeniedException e) {
            throw new InputException(file + ": permission denied");
        } catch (ModelFormatException e) {
            throw new InputException(e.getMessage());
        } catch (IOException e) {
            throw new InputException(file + ": cannot read the model (" + org.cnn4j.mnist.data.OutputFiles.reason(e) + ")", e);
        }
    }
}
