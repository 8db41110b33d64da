package org.cnn4j.mnist.serve;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.cnn4j.io.ModelFile;
import org.cnn4j.mnist.data.LabeledImages;

/** A server on an ephemeral loopback port for the small trained model, and MNIST digits as image files. */
final class ServeFixture {
    private ServeFixture() {
    }

    /** Starts a server for the model file on 127.0.0.1 and an ephemeral port. */
    static DigitServer start(Path model, int threads, InetSocketAddress[] at) throws IOException {
        ModelFile.Loaded loaded = ModelFile.loadWithMetadata(model);
        DigitServer s = new DigitServer(new Inference(loaded.model()),
                "{\"file\": \"" + model.getFileName() + "\", \"params\": " + loaded.model().paramCount()
                        + ", \"inference\": \"test\", \"training\": " + mapJson(loaded.metadata()) + "}");
        at[0] = s.start("127.0.0.1", 0, threads);
        return s;
    }

    private static String mapJson(Map<String, String> m) {
        StringBuilder b = new StringBuilder("{");
        m.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(Json.quote(k)).append(": ").append(Json.quote(v)));
        return b.append('}').toString();
    }

    /** MNIST image {@code i} as an image file of {@code format} (png, bmp, gif, jpeg), dark ink on white like a scan. */
    static byte[] imageFile(LabeledImages set, int i, String format, int scale) throws IOException {
        BufferedImage img = new BufferedImage(28 * scale, 28 * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 28 * scale; y++) {
            for (int x = 0; x < 28 * scale; x++) {
                int v = 255 - set.pixel(i, (y / scale) * 28 + x / scale);
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IOException("no writer for " + format);
        }
        return out.toByteArray();
    }
}
