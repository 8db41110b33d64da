package org.cnn4j.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Spark sessions for tests: loopback only, no UI, small shuffles.
 *
 * <p>{@code local-cluster[N,C,M]} starts a master and N workers inside this JVM, and each worker
 * starts its executor as a separate JVM with Spark's launcher ({@code WorkerCommandBuilder}). The
 * launcher needs three things a Maven build lacks, and this class provides them:
 * <ul>
 *   <li>a Spark home with a {@code jars} folder: the worker takes {@code $SPARK_HOME} (the surefire
 *       configuration points it at {@code target/spark-home}, made here, empty; without
 *       {@code SPARK_HOME} it would use the working directory), and puts {@code jars/*} on the
 *       executor's class path;</li>
 *   <li>the Scala version, {@code SPARK_SCALA_VERSION=2.13}, which the launcher otherwise reads from
 *       a Spark source tree's {@code launcher/target/scala-2.13} (passed as an executor variable);</li>
 *   <li>the class path: this JVM's own (Spark's jars, cnn4j's classes, the tests' classes) as
 *       {@code spark.executor.extraClassPath}; surefire sets {@code java.class.path} to the test
 *       class path even when it starts the JVM from a manifest-only jar.</li>
 * </ul>
 * Spark's own test suites use {@code spark.testing} and {@code spark.test.home} instead, which also
 * switch on test-only behaviour in Spark; this class avoids them.
 */
public final class LocalSpark {
    private LocalSpark() {
    }

    /** {@code local[threads]} on the loopback interface. */
    public static SparkSession local(int threads) {
        return builder("local[" + threads + "]").getOrCreate();
    }

    /** Two executors in their own JVMs, one core and 1 GB each. */
    public static SparkSession localCluster() {
        String home = System.getenv("SPARK_HOME");
        if (home == null) {
            throw new IllegalStateException("SPARK_HOME is not set: run the tests through Maven (the cnn-spark pom sets it)");
        }
        try {
            Files.createDirectories(Path.of(home, "jars"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String cp = System.getProperty("java.class.path");
        if (!cp.contains(File.pathSeparator)) {
            throw new IllegalStateException("java.class.path is one entry (" + cp + "): executors would miss Spark");
        }
        return builder("local-cluster[2,1,1024]")
                .config("spark.executor.extraClassPath", cp)
                .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
                .config("spark.executor.memory", "512m")
                .getOrCreate();
    }

    private static SparkSession.Builder builder(String master) {
        return SparkSession.builder()
                .master(master)
                .appName("cnn-spark test")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.adaptive.enabled", "false");
    }
}
