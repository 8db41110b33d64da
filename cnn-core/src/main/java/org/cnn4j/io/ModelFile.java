package org.cnn4j.io;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.cnn4j.layers.Buffer;
import org.cnn4j.layers.Layer;
import org.cnn4j.layers.Layers;
import org.cnn4j.layers.Param;
import org.cnn4j.loss.Losses;
import org.cnn4j.model.Sequential;
import org.cnn4j.optim.Optimizer;

/**
 * Saves and loads a {@link Sequential}: architecture, weights and buffers, optionally the optimizer's state,
 * and free-form metadata (training state for checkpoints). The format is specified in
 * {@code docs/model-format.md}: a fixed header, a big-endian payload and a CRC-32C of everything
 * before it. Loading reads and checks the whole file before building anything, so a truncated,
 * corrupted or foreign file is rejected with a {@link ModelFormatException} and never gives a
 * half-loaded model. Saving is atomic.
 */
public final class ModelFile {
    /** The first eight bytes of every model file. */
    static final byte[] MAGIC = "CNN4JMDL".getBytes(StandardCharsets.US_ASCII);
    /**
     * The format version this code writes. It reads this one and every earlier one: version 1 is
     * version 2 without the buffers (a layer's buffers keep their initial values).
     */
    public static final int VERSION = 2;
    /** The oldest version this code reads. */
    public static final int OLDEST_VERSION = 1;
    static final int HEADER = 8 + 4 + 4 + 8;
    private static final int FLAG_OPTIMIZER = 1;
    /** Every flag bit a reader knows; a file with any other bit set is refused (it may mean a section we cannot read). */
    private static final int KNOWN_FLAGS = FLAG_OPTIMIZER;
    /** At most this many parameters, and this many buffers, per layer. */
    private static final int MAX_TENSORS = 64;
    /** Refuse files larger than this rather than trying to allocate them. */
    private static final long MAX_FILE = Integer.MAX_VALUE - 64;
    /**
     * The most activation values one sample may produce across all layers (64 MB of floats): the
     * weights are bounded by the file's size, but a small file can describe a network whose
     * outputs for a single image fill the heap (100,000 1x1 filters, or 65,000 layers).
     */
    static final long MAX_ACTIVATIONS_PER_SAMPLE = 1L << 24;

    private ModelFile() {
    }

    /**
     * What a loaded file held besides the model.
     *
     * @param model the model, built, with its weights (and optimizer state when saved)
     * @param metadata the free-form metadata saved with it
     */
    public record Loaded(Sequential model, Map<String, String> metadata) {
    }

    /**
     * Saves the model and its optimizer state (when compiled), atomically.
     *
     * @param model the model
     * @param file the file to write
     * @throws IOException if the file cannot be written (it is then left as it was)
     */
    public static void save(Sequential model, Path file) throws IOException {
        save(model, file, true, Map.of());
    }

    /**
     * Saves the model, optionally its optimizer state, and metadata, atomically.
     *
     * @param model the model
     * @param file the file to write
     * @param includeOptimizer true to save the optimizer state (to resume training)
     * @param metadata free-form text entries
     * @throws IOException if the file cannot be written (it is then left as it was)
     * @throws IllegalArgumentException if a weight, a buffer (or a saved optimizer value) is NaN or infinite
     */
    public static void save(Sequential model, Path file, boolean includeOptimizer, Map<String, String> metadata)
            throws IOException {
        byte[] bytes = toBytes(model, includeOptimizer, metadata);
        AtomicFiles.write(file, bytes);
    }

