/** The README's example as a modular application: it needs cnn-core's exported packages only. */
module org.cnn4j.examples {
    requires org.cnn4j.core;

    exports org.cnn4j.examples;
}
