package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessageTextTest {
    @Test
    void controlCharactersBecomeQuestionMarks() {
        assertThat(MessageText.oneLine("a\nb\r\nc\td\u001b[2Je\u007ff\u0000", 100)).isEqualTo("a?b??c?d?[2Je?f?");
    }

    @Test
    void otherTextIsKeptAsItIs() {
        assertThat(MessageText.oneLine("pixel1 'é' \u00a0 ≠ 😀", 100)).isEqualTo("pixel1 'é' \u00a0 ≠ 😀");
        assertThat(MessageText.oneLine("", 0)).isEmpty();
    }

    @Test
    void longTextIsCutAtMaxCharsAndMarked() {
        assertThat(MessageText.oneLine("abcdef", 6)).isEqualTo("abcdef");
        assertThat(MessageText.oneLine("abcdefg", 6)).isEqualTo("abcdef...");
        assertThat(MessageText.oneLine("ab\ncdefg", 3)).isEqualTo("ab?...");
        assertThat(MessageText.oneLine("abc", 0)).isEqualTo("...");
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String smiley = "😀"; // two chars
        assertThat(MessageText.oneLine("a" + smiley + "b", 2)).isEqualTo("a...");
        assertThat(MessageText.oneLine("a" + smiley + "b", 3)).isEqualTo("a" + smiley + "...");
    }

    @Test
    void rejectsNullAndANegativeLength() {
        assertThatThrownBy(() -> MessageText.oneLine(null, 5)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> MessageText.oneLine("a", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
