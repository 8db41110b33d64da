package org.cnn4j.spark.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cnn4j.mnist.InputException;
import org.cnn4j.mnist.cli.DebugOption;
import org.cnn4j.mnist.cli.ModelLoader;
import org.cnn4j.mnist.data.KaggleCsv;
import org.cnn4j.mnist.data.OutputFiles;
import org.cnn4j.mnist.data.Submission;
import org.cnn4j.model.Sequential;
import org.cnn4j.spark.ScoringOptions;
import org.cnn4j.spark.SparkPredictor;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scores Kaggle's test.csv or a folder of digit images with Spark and writes a Kaggle submission,
 * a CSV of labels, or Parquet. {@code java -cp ... org.cnn4j.spark.cli.ScoreCommand --help}, or
 * {@code spark-submit --class org.cnn4j.spark.cli.ScoreCommand cnn-spark.jar ...} on a cluster.
 */
@Command(name = "cnn-spark-score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score Kaggle's test.csv or a folder of images with a cnn4j model on Spark.",
            "Writes submission.csv (ImageId,Label) for test.csv, path,label,error for images, or Parquet"
                + " (--out X.parquet or --format parquet) with the probabilities and errors of every row."})
public final class ScoreCommand implements Callable<Integer> {
    /** A command with every option unset; picocli fills them in. */
    public ScoreCommand() {
    }

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.cnn4j written by train.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--test-csv", paramLabel = "PATH", description = "Kaggle test.csv (pixel0..pixel783), any path Spark reads.")
        String testCsv;

