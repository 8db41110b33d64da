package org.cnn4j.internal.config;

/**
 * Boolean settings read back from a configuration (a model file's layer, loss, optimizer and
 * schedule settings). Every writer stores {@code Boolean.toString}, so only {@code "true"} and
 * {@code "false"} are read: {@code Boolean.parseBoolean} took anything else, {@code "yes"} or
 * {@code "TRUE "} included, as false.
 */
public final class Booleans {
    private Booleans() {
    }

    /**
     * {@code "true"} or {@code "false"}, exactly.
     *
     * @param what what the setting belongs to, for the message, such as {@code "optimizer configuration"}
     * @param key the setting's name
     * @param value the stored value
     * @return the value
     * @throws IllegalArgumentException naming the key and the value for anything else, null included
     */
    public static boolean parse(String what, String key, String value) {
        if ("true".equals(value)) {
            return true;
        }
        if ("false".equals(value)) {
            return false;
        }
        throw new IllegalArgumentException(what + " '" + key + "' is not true or false: "
                + (value == null ? "missing" : "'" + value + "'"));
    }
}
