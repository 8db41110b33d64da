package org.cnn4j.mnist.report;

/** Small made-up 28x28 "digits" for report tests, so no test needs the real data set. */
final class SyntheticDigits {
    private SyntheticDigits() {
    }

    /** {@code n} images; image {@code i} has label {@code i % 10} and a bar whose position depends on it. */
    static ImageSet make(int n) {
        byte[] px = new byte[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int label = i % 10;
            labels[i] = label;
            for (int r = 4; r < 24; r++) {
                int c = 6 + label + (r * (i % 3)) / 12;
                px[i * 784 + r * 28 + c] = (byte) 255;
                px[i * 784 + r * 28 + c + 1] = (byte) 200;
            }
        }
        return ImageSet.ofBytes(px, labels, 28, 28);
    }
}
