package org.cnn4j.mnist.cli;

/** Entry point of {@code java -jar cnn-mnist.jar}. */
public final class Main {
    private Main() {
    }

    /** Runs a command. */
    public static void main(String[] args) {
        System.out.println("cnn-mnist: commands are coming");
    }
}
