package org.cnn4j.layers;

import java.util.Map;

/** A layer with regularized parameters ({@link Dense} and {@link Conv2D} with a kernel regularizer). */
public interface Regularized {
    /**
     * The regularizer of each parameter that has one; empty when none is set. Valid after build.
     *
     * @return the parameters and their regularizers
     */
    Map<Param, Regularizer> regularizers();
}
