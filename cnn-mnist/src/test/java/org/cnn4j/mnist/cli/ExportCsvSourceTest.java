package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cnn4j.mnist.kaggle.CompetitionFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export-csv writes Kaggle CSVs from IDX data; a CSV source is refused up front, --kaggle as well as
 * --train-csv. With --kaggle it read the cached train.csv and then failed with "null: no t10k-images..."
 * (or, without a cache, told the user to run fetch --kaggle, which would not have helped).
 */
class ExportCsvSourceTest {
    @Test
    void kaggleIsRefusedAsACsvSource(@TempDir Path tmp) throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("kaggle").resolve(CompetitionFiles.DIGIT_RECOGNIZER));
        Files.writeString(cache.resolve("train.csv"), "label," + Hostile.testHeader() + "\n");
        System.setProperty(CompetitionFiles.CACHE_PROPERTY, tmp.resolve("kaggle").toString());
        try {
            CliTest.Result r = CliTest.cli("export-csv", "--kaggle", "--out", tmp.resolve("out").toString());
            assertThat(r.status()).as(r.err()).isEqualTo(Main.USER_ERROR);
            assertThat(r.err().strip()).isEqualTo("cnn-mnist: error: --kaggle: export-csv reads IDX data "
                    + "(--data DIR or the fetched set)");
            assertThat(tmp.resolve("out")).doesNotExist();
        } finally {
            System.clearProperty(CompetitionFiles.CACHE_PROPERTY);
        }
    }
}