    /**
     * The bytes of a model file.
     *
     * @param model the model
     * @param includeOptimizer true to include the optimizer state
     * @param metadata free-form text entries
     * @return the file's bytes
     * @throws IOException if the model cannot be encoded
     * @throws IllegalArgumentException if a weight, a buffer (or a saved optimizer value) is NaN or infinite
     */
    public static byte[] toBytes(Sequential model, boolean includeOptimizer, Map<String, String> metadata)
            throws IOException {
        model.build();
        Optimizer opt = includeOptimizer ? model.optimizer() : null;
        requireFiniteForSave(model, opt);
        ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(payloadBytes);
        writeInts(out, model.inputShape());
        out.writeLong(model.seedValue());
        List<Layer> layers = model.layers();
        out.writeInt(layers.size());
        for (Layer l : layers) {
            writeUtf(out, l.type());
            writeMap(out, l.config());
            List<Param> ps = l.params();
            out.writeInt(ps.size());
            for (Param p : ps) {
                writeUtf(out, p.name());
                writeInts(out, p.value().shape());
                writeFloats(out, p.value().data());
            }
            List<Buffer> bs = l.buffers();
            out.writeInt(bs.size());
            for (Buffer b : bs) {
                writeUtf(out, b.name());
                writeInts(out, b.value().shape());
                writeFloats(out, b.value().data());
            }
        }
        writeUtf(out, model.loss() == null ? "" : Losses.spec(model.loss())); // name[settings]: see Losses.spec
        if (opt != null) {
            writeUtf(out, opt.name());
            writeMap(out, opt.config());
            out.writeLong(opt.iterations());
            List<float[][]> slots = opt.slots();
            out.writeInt(slots.size());
            for (float[][] s : slots) {
                out.writeInt(s.length);
                for (float[] a : s) {
                    out.writeInt(a.length);
                    writeFloats(out, a);
                }
            }
        }
        writeMap(out, metadata);
        out.flush();
        byte[] payload = payloadBytes.toByteArray();
        ByteBuffer file = ByteBuffer.allocate(HEADER + payload.length + 4);
        file.put(MAGIC).putInt(VERSION).putInt(opt != null ? FLAG_OPTIMIZER : 0).putLong(payload.length).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(file.array(), 0, HEADER + payload.length);
        file.putInt((int) crc.getValue());
        return file.array();
    }

    /**
     * Loads a model saved by {@link #save}.
     *
     * @param file the file
     * @return the model, built
     * @throws IOException if the file cannot be read
     * @throws ModelFormatException if it is not a valid model file (the message names the file and the fault)
     */
    public static Sequential load(Path file) throws IOException {
        return loadWithMetadata(file).model();
    }

