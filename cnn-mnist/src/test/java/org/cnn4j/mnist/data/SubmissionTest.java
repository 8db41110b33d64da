package org.cnn4j.mnist.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmissionTest {
    @TempDir
    Path dir;

    @Test
    void writesImageIdFromOneAndTheLabels() throws IOException {
        Path file = dir.resolve("submission.csv");

        Submission.write(file, new int[] {2, 0, 9});

        assertThat(Files.readString(file)).isEqualTo("ImageId,Label\n1,2\n2,0\n3,9\n");
    }

    @Test
    void replacesAnEarlierSubmission() throws IOException {
        Path file = dir.resolve("submission.csv");
        Submission.write(file, new int[] {1, 1, 1, 1});

        Submission.write(file, new int[] {5});

        assertThat(Files.readString(file)).isEqualTo("ImageId,Label\n1,5\n");
    }

    @Test
    void refusesALabelOutsideZeroToNineAndWritesNothing() {
        Path file = dir.resolve("submission.csv");

        assertThatThrownBy(() -> Submission.write(file, new int[] {3, 10}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prediction 10 for ImageId 2 is not 0..9");
        assertThat(file).doesNotExist();
    }
}
