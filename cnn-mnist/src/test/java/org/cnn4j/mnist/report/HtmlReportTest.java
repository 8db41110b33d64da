package org.cnn4j.mnist.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page's parts: escaping, embedded images, the no-fetch policy, the matrix, the atomic write. */
class HtmlReportTest {
    @Test
    void textIsEscapedImagesAreEmbeddedAndNothingIsFetched(@TempDir Path dir) throws Exception {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("source", "<script>alert(1)</script> & \"x\"");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        Path missing = dir.resolve("missing.png");
        HtmlReport r = new HtmlReport("run <1>").keyValues(kv).image("tiny", png).imageFile("absent", missing)
                .table(List.of("epoch", "loss"), List.of(List.of("1", "0.5")))
                .confusionMatrix(ConfusionMatrix.ofCounts(new int[][] {{3, 1}, {0, 4}}), null);
        String html = r.html();
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;")
                .contains("<title>run &lt;1&gt;</title>")
                .contains("src=\"data:image/png;base64,iVBORw==\"")
                .contains("absent: not written in this run (missing.png)")
                .contains("content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\"")
                .contains("<td>0.7500</td>").contains("<td>1.0000</td>");
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:|//)");
        Path file = dir.resolve("report.html");
        r.write(file);
        assertThat(Files.readString(file)).isEqualTo(html);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("report.html");
        }
    }
}
