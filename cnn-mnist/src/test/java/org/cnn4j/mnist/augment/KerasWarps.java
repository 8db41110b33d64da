package org.cnn4j.mnist.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the reference warps written by {@code src/test/python/keras_warps.py} and holds
 * {@link Augmenter} to them.
 *
 * <p>Tolerance. Order 1: {@value #BILINEAR_TOLERANCE}, two float32 units in the last place just
 * below 1 (one is 5.96e-8; measured: at most one): SciPy and cnn4j both interpolate in double from float32 pixels and round the
 * result to float32 once, but they associate the four weighted terms differently and compute the
 * sample point from differently rounded matrices, so a result may round to the neighbouring float.
 * Order 0: exact, except where the sample point lies within {@value #TIE} of a half-integer without
 * being exactly on it: there SciPy rounds {@code floor(x + 0.5)} of its own double coordinate, whose
 * last bit depends on how NumPy's {@code np.dot} (BLAS, possibly fused multiply-add) composed the
 * matrix; either neighbour is then a faithful result, and the test accepts only the other
 * neighbour's value. On an exact half (every point of the "shift-half" case) SciPy's rule, halves
 * round up, must be followed. Measured on the committed file: no tie resolved differently.
 */
final class KerasWarps {
    static final double BILINEAR_TOLERANCE = 1.2e-7;
    static final double TIE = 1e-9;

    record Case(String name, String image, int order, String convention, double theta, double tx, double ty,
            double zx, double zy, float[] expected) {
        String label() {
            return name + "/" + image + "/order " + order + "/" + convention;
        }
    }

    record Image(int h, int w, float[] pixels) {
    }

    /** One comparison's result. */
    record Result(double maxAbsDiff, int ties, int tieMismatches) {
    }

    final String header;
    final Map<String, Image> images;
    final List<Case> cases;

    private KerasWarps(String header, Map<String, Image> images, List<Case> cases) {
        this.header = header;
        this.images = images;
        this.cases = cases;
    }

    static KerasWarps committed() throws IOException {
        try (InputStream in = KerasWarps.class.getResourceAsStream("keras-warps.txt")) {
            assertThat(in).as("test resource keras-warps.txt").isNotNull();
            return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)));
        }
    }

    static KerasWarps read(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            return read(r);
        }
    }

    private static KerasWarps read(BufferedReader r) throws IOException {
        StringBuilder header = new StringBuilder();
        Map<String, Image> images = new HashMap<>();
        List<Case> cases = new ArrayList<>();
        for (String line; (line = r.readLine()) != null;) {
            if (line.startsWith("#")) {
                header.append(line).append('\n');
                continue;
            }
            String[] t = line.split(" ");
            if (t[0].equals("image")) {
                int h = Integer.parseInt(t[2]), w = Integer.parseInt(t[3]);
                images.put(t[1], new Image(h, w, floats(t, 4, h * w)));
            } else if (t[0].equals("case")) {
                Image img = images.get(t[2]);
                cases.add(new Case(t[1], t[2], Integer.parseInt(t[3]), t[4], Double.parseDouble(t[5]),
                        Double.parseDouble(t[6]), Double.parseDouble(t[7]), Double.parseDouble(t[8]),
                        Double.parseDouble(t[9]), floats(t, 10, img.h * img.w)));
            } else if (!line.isBlank()) {
                throw new IOException("unexpected line: " + line.substring(0, Math.min(40, line.length())));
            }
        }
        return new KerasWarps(header.toString(), images, cases);
    }

    private static float[] floats(String[] t, int from, int n) {
        if (t.length - from != n) {
            throw new IllegalArgumentException(t[1] + ": " + (t.length - from) + " values, expected " + n);
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = Float.parseFloat(t[from + i]);
        }
        return v;
    }

    /**
     * Warps the case's image with cnn4j. Keras 3's (x, y) construction swapped back to (row, col)
     * is cnn4j's map with the rotation negated and the shifts and zooms exchanged.
     */
    float[] cnn4j(Case c, AugmentConfig base) {
        Image img = images.get(c.image());
        boolean keras3 = c.convention().equals("keras3");
        AugmentConfig config = base.toBuilder()
                .interpolation(c.order() == 0 ? Interpolation.NEAREST : Interpolation.BILINEAR)
                .center(c.convention().equals("keras2017") ? CenterConvention.KERAS_2017 : CenterConvention.CORRECT)
                .build();
        float[] out = new float[img.h * img.w];
        Augmenter a = new Augmenter(config);
        if (keras3) {
            a.transform(img.pixels, out, img.h, img.w, -c.theta(), c.ty(), c.tx(), c.zy(), c.zx());
        } else {
            a.transform(img.pixels, out, img.h, img.w, c.theta(), c.tx(), c.ty(), c.zx(), c.zy());
        }
        return out;
    }

    /**
     * Compares cnn4j with the reference; fails on a bilinear difference above the tolerance or on
     * a nearest-neighbour difference that is not a half-pixel tie resolved to the other neighbour.
     */
    Result compare(Case c) {
        float[] got = cnn4j(c, AugmentConfig.builder().build());
        Image img = images.get(c.image());
        double max = 0;
        int ties = 0, mismatches = 0;
        for (int i = 0; i < got.length; i++) {
            double d = Math.abs(got[i] - c.expected()[i]);
            max = Math.max(max, d);
            if (c.order() == 1) {
                assertThat(d).as("%s pixel (%d,%d): cnn4j %s, scipy %s", c.label(), i / img.w, i % img.w, got[i],
                        c.expected()[i]).isLessThanOrEqualTo(BILINEAR_TOLERANCE);
            } else if (d != 0) {
                double[] p = samplePoint(c, img, i / img.w, i % img.w);
                boolean tie = (nearHalf(p[0]) || nearHalf(p[1])) && !exactHalf(p[0]) && !exactHalf(p[1]);
                assertThat(tie).as("%s pixel (%d,%d) differs (cnn4j %s, scipy %s) at sample point (%s, %s), "
                        + "which is no inexact half-pixel tie", c.label(), i / img.w, i % img.w, got[i],
                        c.expected()[i], p[0], p[1]).isTrue();
                assertThat(c.expected()[i]).as("%s pixel (%d,%d): scipy's value is neither neighbour of the tie",
                        c.label(), i / img.w, i % img.w).isIn(tieNeighbours(img, p));
                mismatches++;
            }
            if (c.order() == 0) {
                double[] p = samplePoint(c, img, i / img.w, i % img.w);
                if (nearHalf(p[0]) || nearHalf(p[1])) {
                    ties++;
                }
            }
        }
        return new Result(max, ties, mismatches);
    }

    // An exact half (such as r + 0.5 under a pure half-pixel shift) is the same double in any
    // order of operations, so there SciPy's rule floor(x + 0.5) must be followed to the letter.
    private static boolean exactHalf(double x) {
        return x - Math.floor(x) == 0.5;
    }

    private static boolean nearHalf(double x) {
        return Math.abs(x - Math.floor(x) - 0.5) < TIE;
    }

    /** The (row, col) the reference reads for output pixel (r, c), computed independently of Augmenter. */
    static double[] samplePoint(Case c, Image img, int r, int col) {
        boolean keras3 = c.convention().equals("keras3");
        double theta = Math.toRadians(keras3 ? -c.theta() : c.theta());
        double tx = keras3 ? c.ty() : c.tx(), ty = keras3 ? c.tx() : c.ty();
        double zx = keras3 ? c.zy() : c.zx(), zy = keras3 ? c.zx() : c.zy();
        double delta = c.convention().equals("keras2017") ? 0.5 : -0.5;
        double or = img.h / 2.0 + delta, oc = img.w / 2.0 + delta;
        double cos = Math.cos(theta), sin = Math.sin(theta);
        double dr = r - or, dc = col - oc;
        // R S Z applied to the centred point, then moved back
        double zr = zx * dr, zc = zy * dc;
        double sr = zr + tx, sc = zc + ty;
        return new double[] {cos * sr - sin * sc + or, sin * sr + cos * sc + oc};
    }

    private static Float[] tieNeighbours(Image img, double[] p) {
        List<Float> v = new ArrayList<>();
        for (double dr : new double[] {-TIE * 2, TIE * 2}) {
            for (double dc : new double[] {-TIE * 2, TIE * 2}) {
                int r = clamp((int) Math.floor(p[0] + dr + 0.5), img.h);
                int c = clamp((int) Math.floor(p[1] + dc + 0.5), img.w);
                v.add(img.pixels[r * img.w + c]);
            }
        }
        return v.toArray(Float[]::new);
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }

    /** Per (order, convention): the largest difference over its cases, and ties met / resolved otherwise. */
    static String summary(KerasWarps w) {
        Map<String, double[]> by = new TreeMap<>();
        for (Case c : w.cases) {
            Result r = w.compare(c);
            double[] s = by.computeIfAbsent("order " + c.order() + " " + c.convention(), k -> new double[4]);
            s[0] = Math.max(s[0], r.maxAbsDiff());
            s[1] += r.ties();
            s[2] += r.tieMismatches();
            s[3]++;
        }
        StringBuilder sb = new StringBuilder();
        by.forEach((k, s) -> sb.append(String.format(Locale.ROOT, "%-20s %3d cases  max |cnn4j - scipy| %.3g  "
                + "half-pixel ties %d, resolved differently %d%n", k, (int) s[3], s[0], (int) s[1], (int) s[2])));
        return sb.toString();
    }
}
