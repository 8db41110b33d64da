package org.cnn4j.mnist.accuracy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of the ablation table in {@code docs/accuracy.md}: the seed recipe with one Keras-version
 * detail changed, as extra {@code train} options. {@link #DEFAULT} is the recipe as cnn4j runs it
 * by default (Keras 3 augmentation semantics, Keras 2.0.x RMSprop, whole passes).
 */
public enum Preset {
    /** cnn4j's defaults: bilinear, true centre, epsilon outside the root, one pass per epoch. */
    DEFAULT("the default recipe"),
    /** Keras 2.0.x's warp: nearest-neighbour sampling around size/2 + 0.5 (both, as they came together). */
    KERNEL_AUGMENT("Keras 2.0.x augmentation: --interpolation nearest --center keras2017"),
    /** Only the interpolation of the kernel era, the centre as today. */
    NEAREST("nearest interpolation only: --interpolation nearest"),
    /** RMSprop as Keras 3 / TensorFlow's kernel: epsilon inside the square root. */
    EPS_INSIDE("RMSprop epsilon inside the root: --epsilon-inside-sqrt"),
    /** fit_generator's epochs: train // batch steps from a running iterator. */
    KERAS_STEPS("Keras fit_generator epochs: --steps-per-epoch train//batch (439 at Kaggle scale)"),
    /** ReduceLROnPlateau's Keras 2.0.x patience counting: the first halving one epoch later. */
    LEGACY_PATIENCE("Keras 2.0.x ReduceLROnPlateau counting: --legacy-patience"),
    /** Every Keras 2.0.x detail that differs from the default at once. */
    KERNEL_2017("all Keras 2.0.x details: kernel-augment + keras-steps + legacy-patience");

    private final String description;

    Preset(String description) {
        this.description = description;
    }

    /** The name on the command line, such as {@code kernel-augment}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** What the preset changes. */
    public String description() {
        return description;
    }

    /**
     * The extra {@code train} options.
     *
     * @param trainSize the number of training images after the validation split
     * @param batchSize the batch size
     * @return the options to append to the recipe's
     */
    public List<String> trainOptions(int trainSize, int batchSize) {
        List<String> o = new ArrayList<>();
        if (this == KERNEL_AUGMENT || this == KERNEL_2017) {
            o.addAll(List.of("--interpolation", "nearest", "--center", "keras2017"));
        }
        if (this == NEAREST) {
            o.addAll(List.of("--interpolation", "nearest"));
        }
        if (this == EPS_INSIDE) {
            o.add("--epsilon-inside-sqrt");
        }
        if (this == LEGACY_PATIENCE || this == KERNEL_2017) {
            o.add("--legacy-patience");
        }
        if (this == KERAS_STEPS || this == KERNEL_2017) {
            o.addAll(List.of("--steps-per-epoch", Integer.toString(Math.max(1, trainSize / batchSize))));
        }
        return o;
    }

    /**
     * The preset called {@code id}.
     *
     * @param id a preset id such as {@code eps-inside}
     * @return the preset
     * @throws IllegalArgumentException naming the known presets if there is none of that name
     */
    public static Preset byId(String id) {
        for (Preset p : values()) {
            if (p.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        List<String> ids = new ArrayList<>();
        for (Preset p : values()) {
            ids.add(p.id());
        }
        throw new IllegalArgumentException("unknown preset '" + id + "' (known: " + String.join(", ", ids) + ")");
    }
}
