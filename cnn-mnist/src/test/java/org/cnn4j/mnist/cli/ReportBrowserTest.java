package org.cnn4j.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.cnn4j.mnist.report.ConfusionMatrix;
import org.cnn4j.mnist.report.HtmlReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report page opened in headless chromium without a training run first: what the browser loaded
 * holds only decodable data-URI images. The full report of a real run is checked the same way in
 * {@link KaggleEndToEndTest}; this one is quick enough to run while changing {@link HtmlReport}.
 */
class ReportBrowserTest {
    @Test
    void everyImageTheBrowserSeesIsAnEmbeddedPngThatDecodes(@TempDir Path tmp) throws Exception {
        Chromium chromium = Chromium.findOrSkip();
        BufferedImage img = new BufferedImage(160, 90, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 160; x++) {
            img.setRGB(x, x * 90 / 160, 0xFF4040);
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        Path page = tmp.resolve("report.html");
        new HtmlReport("browser check").keyValues(Map.of("a", "b")).image("a line", png.toByteArray())
                .confusionMatrix(ConfusionMatrix.ofCounts(new int[][] {{5, 1}, {2, 7}}), null).write(page);
        String dom = chromium.dumpDom(page, Files.createDirectories(tmp.resolve("profile")));
        Matcher m = Pattern.compile("<img [^>]*src=\"([^\"]*)\"").matcher(dom);
        int n = 0;
        while (m.find()) {
            assertThat(m.group(1)).startsWith("data:image/png;base64,");
            BufferedImage back = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
                    m.group(1).substring("data:image/png;base64,".length()))));
            assertThat(back).isNotNull();
            assertThat(back.getWidth()).isEqualTo(160);
            n++;
        }
        assertThat(n).isEqualTo(1);
        assertThat(dom).contains("<td>0.8333</td>").contains("<td>0.7778</td>");
    }
}
