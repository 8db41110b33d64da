package org.cnn4j.layers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Issue 12: GradCheck on a layer nobody built said NullPointerException; it must say what to do. */
class GradCheckUnbuiltTest {

    @Test
    void anUnbuiltLayerGetsAClearMessageNotANullPointerException() {
        Layer[] layers = {new Dense(3), new Conv2D(2, 3, Padding.SAME, Activation.RELU), new MaxPooling2D(2), new Flatten()};
        for (Layer l : layers) {
            Tensor x = Tensor.zeros(2, 1, 4, 4);
            assertThatThrownBy(() -> GradCheck.check(l, x, false, 1e-2, 5, 1))
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage(l.type() + " is not built: call build(inputShape, rng) before GradCheck.check");
        }
    }
}
