package org.cnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.IntFunction;
import org.cnn4j.init.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Strides at least as large as the input, up to {@link Integer#MAX_VALUE} (a model file may hold
 * any int): each side has one output (Keras: {@code ceil(in / stride)} for 'same',
 * {@code (in - k) / stride + 1} for 'valid'), the window at the origin, so every such stride gives
 * the output of a stride equal to the input's size. Sums like {@code in + stride - 1} overflow there.
 */
class HugeStridesTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"Conv2D, valid", "Conv2D, same", "MaxPooling2D, valid", "MaxPooling2D, same",
        "AveragePooling2D, valid", "AveragePooling2D, same"})
    void aStrideLargerThanTheInputGivesTheOriginWindowOnly(String type, String padding) {
        Padding p = Padding.parse(padding);
        IntFunction<Layer> make = switch (type) {
            case "Conv2D" -> s -> new Conv2D(2, 3).strides(s).padding(p);
            case "MaxPooling2D" -> s -> new MaxPooling2D(3, 3, s, s, p);
            default -> s -> new AveragePooling2D(3, 3, s, s, p);
        };
        int[] in = {2, 4, 5};
        Tensor x = GradCheckTest.random(7, 2, 2, 4, 5);
        Layer ref = make.apply(5);
        ref.build(in, new Rng(1));
        float[] expected = ref.forward(x, false).data().clone();
        for (int s : new int[] {6, 1 << 30, Integer.MAX_VALUE - 1, Integer.MAX_VALUE}) {
            Layer l = make.apply(s);
            assertThat(l.outputShapeFor(in)).as("stride %d", s).isEqualTo(ref.outputShapeFor(in));
            l.build(in, new Rng(1));
            assertThat(l.forward(x, false).data()).as("stride %d", s).isEqualTo(expected);
        }
    }
}
