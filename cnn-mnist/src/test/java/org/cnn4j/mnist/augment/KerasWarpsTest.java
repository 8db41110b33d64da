package org.cnn4j.mnist.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * cnn4j's {@link Augmenter} against SciPy itself: the committed {@code keras-warps.txt} holds
 * {@code scipy.ndimage.affine_transform} outputs of Keras's {@code ImageDataGenerator} warp (made by
 * {@code src/test/python/keras_warps.py}, see its header for the versions) on MNIST digits and
 * synthetic edge cases, for orders 0 and 1 and the Keras 2.0.x, corrected-centre and Keras 3
 * conventions. No Python is needed to run it; the tolerance is explained in {@link KerasWarps}.
 */
class KerasWarpsTest {

    @TestFactory
    List<DynamicTest> everyReferenceWarp() throws IOException {
        KerasWarps w = KerasWarps.committed();
        return w.cases.stream().map(c -> DynamicTest.dynamicTest(c.label(), () -> w.compare(c))).toList();
    }

    @Test
    void theReferenceCoversBothOrdersEveryConventionAndRealDigits() throws IOException {
        KerasWarps w = KerasWarps.committed();
        assertThat(w.header).contains("scipy ");
        assertThat(w.cases).extracting(KerasWarps.Case::order).contains(0, 1);
        assertThat(w.cases).extracting(KerasWarps.Case::convention).contains("keras2017", "correct", "keras3");
        assertThat(w.cases).extracting(KerasWarps.Case::image).anyMatch(s -> s.startsWith("mnist-"));
        // the tie case is really there: every sample point of "shift-half" is a half-pixel tie
        assertThat(w.cases).filteredOn(c -> c.name().equals("shift-half") && c.order() == 0)
                .allSatisfy(c -> assertThat(w.compare(c).ties()).isEqualTo(c.expected().length));
        System.out.print("KerasWarpsTest (" + w.header.lines().skip(1).findFirst().orElse("") + ")\n"
                + KerasWarps.summary(w));
    }

    /**
     * The comparison can fail: the centre conventions and interpolations are told apart by the
     * reference (a pixel off, or nearest instead of bilinear, would not pass).
     */
    @Test
    void aWrongConventionIsCaught() throws IOException {
        KerasWarps w = KerasWarps.committed();
        KerasWarps.Case c = w.cases.stream()
                .filter(k -> k.name().equals("typical") && k.image().equals("mnist-train-0") && k.order() == 1
                        && k.convention().equals("keras2017"))
                .findFirst().orElseThrow();
        KerasWarps.Case wrongCentre = new KerasWarps.Case(c.name(), c.image(), 1, "correct", c.theta(), c.tx(),
                c.ty(), c.zx(), c.zy(), c.expected());
        KerasWarps.Case wrongOrder = new KerasWarps.Case(c.name(), c.image(), 0, "keras2017", c.theta(), c.tx(),
                c.ty(), c.zx(), c.zy(), c.expected());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.compare(wrongCentre)).isInstanceOf(AssertionError.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.compare(wrongOrder)).isInstanceOf(AssertionError.class);
    }

    /**
     * Optional: when {@code python3} with SciPy is installed, regenerates the references from the
     * committed images with the local SciPy and holds cnn4j to those too (another SciPy version,
     * same semantics). Skipped otherwise.
     */
    @Test
    void regeneratedWithTheLocalScipy(@TempDir Path tmp) throws Exception {
        Path script = Path.of("src/test/python/keras_warps.py");
        Assumptions.assumeTrue(Files.isRegularFile(script), "run from the cnn-mnist module folder");
        String python = System.getenv().getOrDefault("CNN4J_PYTHON", "python3");
        Assumptions.assumeTrue(run(tmp, python, "-c", "import scipy.ndimage, numpy") == 0,
                python + " with scipy is not installed");
        Path images = tmp.resolve("committed.txt");
        try (var in = KerasWarps.class.getResourceAsStream("keras-warps.txt")) {
            Files.copy(in, images);
        }
        Path out = tmp.resolve("regenerated.txt");
        assertThat(run(tmp, python, script.toAbsolutePath().toString(), out.toString(), "--images-from",
                images.toString())).isZero();
        KerasWarps fresh = KerasWarps.read(out);
        assertThat(fresh.cases).hasSameSizeAs(KerasWarps.committed().cases);
        for (KerasWarps.Case c : fresh.cases) {
            fresh.compare(c);
        }
        System.out.print("KerasWarpsTest regenerated (" + fresh.header.lines().skip(1).findFirst().orElse("")
                + ")\n" + KerasWarps.summary(fresh));
    }

    private static int run(Path dir, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("python.log").toFile()).start();
        } catch (IOException e) {
            return -1; // no such program
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
