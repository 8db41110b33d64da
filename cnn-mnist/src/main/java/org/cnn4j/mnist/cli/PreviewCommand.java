package org.cnn4j.mnist.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cnn4j.init.Rng;
import org.cnn4j.mnist.train.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** 25 random training images with their labels, as a PNG. */
@Command(name = "preview", mixinStandardHelpOptions = true, description = "Draw 25 random labelled images in a 5x5 grid.")
final class PreviewCommand implements Callable<Integer> {
    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--out", defaultValue = "preview.png", paramLabel = "FILE", description = "Where to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "2", description = "Which images (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DebugOption debug = new DebugOption();

    @Override
    public Integer call() {
        org.cnn4j.mnist.data.OutputFiles.checkWritable(out);
        DataOptions.Loaded loaded = data.load(System.out);
        Reports.preview(loaded.train(), out, new Rng(seed));
        System.out.println("Wrote " + out.toAbsolutePath());
        return 0;
    }
}
