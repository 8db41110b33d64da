package org.cnn4j.mnist.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one-line writer of the commands' {@code --json}, read back by the server's parser. */
class JsonTest {
    @Test
    void writesOneLineThatParsesBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", "a \"b\"\\c\nd\u0001");
        m.put("accuracy", 0.5);
        m.put("loss", Double.NaN);
        m.put("epochs", 3);
        m.put("shape", new int[] {1, 28, 28});
        m.put("ok", true);
        m.put("none", null);
        m.put("path", java.nio.file.Path.of("runs/x"));
        String text = Json.write(m);
        assertThat(text).isEqualTo("{\"file\": \"a \\\"b\\\"\\\\c\\nd\\u0001\", \"accuracy\": 0.5, \"loss\": null, "
                + "\"epochs\": 3, \"shape\": [1, 28, 28], \"ok\": true, \"none\": null, \"path\": \"runs/x\"}");
        Map<?, ?> back = (Map<?, ?>) Json.parse(text);
        assertThat(back.get("file")).isEqualTo(m.get("file"));
        assertThat(back.get("shape")).isEqualTo(List.of(1.0, 28.0, 28.0));
        assertThat(back.containsKey("loss") && back.get("loss") == null).isTrue();
    }
}
