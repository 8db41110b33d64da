package org.cnn4j.mnist.cli;

import java.util.concurrent.Callable;
import org.cnn4j.mnist.data.FetchResult;
import org.cnn4j.mnist.data.IdxDataset;
import org.cnn4j.mnist.data.MnistFetcher;
import org.cnn4j.mnist.kaggle.CompetitionFiles;
import org.cnn4j.mnist.kaggle.KaggleSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Fetches, verifies and caches the four IDX files, and says which source served each. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = "Download and verify MNIST (or Fashion-MNIST) into the cache ($CNN4J_DATA or ~/.cache/cnn4j).")
final class FetchCommand implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist or fashion (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Mixin
    DebugOption debug = new DebugOption();

    @Option(names = "--kaggle", description = "Download the competition's files (train.csv, test.csv, sample_submission.csv) "
            + "from Kaggle with your kaggle.json, into $CNN4J_KAGGLE_DATA or ~/.cache/cnn4j/kaggle.")
    boolean kaggle;

    @Option(names = "--competition", defaultValue = CompetitionFiles.DIGIT_RECOGNIZER, paramLabel = "NAME",
            description = "With --kaggle: the competition, as in its URL (default: ${DEFAULT-VALUE}).")
    String competition;

    @Override
    public Integer call() {
        if (kaggle) {
            CompetitionFiles.checkName(competition); // before the credentials are read: the name is the first mistake
            var dir = CompetitionFiles.fetch(KaggleSession.open(System.err::println), competition, System.out::println);
            System.out.println("Kaggle's " + competition + " files are in " + dir.toAbsolutePath()
                    + (competition.equals(CompetitionFiles.DIGIT_RECOGNIZER) ? " (train --kaggle and submit use them)" : ""));
            return 0;
        }
        IdxDataset ds = IdxDataset.byId(dataset);
        FetchResult r = new MnistFetcher(System.out::println).fetch(ds, ds.defaultCacheDir(), ds.defaultSources());
        r.sources().forEach((file, source) -> System.out.printf("%-26s %s%n", file, source));
        System.out.println(ds.displayName() + " is in " + r.directory().toAbsolutePath());
        return 0;
    }
}
