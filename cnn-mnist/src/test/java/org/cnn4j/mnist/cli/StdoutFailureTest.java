package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command whose results go to standard output must not exit 0 when they could not be written
 * there ({@code predict --json *.png > preds.jsonl} on a full disk): PrintStream swallows the
 * IOException, so the output was lost and the status said success.
 */
class StdoutFailureTest {
    @Test
    void lostStandardOutputIsAnErrorNotASuccess(@TempDir Path tmp) throws Exception {
        Path model = Hostile.model(tmp.resolve("model.cnn4j"));
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 6; y < 22; y++) {
            img.getRaster().setSample(14, y, 0, 255);
        }
        Path png = tmp.resolve("one.png");
        ImageIO.write(img, "png", png.toFile());

        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(new OutputStream() { // a disk that is full, like /dev/full
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("No space left on device");
                }
            }, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = Main.run("predict", "--json", "--model", model.toString(), png.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String e = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(status).as(e).isEqualTo(Main.USER_ERROR);
        assertThat(e).isEqualTo("cnn-mnist: error: cannot write to standard output (a full disk, or a closed pipe): "
                + "the output is incomplete");
    }
}