        @Option(names = "--images", paramLabel = "PATH", description = "A folder of PNG/JPEG/BMP/GIF images (searched recursively).")
        String images;
    }

    @Option(names = "--out", paramLabel = "PATH", description = "Where to write (default: submission.csv for --test-csv, predictions.csv for --images).")
    String out;

    @Option(names = "--format", paramLabel = "csv|parquet", description = "Output format (default: parquet when --out ends in .parquet, else csv).")
    String format;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: what spark-submit set, else local[2]).")
    String master;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N", description = "Repartition the input into N partitions (default: as Spark reads it).")
    int partitions;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "cnn4j kernel threads per executor JVM (default: cnn4j's, the JVM's cores).")
    int threads;

    @Option(names = "--batch-size", defaultValue = "256", paramLabel = "N", description = "Images per network call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    DebugOption debug = new DebugOption();

    /**
     * Runs the command and exits: 0 when written, 2 on a user mistake (one line on stderr, nothing
     * written), 1 on anything else.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command without exiting.
     *
     * @param args the command line
     * @return the exit status
     */
    public static int run(String... args) {
        ScoreCommand cmd = new ScoreCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            String msg = e instanceof InputException || e instanceof IllegalArgumentException ? e.getMessage()
                    : e instanceof AnalysisException a ? a.getSimpleMessage()
                    : "failed: " + e;
            line.getErr().println("error: " + msg);
            if (cmd.debug.on()) {
                e.printStackTrace(line.getErr());
            }
            return e instanceof InputException || e instanceof IllegalArgumentException
                    || e instanceof AnalysisException ? 2 : 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        boolean kaggle = input.testCsv != null;
        String in = kaggle ? input.testCsv : input.images;
        String target = out != null ? out : kaggle ? "submission.csv" : "predictions.csv";
        boolean parquet = format == null ? target.endsWith(".parquet") : switch (format.toLowerCase(Locale.ROOT)) {
            case "parquet" -> true;
            case "csv" -> false;
            default -> throw new InputException("--format " + format + ": expected csv or parquet");
        };
        if (partitions < 0 || threads < 0 || batchSize < 1) {
            throw new InputException("--partitions and --threads must be 0 or more, --batch-size 1 or more");
        }
        Sequential m = loadModel(model);
        checkLocalInput(in, kaggle);
        if (!parquet) {
            Path dirOf = Path.of(target).toAbsolutePath().getParent();
            if (!Files.isDirectory(dirOf)) {
                throw new InputException(target + ": cannot write: directory " + dirOf + " does not exist");
            }
        }
        SparkSession spark = session();
        try {
            long start = System.nanoTime();
            ScoringOptions options = ScoringOptions.defaults().withBatchSize(batchSize).withThreads(threads);
            Dataset<Row> data;
            if (kaggle) {
                data = kaggleLines(spark, in);
                options = options.withInputColumn("value").withSourceColumn("ImageId");
            } else {
                data = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(in)
                        .select("path", "content");
            }
            if (partitions > 0) {
                data = data.repartition(partitions);
            }
            String id = kaggle ? "ImageId" : "path";
            Dataset<Row> scored = SparkPredictor.predict(data, m, options)
                    .select(id, "label", "probabilities", "error");
            long[] counts;
            if (parquet) {
                counts = writeParquet(spark, scored, target);
            } else if (kaggle) {
                counts = writeSubmission(scored, target);
            } else {
                counts = writeLabels(scored, target);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "Wrote %,d predictions to %s (%,d rows in error) in %.1f s, %.0f images/s%n",
                    counts[0], target, counts[1], seconds, counts[0] / seconds);
            if (counts[1] > 0) {
                System.err.printf("warning: %,d rows could not be scored; their error column says why%n", counts[1]);
            }
            return 0;
        } finally {
            spark.stop();
        }
    }

    private SparkSession session() {
        SparkConf conf = new SparkConf();
        String url = master != null ? master : conf.get("spark.master", "local[2]");
        SparkSession.Builder b = SparkSession.builder().appName("cnn4j score").master(url);
        if (!conf.contains("spark.log.level")) {
            b.config("spark.log.level", "WARN");
        }
        if (url.startsWith("local")) {
            // one machine: stay on the loopback interface and start no web UI
            b.config("spark.driver.host", conf.get("spark.driver.host", "127.0.0.1"))
                    .config("spark.driver.bindAddress", conf.get("spark.driver.bindAddress", "127.0.0.1"))
                    .config("spark.ui.enabled", conf.get("spark.ui.enabled", "false"));
        }
        return b.getOrCreate();
    }

    /** test.csv as its lines, each with its 1-based ImageId (file order), the header checked and dropped. */
    private static Dataset<Row> kaggleLines(SparkSession spark, String csv) {
        Dataset<Row> text = spark.read().text(csv);
        List<Row> first = text.limit(1).collectAsList();
        String header = first.isEmpty() ? "" : first.get(0).getString(0).replace("\uFEFF", "").trim();
        List<String> want = KaggleCsv.testHeader();
        List<String> got = Arrays.asList(header.split(",", -1));
        if (!got.equals(want)) {
            throw new InputException(csv + ":1: expected Kaggle's test.csv header pixel0,...,pixel783, got "
                    + (header.isEmpty() ? "an empty file" : got.size() + " columns starting "
                            + String.join(",", got.subList(0, Math.min(3, got.size())))));
        }
        // zipWithIndex numbers rows in file order across partitions: the header is 0, image i is i
        JavaRDD<Row> numbered = text.javaRDD().zipWithIndex().filter(t -> t._2() > 0)
                .map(t -> RowFactory.create(t._1().getString(0), t._2()));
        StructType schema = new StructType().add("value", DataTypes.StringType).add("ImageId", DataTypes.LongType);
        return spark.createDataFrame(numbered, schema);
    }

    private static long[] writeSubmission(Dataset<Row> scored, String target) {
        // sorted here, not by Spark: a sort samples its input first, which would score every image twice
        List<Row> rows = new java.util.ArrayList<>(scored.select("ImageId", "label", "error").collectAsList());
        rows.sort(java.util.Comparator.comparingLong(r -> r.getLong(0)));
        int[] labels = new int[rows.size()];
        long errors = 0;
        String firstError = null;
        for (int i = 0; i < labels.length; i++) {
            Row r = rows.get(i);
            if (r.getLong(0) != i + 1) {
                throw new IllegalStateException("ImageId " + r.getLong(0) + " at position " + (i + 1));
            }
            if (r.isNullAt(1)) {
                errors++;
                firstError = firstError == null ? r.getString(2) : firstError;
            } else {
                labels[i] = r.getInt(1);
            }
        }
        if (errors > 0) {
            throw new InputException(firstError + (errors > 1 ? " (and " + (errors - 1) + " more rows)" : "")
                    + "; no submission written (--out X.parquet keeps every row with its error)");
        }
        Submission.write(Path.of(target), labels);
        return new long[] {labels.length, 0};
    }

    private static long[] writeLabels(Dataset<Row> scored, String target) {
        List<Row> rows = new java.util.ArrayList<>(scored.select("path", "label", "error").collectAsList());
        rows.sort(java.util.Comparator.comparing(r -> r.getString(0)));
        long errors = rows.stream().filter(r -> r.isNullAt(1)).count();
        OutputFiles.write(Path.of(target), o -> {
            PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(o, StandardCharsets.UTF_8));
            w.print("path,label,error\n");
            for (Row r : rows) {
                w.print(csv(r.getString(0)) + "," + (r.isNullAt(1) ? "" : r.getInt(1)) + ","
                        + (r.isNullAt(2) ? "" : csv(r.getString(2))) + "\n");
            }
            w.flush();
        });
        return new long[] {rows.size(), errors};
    }

    /** Spark writes a folder of part files: into a sibling first, renamed into place when complete. */
    private static long[] writeParquet(SparkSession spark, Dataset<Row> scored, String target) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        org.apache.hadoop.fs.Path dest = new org.apache.hadoop.fs.Path(target);
        FileSystem fs = dest.getFileSystem(hadoop);
        org.apache.hadoop.fs.Path parent = fs.makeQualified(dest).getParent();
        if (!fs.exists(parent)) {
            throw new InputException(target + ": cannot write: directory " + parent + " does not exist");
        }
        String tag = UUID.randomUUID().toString().substring(0, 8);
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(parent, "." + dest.getName() + ".tmp-" + tag);
        Dataset<Row> cached = scored.persist();
        try {
            cached.write().parquet(tmp.toString());
            long n = cached.count();
            long errors = cached.filter(functions.col("error").isNotNull()).count();
            org.apache.hadoop.fs.Path old = new org.apache.hadoop.fs.Path(parent, "." + dest.getName() + ".old-" + tag);
            boolean had = fs.exists(dest);
            if (had && !fs.rename(dest, old)) {
                throw new IOException("cannot move the old " + dest + " aside");
            }
            if (!fs.rename(tmp, dest)) {
                throw new IOException("cannot rename " + tmp + " to " + dest);
            }
            if (had) {
                fs.delete(old, true);
            }
            return new long[] {n, errors};
        } finally {
            cached.unpersist();
            if (fs.exists(tmp)) {
                fs.delete(tmp, true);
            }
        }
    }

    private static Sequential loadModel(Path file) {
        Sequential m = ModelLoader.load(file).model();
        if (!Arrays.equals(m.inputShape(), new int[] {1, 28, 28}) || m.outputShape().length != 1) {
            throw new InputException(file + ": a model for inputs " + Arrays.toString(m.inputShape()) + " and outputs "
                    + Arrays.toString(m.outputShape()) + ", not for 28x28 digits");
        }
        return m;
    }

    /** A local input that is missing is named before Spark starts; other file systems are Spark's to check. */
    private static void checkLocalInput(String in, boolean file) {
        if (in.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !in.startsWith("file:")) {
            return; // hdfs:, s3a:, ...
        }
        Path p = in.startsWith("file:") ? Path.of(URI.create(in)) : Path.of(in);
        if (!Files.exists(p)) {
            throw new InputException(in + ": no such " + (file ? "file" : "folder"));
        }
        if (file && !Files.isRegularFile(p)) {
            throw new InputException(in + ": not a file");
        }
        if (!file && !Files.isDirectory(p)) {
            throw new InputException(in + ": not a folder");
        }
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
