package org.cnn4j.mnist.cli;

import java.io.PrintWriter;
import org.cnn4j.mnist.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * Entry point of {@code java -jar cnn-mnist.jar <command>}: the Kaggle "Digit Recognizer" pipeline.
 * A user mistake ends in one line on stderr and exit status 2; a stack trace only with {@code --debug}.
 */
@Command(name = "cnn-mnist", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train and use the Kaggle digit-recognizer CNN on MNIST with cnn4j.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, SubmitCommand.class,
                PreviewCommand.class, FetchCommand.class, ExportCsvCommand.class, ExportCommand.class, ServeCommand.class,
                BenchCommand.class, AccuracyCommand.class, CommandLine.HelpCommand.class,
                picocli.AutoComplete.GenerateCompletion.class})
public final class Main {
    /** Exit status of a user mistake, or of a file that cannot be read or written. */
    public static final int USER_ERROR = 2;
    /** Exit status of a training run stopped by a NaN or infinite loss or gradient. */
    public static final int TRAINING_DIVERGED = 3;

    private Main() {
    }

    /** Runs a command and exits with its status. */
    public static void main(String[] args) {
        // reports are drawn off-screen; without this an unset or dead DISPLAY breaks them
        System.setProperty("java.awt.headless", "true");
        Thread.setDefaultUncaughtExceptionHandler(Main::uncaught);
        Relauncher.watchParent();
        if (Relauncher.relaunchWithVectorModule(args)) {
            return;
        }
        System.exit(run(args));
    }

    /**
     * The library's logger, kept so the level set on it is not lost to garbage collection. The CLI
     * prints the kernels in use itself where it matters (train, bench), so the library's INFO line
     * would only add a timestamped line to every command's stderr; its WARNINGs (scalar fallback)
     * still show, and {@code --debug} shows everything.
     */
    private static final java.util.logging.Logger LIBRARY_LOG = java.util.logging.Logger.getLogger("org.cnn4j");

    /** Runs a command and returns its exit status (for tests). */
    public static int run(String... args) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        LIBRARY_LOG.setLevel(debug ? java.util.logging.Level.ALL : java.util.logging.Level.WARNING);
        CommandLine cl = new CommandLine(new Main());
        // https://no-color.org: a non-empty NO_COLOR turns the help's colours off
        String noColor = System.getenv("NO_COLOR");
        if (noColor != null && !noColor.isEmpty()) {
            cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        }
        // bash/zsh completion: source <(java -jar cnn-mnist.jar generate-completion)
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (debug) {
                e.printStackTrace(err);
            }
            if (e instanceof InputException) {
                err.println("cnn-mnist: error: " + e.getMessage());
                err.flush();
                return USER_ERROR;
            }
            if (e instanceof org.cnn4j.model.TrainingDivergedException) {
                err.println("cnn-mnist: error: " + e.getMessage());
                err.flush();
                return TRAINING_DIVERGED;
            }
            err.println("cnn-mnist: internal error: " + e + (debug ? "" : " (run with --debug for details)"));
            err.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("cnn-mnist: error: " + e.getMessage().lines().findFirst().orElse("bad arguments")
                    + " (see --help)");
            err.flush();
            return USER_ERROR;
        });
        try {
            int status = cl.execute(args);
            // PrintStream swallows write errors: without this, output lost to a full disk exited 0
            if (status == 0 && System.out.checkError()) {
                PrintWriter err = cl.getErr();
                err.println("cnn-mnist: error: cannot write to standard output (a full disk, or a closed pipe): the output "
                        + "is incomplete");
                err.flush();
                return USER_ERROR;
            }
            return status;
        } catch (OutOfMemoryError e) {
            return outOfMemory(cl, e);
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean DYING = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * A throwable that ends a background thread (the main thread's are handled in {@link #run}):
     * one line, not the JVM's "Exception in thread" trace. Out of memory in any thread ends the
     * command, as it would in the main thread.
     */
    private static void uncaught(Thread t, Throwable e) {
        if (e instanceof OutOfMemoryError) {
            if (DYING.compareAndSet(false, true)) {
                System.err.println(outOfMemoryLine(e));
                System.err.flush();
                Runtime.getRuntime().halt(USER_ERROR);
            }
            return;
        }
        System.err.println("cnn-mnist: internal error in thread " + t.getName() + ": " + e);
        System.err.flush();
    }

    private static String outOfMemoryLine(Throwable e) {
        long max = Runtime.getRuntime().maxMemory() >> 20;
        return "cnn-mnist: error: out of memory (" + e.getMessage() + ", the heap may hold " + max + " MB): give the JVM "
                + "more (java -Xmx" + Math.max(1, (2 * max + 1023) / 1024) + "g -jar ...) or use less data (--limit)";
    }

    /**
     * The last resort for a size nobody checked in advance: one line, and what to do about it.
     * The commands check what they can before allocating (data set headers, model files, threads).
     */
    private static int outOfMemory(CommandLine cl, OutOfMemoryError e) {
        DYING.set(true); // a background thread that runs out of memory too stays silent
        PrintWriter err = cl.getErr();
        err.println(outOfMemoryLine(e));
        err.flush();
        return USER_ERROR;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"cnn-mnist " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (kernels: "
                    + org.cnn4j.internal.kernels.Kernels.get().name() + ", Java " + Runtime.version() + ")"};
        }
    }
}