    /**
     * Loads a model and the metadata saved with it.
     *
     * @param file the file
     * @return the model and its metadata
     * @throws IOException if the file cannot be read
     * @throws ModelFormatException if it is not a valid model file
     */
    public static Loaded loadWithMetadata(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such model file");
        }
        if (size > MAX_FILE) {
            throw new ModelFormatException(file + ": " + size + " bytes is too large to be a cnn4j model");
        }
        checkBeforeReading(file, size);
        return fromBytes(Files.readAllBytes(file), file.toString());
    }

    /**
     * Parses model-file bytes; {@code source} names them in error messages.
     *
     * @param bytes the file's content
     * @param source the name to use in messages, such as the path
     * @return the model and its metadata
     * @throws ModelFormatException if the bytes are not a valid model file
     */
    public static Loaded fromBytes(byte[] bytes, String source) throws ModelFormatException {
        if (bytes.length < MAGIC.length || !java.util.Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ModelFormatException(source + ": not a cnn4j model file (bad magic)");
        }
        if (bytes.length < HEADER + 4) {
            throw new ModelFormatException(source + ": truncated model file (" + bytes.length + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        buf.position(MAGIC.length);
        int version = buf.getInt();
        checkVersion(version, source);
        int flags = buf.getInt();
        checkFlags(flags, source);
        long payloadLength = buf.getLong();
        if (payloadLength != bytes.length - HEADER - 4L) {
            throw new ModelFormatException(source + ": truncated or padded model file (header says " + payloadLength
                    + " payload bytes, the file holds " + (bytes.length - HEADER - 4L) + ")");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new ModelFormatException(source + ": checksum mismatch, the model file is corrupted");
        }
        try {
            return parse(new Reader(buf.slice(HEADER, (int) payloadLength), source), version,
                    (flags & FLAG_OPTIMIZER) != 0);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ModelFormatException(source + ": invalid model: " + printable(e.getMessage()));
        }
    }

    /**
     * A message that may quote the file's own strings, made safe to print as one line: control
     * characters become '?', and it is cut at 300 characters.
     */
    private static String printable(String message) {
        return message == null ? "(no detail)" : MessageText.oneLine(message, 300);
    }

    /** One stored parameter or buffer. */
    private record Stored(String name, int[] shape, float[] values) {
    }

    private static List<Stored> tensors(Reader in) throws ModelFormatException {
        int count = in.count(MAX_TENSORS);
        List<Stored> ts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = in.utf();
            int[] shape = in.ints();
            ts.add(new Stored(name, shape, in.floats(org.cnn4j.tensor.Tensor.checkedSize(shape))));
        }
        return ts;
    }

    private static long total(List<Stored> ts) {
        return ts.stream().mapToLong(t -> t.values().length).sum();
    }

    private static Loaded parse(Reader in, int version, boolean hasOptimizer) throws ModelFormatException {
        int[] inputShape = in.ints();
        if (inputShape.length == 0 || java.util.Arrays.stream(inputShape).anyMatch(d -> d < 1)) {
            // a sample of no values: every prediction would be [N, 0] or a mean over nothing
            throw new ModelFormatException(in.source + ": invalid input shape " + java.util.Arrays.toString(inputShape)
                    + " (every dimension of a sample must be at least 1)");
        }
        long seed = in.longValue();
        Sequential model = new Sequential(inputShape).seed(seed);
        int layerCount = in.count(1 << 16);
        List<List<Stored>> weights = new ArrayList<>();
        List<List<Stored>> buffers = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            String type = in.utf();
            Map<String, String> config = in.map();
            model.add(Layers.fromConfig(type, config));
            weights.add(tensors(in));
            buffers.add(version >= 2 ? tensors(in) : null); // version 1 has no buffers
        }
        String lossName = in.utf();
        Optimizer opt = null;
        if (hasOptimizer) {
            opt = Optimizer.fromConfig(in.utf(), in.map());
            long iterations = in.longValue();
            int n = in.count(1 << 20);
            List<float[][]> slots = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                float[][] s = new float[in.count(16)][];
                for (int j = 0; j < s.length; j++) {
                    s[j] = in.floats(in.count(Integer.MAX_VALUE));
                    checkFinite(s[j], in.source, "the optimizer state of parameter " + (i + 1));
                }
                slots.add(s);
            }
            opt.restore(slots, iterations);
        }
        Map<String, String> metadata = in.map();
        if (in.buf.hasRemaining()) {
            throw new ModelFormatException(in.source + ": " + in.buf.remaining() + " unexpected bytes after the model");
        }
        // The configuration decides how much building allocates: check it against the weights the
        // file really holds first, so a forged "units" cannot make us allocate gigabytes.
        int[] shape = inputShape;
        List<Layer> declared = model.layers();
        for (int i = 0; i < declared.size(); i++) {
            long need = declared.get(i).paramCountFor(shape);
            long have = total(weights.get(i));
            if (need != have) {
                throw new ModelFormatException(in.source + ": layer " + (i + 1) + " (" + declared.get(i).type() + ") holds "
                        + have + " weights, its configuration needs " + need);
            }
            if (buffers.get(i) != null) {
                long needB = declared.get(i).nonTrainableCountFor(shape), haveB = total(buffers.get(i));
                if (needB != haveB) {
                    throw new ModelFormatException(in.source + ": layer " + (i + 1) + " (" + declared.get(i).type()
                            + ") holds " + haveB + " buffer values, its configuration needs " + needB);
                }
            }
            shape = declared.get(i).outputShapeFor(shape);
            org.cnn4j.tensor.Tensor.checkedSize(shape);
        }
        checkActivations(declared, inputShape, in.source);
        checkFinite(weights, "weight", in.source);
        checkFinite(buffers, "buffer", in.source);
        model.build();
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            List<Param> ps = l.params();
            fill(in.source, l, "weight", ps.stream().map(p -> Map.entry(p.name(), p.value())).toList(), weights.get(i));
            if (buffers.get(i) != null) {
                fill(in.source, l, "buffer", l.buffers().stream().map(b -> Map.entry(b.name(), b.value())).toList(),
                        buffers.get(i));
            }
        }
        if (opt != null) {
            List<float[][]> slots = opt.slots();
            List<Param> ps = model.params();
            if (!slots.isEmpty() && slots.size() != ps.size()) {
                throw new ModelFormatException(in.source + ": optimizer state covers " + slots.size() + " parameters, the model has "
                        + ps.size());
            }
            for (int i = 0; i < slots.size(); i++) {
                for (float[] s : slots.get(i)) {
                    if (s.length != ps.get(i).size()) {
                        throw new ModelFormatException(in.source + ": optimizer state of parameter " + i + " has the wrong size");
                    }
                }
            }
        }
        model.compile(opt, lossName.isEmpty() ? null : Losses.parse(lossName));
        return new Loaded(model, metadata);
    }

    /** Copies stored tensors into a layer's, checking count, names and shapes. */
    private static void fill(String source, Layer l, String what, List<Map.Entry<String, org.cnn4j.tensor.Tensor>> dst,
                             List<Stored> stored) throws ModelFormatException {
        if (dst.size() != stored.size()) {
            throw new ModelFormatException(source + ": layer " + l.name() + " has " + stored.size() + " " + what
                    + " arrays, its configuration needs " + dst.size());
        }
        for (int j = 0; j < dst.size(); j++) {
            org.cnn4j.tensor.Tensor t = dst.get(j).getValue();
            Stored s = stored.get(j);
            if (!s.name().equals(dst.get(j).getKey()) || !t.sameShape(s.shape())) {
                throw new ModelFormatException(source + ": layer " + l.name() + " " + what + " " + (j + 1) + " is '"
                        + printable(s.name()) + "' " + java.util.Arrays.toString(s.shape()) + ", its configuration needs '"
                        + dst.get(j).getKey() + "' " + java.util.Arrays.toString(t.shape()));
            }
            System.arraycopy(s.values(), 0, t.data(), 0, s.values().length);
        }
    }

    // ---------------------------------------------------------------- limits, checked before trusting the file

    /**
     * Before reading a whole file: it must be a regular file (a FIFO would block, a device never
     * end), its header must be a model file's whose payload length matches the file, and reading
     * it must fit the heap. The same header checks run again on the bytes in {@link #fromBytes}.
     */
    private static void checkBeforeReading(Path file, long size) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + ": not a regular file");
        }
        byte[] head = new byte[HEADER];
        int got;
        try (var in = Files.newInputStream(file)) {
            got = in.readNBytes(head, 0, HEADER);
        }
        if (got < MAGIC.length || !java.util.Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ModelFormatException(file + ": not a cnn4j model file (bad magic)");
        }
        if (got == HEADER) {
            ByteBuffer h = ByteBuffer.wrap(head, MAGIC.length, HEADER - MAGIC.length);
            // a version it cannot read is refused now, not after reading the file (or for want of heap to read it)
            checkVersion(h.getInt(), file.toString());
            // every readable version has this header: judge a padded or huge file by it, before any heap check or read
            checkFlags(h.getInt(), file.toString());
            long payloadLength = h.getLong();
            if (payloadLength != size - HEADER - 4L) {
                throw new ModelFormatException(file + ": truncated or padded model file (header says " + payloadLength
                        + " payload bytes, the file holds " + (size - HEADER - 4L) + ")");
            }
        }
        // the bytes, the weights parsed from them and the model built from those: about three copies
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (3 * size > free) {
            throw new ModelFormatException(String.format(java.util.Locale.ROOT,
                    "%s: loading this %,d-byte model needs about %,d MB of heap, %,d MB are free (give the JVM more, e.g. -Xmx%dm)",
                    file, size, 3 * size >> 20, free >> 20, (rt.maxMemory() + 3 * size >> 20) + 1));
        }
    }

    /** Refuses a format version this code does not read. */
    private static void checkVersion(int version, String source) throws ModelFormatException {
        if (version < OLDEST_VERSION || version > VERSION) {
            throw new ModelFormatException(source + ": model format version " + version + " is not supported (this cnn4j reads versions "
                    + OLDEST_VERSION + " to " + VERSION + ")");
        }
    }

    /** Refuses flag bits this version does not define (the format says they are 0). */
    private static void checkFlags(int flags, String source) throws ModelFormatException {
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new ModelFormatException(String.format("%s: unknown flag bits 0x%08X in the header (this cnn4j knows 0x%08X)",
                    source, flags & ~KNOWN_FLAGS, KNOWN_FLAGS));
        }
    }

    /** Bounds what one sample's forward pass keeps: the sum of every layer's output size. */
    private static void checkActivations(List<Layer> layers, int[] inputShape, String source) throws ModelFormatException {
        long total = org.cnn4j.tensor.Tensor.checkedSize(inputShape);
        int[] shape = inputShape;
        for (Layer l : layers) {
            shape = l.outputShapeFor(shape);
            total += org.cnn4j.tensor.Tensor.checkedSize(shape);
            if (total > MAX_ACTIVATIONS_PER_SAMPLE) {
                throw new ModelFormatException(String.format(java.util.Locale.ROOT,
                        "%s: the network's layers produce more than %,d values (%,d MB) for one sample; refused "
                        + "so that a small file cannot exhaust memory (%d layers)", source, MAX_ACTIVATIONS_PER_SAMPLE,
                        MAX_ACTIVATIONS_PER_SAMPLE * 4 >> 20, layers.size()));
            }
        }
    }

    /** Refuses NaN and infinite weights or buffers: such a model predicts NaN for every input. */
    private static void checkFinite(List<List<Stored>> tensors, String what, String source) throws ModelFormatException {
        for (int i = 0; i < tensors.size(); i++) {
            List<Stored> layer = tensors.get(i);
            for (int p = 0; layer != null && p < layer.size(); p++) {
                checkFinite(layer.get(p).values(), source, "layer " + (i + 1) + ", " + what + " array " + (p + 1) + ",");
            }
        }
    }

    private static void checkFinite(float[] values, String source, String where) throws ModelFormatException {
        int bad = firstNonFinite(values);
        if (bad >= 0) {
            throw new ModelFormatException(source + ": " + where + " holds " + values[bad] + " at index " + bad
                    + "; a model with NaN or infinite values cannot be used");
        }
    }

    private static int firstNonFinite(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Refuses to save a model (weights, buffers or optimizer state) holding NaN or infinite values: loading would refuse it. */
    private static void requireFiniteForSave(Sequential model, Optimizer opt) {
        for (Param p : model.params()) {
            int bad = firstNonFinite(p.value().data());
            if (bad >= 0) {
                throw new IllegalArgumentException("cannot save the model: weight " + p.name() + " holds "
                        + p.value().data()[bad] + " at index " + bad);
            }
        }
        for (Buffer b : model.buffers()) { // loading refuses them as it refuses weights
            int bad = firstNonFinite(b.value().data());
            if (bad >= 0) {
                throw new IllegalArgumentException("cannot save the model: buffer " + b.name() + " holds "
                        + b.value().data()[bad] + " at index " + bad);
            }
        }
        if (opt != null) {
            for (float[][] slot : opt.slots()) {
                for (float[] a : slot) {
                    if (firstNonFinite(a) >= 0) {
                        throw new IllegalArgumentException("cannot save the model: its optimizer state holds NaN or infinite values");
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- encoding helpers

    private static void writeUtf(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IOException("string too long for a model file: " + s.substring(0, 40) + "...");
        }
        out.writeShort(b.length);
        out.write(b);
    }

    private static void writeInts(DataOutputStream out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int v : a) {
            out.writeInt(v);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(a.length * 4);
        b.asFloatBuffer().put(a);
        out.write(b.array());
    }

    private static void writeMap(DataOutputStream out, Map<String, String> m) throws IOException {
        out.writeInt(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            writeUtf(out, e.getKey());
            writeUtf(out, e.getValue());
        }
    }

    /** Bounds-checked reads: every count is checked against the bytes that remain before allocating. */
    private static final class Reader {
        final ByteBuffer buf;
        final String source;

        Reader(ByteBuffer buf, String source) {
            this.buf = buf;
            this.source = source;
        }

        int count(int max) throws ModelFormatException {
            need(4);
            int n = buf.getInt();
            if (n < 0 || n > max) {
                throw new ModelFormatException(source + ": invalid count " + n + " at byte " + (HEADER + buf.position() - 4));
            }
            return n;
        }

        long longValue() throws ModelFormatException {
            need(8);
            return buf.getLong();
        }

        int[] ints() throws ModelFormatException {
            int n = count(8);
            need(4L * n);
            int[] a = new int[n];
            for (int i = 0; i < n; i++) {
                a[i] = buf.getInt();
                if (a[i] < 0) {
                    throw new ModelFormatException(source + ": negative dimension at byte " + (HEADER + buf.position() - 4));
                }
            }
            return a;
        }

        float[] floats(int n) throws ModelFormatException {
            need(4L * n);
            float[] a = new float[n];
            buf.asFloatBuffer().get(a);
            buf.position(buf.position() + 4 * n);
            return a;
        }

        String utf() throws ModelFormatException {
            need(2);
            int len = Short.toUnsignedInt(buf.getShort());
            need(len);
            byte[] b = new byte[len];
            buf.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        Map<String, String> map() throws ModelFormatException {
            int n = count(1 << 16);
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                m.put(utf(), utf());
            }
            return m;
        }

        private void need(long n) throws ModelFormatException {
            if (n > buf.remaining()) {
                throw new ModelFormatException(source + ": model file ends early at byte " + (HEADER + buf.position()));
            }
        }
    }
}
