package org.cnn4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.cnn4j.io.ModelFile;
import org.cnn4j.layers.Dense;
import org.cnn4j.loss.CategoricalCrossentropy;
import org.cnn4j.model.Sequential;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The example file of {@code docs/model-format.md}: the hex dump is read from the page itself, so
 * the page and {@link ModelFile} cannot drift apart.
 */
class ModelFormatExampleTest {
    static final String MARKER = "<!-- model-format-example:";

    static Sequential exampleModel() {
        Sequential m = new Sequential(2).seed(7).add(new Dense(1));
        m.compile(null, new CategoricalCrossentropy());
        m.setWeights(List.of(org.cnn4j.tensor.Tensor.wrap(new float[] {0.5f, -2f}, 2, 1),
                org.cnn4j.tensor.Tensor.wrap(new float[] {0.25f}, 1)));
        return m;
    }

    /** The bytes of the first code block after the marker line, in {@code offset  hex hex ...} lines. */
    static byte[] dumpFromPage() throws Exception {
        Path page = null;
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); page == null && p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs/model-format.md"))) {
                page = p.resolve("docs/model-format.md");
            }
        }
        assertThat(page).as("docs/model-format.md above %s", System.getProperty("user.dir")).isNotNull();
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        int i = 0;
        while (!lines.get(i).startsWith(MARKER)) {
            i++;
        }
        while (!lines.get(i).startsWith("```")) {
            i++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (i++; !lines.get(i).startsWith("```"); i++) {
            String[] parts = lines.get(i).trim().split("\\s+");
            assertThat(Integer.parseInt(parts[0], 16)).as("offset of line %s", lines.get(i)).isEqualTo(out.size());
            for (int j = 1; j < parts.length; j++) {
                out.write(Integer.parseInt(parts[j], 16));
            }
        }
        return out.toByteArray();
    }

    @Test
    void theExampleOfThePageIsWhatModelFileWrites() throws Exception {
        byte[] page = dumpFromPage();
        byte[] written = ModelFile.toBytes(exampleModel(), false, Map.of());
        assertThat(page).hasSize(173);
        assertThat(written).containsExactly(page);
    }

    @Test
    void theHeaderFieldsAndChecksumAreAsDescribed() throws Exception {
        byte[] b = dumpFromPage();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b); // big-endian
        assertThat(new String(b, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("CNN4JMDL");
        assertThat(buf.getInt(8)).isEqualTo(2);
        assertThat(buf.getInt(12)).isZero();
        assertThat(buf.getLong(16)).isEqualTo(b.length - 28L).isEqualTo(145L);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        assertThat(buf.getInt(b.length - 4)).isEqualTo((int) crc.getValue());
        assertThat(buf.getFloat(0x6d)).isEqualTo(0.5f);
        assertThat(buf.getFloat(0x71)).isEqualTo(-2f);
        assertThat(buf.getFloat(0x83)).isEqualTo(0.25f);
    }

    @Test
    void thePagesBytesLoadBackIntoTheSameModel() throws Exception {
        Sequential loaded = ModelFile.fromBytes(dumpFromPage(), "example").model();
        Tensor x = Tensor.wrap(new float[] {1f, 1f}, 1, 2);
        // 1*0.5 + 1*(-2) + 0.25
        assertThat(loaded.predict(x).data()).containsExactly(-1.25f);
        assertThat(loaded.seedValue()).isEqualTo(7);
        assertThat(loaded.loss()).isInstanceOf(CategoricalCrossentropy.class);
        assertThat(loaded.optimizer()).isNull();
    }
}
