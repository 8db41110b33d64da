package org.cnn4j.mnist.kaggle;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnn4j.mnist.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What submit --kaggle checks before it spends one of the day's submissions. */
class SubmissionCheckTest {
    @TempDir
    Path dir;

    private Path file(String header, int rows, int badRow, String badLine) throws IOException {
        StringBuilder b = new StringBuilder(header).append('\n');
        for (int i = 1; i <= rows; i++) {
            b.append(i == badRow ? badLine : i + "," + (i % 10)).append('\n');
        }
        Path p = dir.resolve("submission.csv");
        Files.writeString(p, b);
        return p;
    }

    @Test
    void aGoodSubmissionPasses() throws IOException {
        assertThatCode(() -> SubmissionCheck.check(file("ImageId,Label", 28_000, 0, null))).doesNotThrowAnyException();
    }

    @Test
    void eachMistakeIsNamedWithItsLine() throws IOException {
        assertThatThrownBy(() -> SubmissionCheck.check(file("ImageId,label", 28_000, 0, null)))
                .isInstanceOf(InputException.class).hasMessageEndingWith(":1: the header must be ImageId,Label, got 'ImageId,label'");
        assertThatThrownBy(() -> SubmissionCheck.check(file("ImageId,Label", 28_000, 5, "5,10")))
                .hasMessageEndingWith(":6: Label must be a digit 0-9, got '10'");
        assertThatThrownBy(() -> SubmissionCheck.check(file("ImageId,Label", 28_000, 9, "10,3")))
                .hasMessageEndingWith(":10: ImageId must be 9, got '10'");
        assertThatThrownBy(() -> SubmissionCheck.check(file("ImageId,Label", 27_999, 0, null)))
                .hasMessageEndingWith(": 27999 rows, but Kaggle's test.csv has 28000: write it with submit on the full test.csv");
        assertThatThrownBy(() -> SubmissionCheck.check(dir.resolve("none.csv")))
                .hasMessageEndingWith("none.csv: no such submission file");
    }
}
