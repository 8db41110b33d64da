package org.cnn4j.io;

import java.util.Objects;

/**
 * Text that came from a file or a user (a configuration string, a CSV field), made safe to quote
 * in a one-line error message. Such text can hold line breaks, escape sequences or megabytes; quoted
 * as it is, it would break the message's one line, rewrite the terminal, or flood it.
 */
public final class MessageText {
    private MessageText() {
    }

    /**
     * {@code text} as one short line: each control character (U+0000 to U+001F and U+007F, so line
     * breaks, tabs and the ESC of terminal escape sequences) becomes {@code '?'}, and text longer than
     * {@code maxChars} characters is cut there and ends with {@code "..."}. A cut never splits a
     * surrogate pair: if it would, the pair is left out too.
     *
     * <p>For example {@code oneLine("a\nb", 10)} is {@code "a?b"} and {@code oneLine("abcdef", 3)} is
     * {@code "abc..."}.
     *
     * @param text the text to quote, not null
     * @param maxChars how many characters ({@code char}s) of {@code text} to keep at most, not negative
     * @return the text to put in the message: at most {@code maxChars + 3} characters, none of them a
     *     control character
     */
    public static String oneLine(String text, int maxChars) {
        Objects.requireNonNull(text, "text");
        if (maxChars < 0) {
            throw new IllegalArgumentException("maxChars " + maxChars + " is negative");
        }
        boolean cut = text.length() > maxChars;
        int end = cut ? maxChars : text.length();
        if (cut && end > 0 && Character.isSurrogatePair(text.charAt(end - 1), text.charAt(end))) {
            end--;
        }
        StringBuilder sb = new StringBuilder(end + 3);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return cut ? sb.append("...").toString() : sb.toString();
    }
}
