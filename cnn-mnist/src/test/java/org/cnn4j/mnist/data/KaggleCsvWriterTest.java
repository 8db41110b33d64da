package org.cnn4j.mnist.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KaggleCsvWriterTest {
    @TempDir
    Path dir;

    @Test
    void idxToCsvAndBackGivesTheSameBytes() throws IOException {
        byte[] trainPixels = IdxFixtures.pixels(9, 11);
        byte[] trainLabels = IdxFixtures.labels(9, 2);
        byte[] testPixels = IdxFixtures.pixels(4, 12);
        byte[] testLabels = IdxFixtures.labels(4, 8);
        Path idx = Files.createDirectories(dir.resolve("idx"));
        IdxFixtures.write(idx.resolve(IdxDataset.TRAIN_IMAGES), IdxFixtures.gzip(IdxFixtures.imagesFile(trainPixels)));
        IdxFixtures.write(idx.resolve(IdxDataset.TRAIN_LABELS), IdxFixtures.labelsFile(trainLabels));
        IdxFixtures.write(idx.resolve(IdxDataset.TEST_IMAGES), IdxFixtures.imagesFile(testPixels));
        IdxFixtures.write(idx.resolve(IdxDataset.TEST_LABELS), IdxFixtures.labelsFile(testLabels));
        LabeledImages train = IdxDataset.MNIST.loadTrain(idx);
        LabeledImages test = IdxDataset.MNIST.loadTest(idx);
        Path out = dir.resolve("kaggle/csv"); // created by the export

        List<Path> written = KaggleCsvWriter.export(train, test, out);

        assertThat(written).containsExactly(out.resolve("train.csv"), out.resolve("test.csv"),
                out.resolve("solution.csv"));
        LabeledImages trainBack = KaggleCsv.readTrain(out.resolve("train.csv"));
        LabeledImages testBack = KaggleCsv.readTest(out.resolve("test.csv"));
        assertThat(trainBack.copyPixels()).isEqualTo(trainPixels);
        assertThat(trainBack.copyLabels()).isEqualTo(trainLabels);
        assertThat(testBack.isLabeled()).isFalse();
        assertThat(testBack.copyPixels()).isEqualTo(testPixels);
        assertThat(out.resolve("solution.csv")).hasContent("ImageId,Label\n1,8\n2,9\n3,0\n4,1\n");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).hasSize(3); // no temporary files left
        }
    }

    @Test
    void writesKaggleLayoutExactly() throws IOException {
        byte[] pixels = new byte[784];
        pixels[0] = (byte) 255;
        pixels[783] = 7;
        Path file = dir.resolve("train.csv");

        KaggleCsvWriter.writeTrain(LabeledImages.of(pixels, new byte[] {4}, 28, 28, List.of()), file);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("label,pixel0,pixel1,").endsWith(",pixel782,pixel783");
        assertThat(lines.get(1)).startsWith("4,255,0,0,").endsWith(",0,7").hasSize(2 + 4 + 2 * 782 + 1);
        assertThat(Files.readString(file)).doesNotContain("\r").endsWith("\n");
    }

    @Test
    void writesTestCsvWithoutLabelsAndNoSolutionForUnlabeledTests() throws IOException {
        LabeledImages train = LabeledImages.of(new byte[784], new byte[] {1}, 28, 28, List.of());
        LabeledImages test = LabeledImages.of(new byte[784 * 2], null, 28, 28, List.of());

        List<Path> written = KaggleCsvWriter.export(train, test, dir);

        assertThat(written).containsExactly(dir.resolve("train.csv"), dir.resolve("test.csv"));
        assertThat(Files.readAllLines(dir.resolve("test.csv")).get(0)).startsWith("pixel0,pixel1,");
        assertThat(KaggleCsv.readTest(dir.resolve("test.csv")).size()).isEqualTo(2);
    }

    @Test
    void refusesToWriteATrainFileWithoutLabels() {
        LabeledImages unlabeled = LabeledImages.of(new byte[784], null, 28, 28, List.of());

        assertThatThrownBy(() -> KaggleCsvWriter.writeTrain(unlabeled, dir.resolve("train.csv")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("train.csv")).doesNotExist();
    }
}
