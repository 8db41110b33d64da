package org.cnn4j.mnist.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The failure path of the apt source; the success path needs a Debian mirror and is covered by
 * the opt-in {@link RealFashionFetchTest}.
 */
class DebianPackageSourceTest {
    @Test
    void failsForAnUnknownPackageOnceNotPerFile() throws IOException {
        try (DebianPackageSource source = new DebianPackageSource("cnn4j-no-such-package",
                "/usr/share/datasets/nothing/", Duration.ofSeconds(30))) {
            IOException first = catchThrowableOfType(IOException.class, () -> source.open("a"));
            IOException second = catchThrowableOfType(IOException.class, () -> source.open("b"));

            assertThat(source.description()).isEqualTo("apt-get download cnn4j-no-such-package");
            // Without apt-get this fails at the lookup; with it, apt-get knows no such package.
            assertThat(first).hasMessageMatching(
                    "apt-get is not on the PATH|.*apt-get download cnn4j-no-such-package failed \\(exit \\d+\\).*");
            assertThat(second).isSameAs(first);
        }
    }
}
