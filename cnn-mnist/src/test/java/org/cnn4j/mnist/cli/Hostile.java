package org.cnn4j.mnist.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.cnn4j.io.ModelFile;
import org.cnn4j.model.ModelZoo;
import org.cnn4j.model.Sequential;

/** Small inputs, good and hostile, for the reliability tests of the CLI (no MNIST download needed). */
final class Hostile {
    private Hostile() {
    }

    static String testHeader() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 784; i++) {
            b.append(i == 0 ? "" : ",").append("pixel").append(i);
        }
        return b.toString();
    }

    /** A Kaggle train.csv of {@code n} rows of random pixels, labels cycling 0..9. */
    static Path trainCsv(Path file, int n) throws IOException {
        Random r = new Random(n);
        StringBuilder b = new StringBuilder("label," + testHeader() + "\n");
        for (int i = 0; i < n; i++) {
            b.append(i % 10);
            for (int p = 0; p < 784; p++) {
                b.append(',').append(r.nextInt(256));
            }
            b.append('\n');
        }
        return Files.writeString(file, b);
    }

    /** A Kaggle test.csv of {@code n} rows of random pixels. */
    static Path testCsv(Path file, int n) throws IOException {
        Random r = new Random(n);
        StringBuilder b = new StringBuilder(testHeader() + "\n");
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 784; p++) {
                b.append(p == 0 ? "" : ",").append(r.nextInt(256));
            }
            b.append('\n');
        }
        return Files.writeString(file, b);
    }

    /** An untrained digit-recognizer model, saved as train saves it (metadata dataset=mnist). */
    static Path model(Path file) throws IOException {
        Sequential m = ModelZoo.digitRecognizer(1, 28, 28, 10, 7);
        ModelFile.save(m, file, false, Map.of("dataset", "mnist"));
        return file;
    }

    /** A digit model whose first weight is {@code value} (checksum fixed): ModelFile.save itself refuses that. */
    static Path modelWithWeight(Path file, float value) throws IOException {
        Sequential m = ModelZoo.digitRecognizer(1, 28, 28, 10, 7);
        byte[] b = ModelFile.toBytes(m, false, Map.of("dataset", "mnist"));
        float[] w = m.params().get(0).value().data();
        byte[] pattern = ByteBuffer.allocate(16).putFloat(w[0]).putFloat(w[1]).putFloat(w[2]).putFloat(w[3]).array();
        int at = -1;
        for (int p = 0; p + 16 <= b.length && at < 0; p++) {
            if (java.util.Arrays.equals(b, p, p + 16, pattern, 0, 16)) {
                at = p;
            }
        }
        if (at < 0) {
            throw new IllegalStateException("the first kernel was not found in the file");
        }
        ByteBuffer.wrap(b).putFloat(at, value);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b, b.length - 4, 4).putInt((int) crc.getValue());
        return Files.write(file, b);
    }

    /** A PNG of {@code w} x 1 16-bit RGBA pixels: its row size overflows an int in the JDK's decoder. */
    static Path overflowingPng(Path file, int w) throws IOException {
        return png(file, w, 1);
    }

    /** A PNG whose header claims {@code w} x {@code h} 16-bit RGBA pixels, followed by 4 KB of zero rows. */
    static Path png(Path file, int w, int h) throws IOException {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 16).put((byte) 6).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ihdr.array());
        java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
        try (var d = new java.util.zip.DeflaterOutputStream(z)) {
            d.write(new byte[4096]);
        }
        chunk(out, "IDAT", z.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return Files.write(file, out.toByteArray());
    }

    private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** {@code java} for a child process running Main: relaunching itself (like java -jar) or not. */
    static List<String> java(boolean relaunch, List<String> jvmArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (!relaunch) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-Xmx640m"));
        }
        cmd.add("-Djava.awt.headless=true");
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return cmd;
    }

    /** Starts a child with its environment cleaned of the relaunch switch. */
    static ProcessBuilder builder(List<String> cmd, boolean relaunch) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (relaunch) {
            pb.environment().remove("CNN4J_NO_RELAUNCH");
        } else {
            pb.environment().put("CNN4J_NO_RELAUNCH", "1");
        }
        return pb;
    }
}
