package org.cnn4j.mnist.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.data.KaggleCsvWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes Kaggle-format train.csv and test.csv from IDX files. */
@Command(name = "export-csv", mixinStandardHelpOptions = true, description = "Write Kaggle-format train.csv and test.csv from IDX data.")
final class ExportCsvCommand implements Callable<Integer> {
    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--out", defaultValue = ".", paramLabel = "DIR", description = "Folder to write into (default: the current one).")
    Path out;

    @Mixin
    DebugOption debug = new DebugOption();

    @Override
    public Integer call() {
        if (data.trainCsv != null || data.kaggle) {
            throw new InputException((data.kaggle ? "--kaggle" : "--train-csv")
                    + ": export-csv reads IDX data (--data DIR or the fetched set)");
        }
        if (java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out)) {
            throw new InputException(out + ": --out names a file, not a folder");
        }
        DataOptions.Loaded loaded = data.load(System.out);
        if (loaded.test() == null) {
            throw new InputException(data.dataDir + ": no t10k-images/t10k-labels files to write test.csv from");
        }
        for (Path p : KaggleCsvWriter.export(loaded.train(), loaded.test(), out)) {
            System.out.println("Wrote " + p);
        }
        return 0;
    }
}
