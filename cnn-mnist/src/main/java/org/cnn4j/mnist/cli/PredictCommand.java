package org.cnn4j.mnist.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.image.DigitImagePreprocessor;
import org.cnn4j.mnist.serve.Json;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Reads digit pictures of any size and polarity and prints what the model sees in them. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict the digit in PNG, JPEG, BMP or GIF images (MNIST-style preprocessing).")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.cnn4j written by train.")
    Path model;

    @Option(names = "--json", description = "One JSON object per image instead of text.")
    boolean json;

    @Option(names = "--show", description = "Also write the 28x28 input the network saw, as <image>.28x28.png in the current folder (a repeated name gets <image>.2.28x28.png).")
    boolean show;

    @Mixin
    DebugOption debug = new DebugOption();

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images;

    @Override
    public Integer call() {
        Sequential m = ModelLoader.loadDigitModel(model);
        DigitImagePreprocessor pre = new DigitImagePreprocessor();
        // preprocess every image first: a bad file stops the command before anything is printed
        List<float[]> inputs = new ArrayList<>();
        for (Path p : images) {
            inputs.add(pre.preprocess(p));
        }
        List<Path> previews = show ? previewNames(images) : null;
        if (show) {
            refuseOverwritingAnInput(previews);
        }
        // the shapes come from the model (ModelLoader has checked it takes what the preprocessor makes)
        int[] in = m.inputShape();
        int size = in[0] * in[1] * in[2], k = m.outputShape()[0];
        Tensor x = Tensor.zeros(inputs.size(), in[0], in[1], in[2]);
        for (int i = 0; i < inputs.size(); i++) {
            System.arraycopy(inputs.get(i), 0, x.data(), i * size, size);
        }
        float[] probs = m.predict(x).data();
        for (int i = 0; i < inputs.size(); i++) {
            int[] top = top3(probs, i * k, k);
            Path file = images.get(i);
            if (show) {
                DigitImagePreprocessor.writePng(inputs.get(i), previews.get(i), 4);
            }
            if (json) {
                StringBuilder b = new StringBuilder();
                b.append("{\"file\": ").append(Json.quote(file.toString())).append(", \"digit\": ").append(top[0])
                        .append(", \"probability\": ").append(fmt(probs[i * k + top[0]])).append(", \"top3\": [");
                for (int j = 0; j < 3; j++) {
                    b.append(j == 0 ? "" : ", ").append("{\"digit\": ").append(top[j]).append(", \"probability\": ")
                            .append(fmt(probs[i * k + top[j]])).append('}');
                }
                System.out.println(b.append("]}"));
            } else {
                System.out.printf(Locale.ROOT, "%s: %d (p=%.4f)  top 3: %d %.4f, %d %.4f, %d %.4f%n", file, top[0],
                        probs[i * k + top[0]], top[0], probs[i * k + top[0]], top[1], probs[i * k + top[1]], top[2],
                        probs[i * k + top[2]]);
            }
        }
        return 0;
    }

    /**
     * Where {@code --show} writes each input's 28x28 picture: {@code <name>.28x28.png} in the
     * current folder, and for inputs that share a file name (a/7.png, b/7.png), or repeat one,
     * {@code <name>.2.28x28.png} and so on, so that no preview overwrites another.
     */
    static List<Path> previewNames(List<Path> images) {
        java.util.Set<String> used = new java.util.HashSet<>();
        List<Path> names = new ArrayList<>();
        for (Path p : images) {
            String base = String.valueOf(p.getFileName());
            String name = base + ".28x28.png";
            for (int k = 2; !used.add(name); k++) {
                name = base + "." + k + ".28x28.png";
            }
            names.add(Path.of(name));
        }
        return names;
    }

    /**
     * Refuses {@code --show} when a preview's name is one of the inputs (the model or an image,
     * through a link too): {@code predict --show x.png x.png.28x28.png} would replace the second
     * input with the preview of the first.
     */
    private void refuseOverwritingAnInput(List<Path> previews) {
        List<Path> inputs = new ArrayList<>(images);
        inputs.add(model);
        for (int i = 0; i < previews.size(); i++) {
            for (Path in : inputs) {
                if (sameFile(previews.get(i), in)) {
                    throw new InputException(in + ": --show would write the 28x28 preview of " + images.get(i)
                            + " over this input (previews go to <image>.28x28.png in the current folder); "
                            + "run from another folder or rename it");
                }
            }
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    private static String fmt(float p) {
        return String.format(Locale.ROOT, "%.6f", p);
    }

    /** The three most probable of the {@code classes} classes at {@code p[off..]} (fewer classes: -1 fills). */
    static int[] top3(float[] p, int off, int classes) {
        int[] top = {-1, -1, -1};
        for (int k = 0; k < Math.min(3, classes); k++) {
            for (int c = 0; c < classes; c++) {
                if (c == top[0] || c == top[1]) {
                    continue;
                }
                if (top[k] < 0 || p[off + c] > p[off + top[k]]) {
                    top[k] = c;
                }
            }
        }
        return top;
    }
}
