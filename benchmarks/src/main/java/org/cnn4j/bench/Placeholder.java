package org.cnn4j.bench;

/** Benchmarks live in this package. */
final class Placeholder {
    private Placeholder() {
    }
}
