package org.cnn4j.mnist.cli;

import java.util.concurrent.Callable;
import org.cnn4j.mnist.data.Dataset;
import org.cnn4j.mnist.data.FetchResult;
import org.cnn4j.mnist.data.MnistFetcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Fetches, verifies and caches the four IDX files, and says which source served each. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = "Download and verify MNIST (or Fashion-MNIST) into the cache ($CNN4J_DATA or ~/.cache/cnn4j).")
final class FetchCommand implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist or fashion (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--debug", description = "Print stack traces.")
    boolean debug;

    @Override
    public Integer call() {
        Dataset ds = Dataset.byId(dataset);
        FetchResult r = new MnistFetcher(System.out::println).fetch(ds, ds.defaultCacheDir(), ds.defaultSources());
        r.sources().forEach((file, source) -> System.out.printf("%-26s %s%n", file, source));
        System.out.println(ds.displayName() + " is in " + r.directory().toAbsolutePath());
        return 0;
    }
}
