package org.cnn4j.mnist.cli;

import picocli.CommandLine.Option;

/**
 * {@code --debug}, declared once for every command ({@code @Mixin DebugOption debug;}) so that each
 * command's {@code --help} documents it and picocli accepts it. cnn-mnist's {@link Main} reads it
 * from the raw arguments, before parsing, so that the library's log level is set before anything
 * logs and a failure in parsing or in a command prints its stack trace; a command whose entry point
 * is its own (cnn-spark's {@code ScoreCommand}) asks {@link #on()}.
 */
public final class DebugOption {
    @Option(names = "--debug", description = "Print stack traces.")
    boolean debug;

    /** picocli makes one for each command that mixes it in. */
    public DebugOption() {
    }

    /**
     * Whether {@code --debug} was given.
     *
     * @return true to print stack traces
     */
    public boolean on() {
        return debug;
    }
}
