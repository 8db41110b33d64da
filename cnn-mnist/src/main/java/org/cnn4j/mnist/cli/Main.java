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
        if (Relauncher.relaunchWithVectorModule(args)) {
            return;
        }
        System.exit(run(args));
    }

    /** Runs a command and returns its exit status (for tests). */
    public static int run(String... args) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
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
        return cl.execute(args);
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
