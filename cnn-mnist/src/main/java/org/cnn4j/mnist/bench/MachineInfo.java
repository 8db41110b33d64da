package org.cnn4j.mnist.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine a figure was measured on: CPU vendor, family, model and name (from
 * {@code /proc/cpuinfo} on Linux, else the JVM's {@code os.arch}), the JDK and the core count.
 * Machines of one kind differ from day to day here, so a speed figure without these cannot be
 * compared with another.
 *
 * @param vendor the CPU vendor, such as {@code AuthenticAMD}, or {@code unknown}
 * @param family the CPU family number as the kernel prints it (decimal), or {@code unknown}
 * @param model the CPU model number (decimal), or {@code unknown}
 * @param modelName the marketing name, such as {@code AMD EPYC 9R14 96-Core Processor}
 * @param jdk the Java runtime's version and VM name
 * @param cores the processors available to the JVM
 */
public record MachineInfo(String vendor, String family, String model, String modelName, String jdk, int cores) {

    /** Reads this machine's description. */
    public static MachineInfo current() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | SecurityException e) {
            lines = List.of(); // not Linux: the JVM's architecture is all we can say
        }
        return fromCpuinfo(lines, Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
                Runtime.getRuntime().availableProcessors());
    }

    /** Parses the first processor's entry of {@code /proc/cpuinfo} lines. */
    static MachineInfo fromCpuinfo(List<String> cpuinfo, String jdk, int cores) {
        String vendor = field(cpuinfo, "vendor_id");
        String name = field(cpuinfo, "model name");
        return new MachineInfo(vendor, field(cpuinfo, "cpu family"), field(cpuinfo, "model"),
                name.equals("unknown") ? System.getProperty("os.arch", "unknown") : name, jdk, cores);
    }

    private static String field(List<String> lines, String key) {
        for (String l : lines) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).trim().equals(key)) {
                return l.substring(colon + 1).trim();
            }
            if (l.isBlank() && lines.indexOf(l) > 0) {
                break; // the first processor's block is enough
            }
        }
        return "unknown";
    }

    /** One line for a report: {@code AMD EPYC ... (AuthenticAMD family 25 model 17), JDK 25+36 (...), 2 cores}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s (%s family %s model %s), JDK %s, %d cores", modelName, vendor, family, model,
                jdk, cores);
    }
}
