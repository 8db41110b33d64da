package org.cnn4j.mnist.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.cnn4j.mnist.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * A run's options as a checkpoint stores them, read from picocli's model of the command instead
 * of a list kept by hand: every option of the named mixins is recorded (as the string it would be
 * given as; paths absolute, names lower-case, "" when unset), compared with what a resuming command
 * line says, and restored by letting picocli parse the recorded strings again. An option a
 * checkpoint does not record (an older run) keeps its default.
 */
final class RunOptions {
    private RunOptions() {
    }

    /** The options of the mixins {@code mixins} of {@code spec}, by their longest name. */
    static Map<String, String> record(CommandSpec spec, List<String> mixins) {
        Map<String, String> m = new LinkedHashMap<>();
        for (OptionSpec o : options(spec, mixins)) {
            m.put(o.longestName(), asString(o.getValue()));
        }
        return m;
    }

    /**
     * Sets the options to the recorded ones. An option given on this command line must say the
     * same, except those in {@code mayChange}.
     *
     * @throws InputException naming the first option that conflicts, or a recorded value that no longer parses
     */
    static void restore(CommandSpec spec, List<String> mixins, Map<String, String> recorded, List<String> mayChange,
            String checkpoint, Path runDir) {
        ParseResult given = spec.commandLine().getParseResult();
        Map<String, String> now = record(spec, mixins);
        for (OptionSpec o : options(spec, mixins)) {
            String name = o.longestName(), was = recorded.get(name);
            if (was == null || mayChange.contains(name) || !given.hasMatchedOption(name) || Objects.equals(now.get(name), was)) {
                continue;
            }
            String then = was.isEmpty() || was.equals("false") ? "without it"
                    : was.equals("true") ? "with it" : "with " + name + " " + was;
            throw new InputException(name + " conflicts with the checkpoint in " + runDir + ", whose run was started "
                    + then + " (a resumed run keeps its options; leave " + name + " out)");
        }
        for (OptionSpec o : options(spec, mixins)) {
            String name = o.longestName(), was = recorded.get(name);
            if (was == null || (mayChange.contains(name) && given.hasMatchedOption(name))) {
                continue;
            }
            o.setValue(parse(o, was, checkpoint));
        }
    }

    /** The recorded string back as the option's value, converted by picocli as if typed. */
    private static Object parse(OptionSpec o, String value, String checkpoint) {
        boolean flag = o.arity().max() == 0;
        if (value.isEmpty() || (flag && !value.equals("true"))) {
            return flag ? Boolean.FALSE : null;
        }
        if (flag) {
            return Boolean.TRUE;
        }
        CommandSpec one = CommandSpec.create().addOption(OptionSpec.builder(o.longestName()).type(o.type())
                .arity("1").build());
        try {
            new CommandLine(one).parseArgs(o.longestName(), value);
        } catch (CommandLine.ParameterException e) {
            throw new InputException(checkpoint + ": malformed option in the checkpoint (" + o.longestName() + " " + value + ")", e);
        }
        return one.findOption(o.longestName()).getValue();
    }

    private static List<OptionSpec> options(CommandSpec spec, List<String> mixins) {
        List<OptionSpec> all = new ArrayList<>();
        for (String name : mixins) {
            CommandSpec mixin = spec.mixins().get(name);
            if (mixin == null) {
                throw new IllegalStateException("no mixin " + name);
            }
            all.addAll(mixin.options());
        }
        return all;
    }

    private static String asString(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Path p) {
            return p.toAbsolutePath().normalize().toString();
        }
        if (v instanceof String s) {
            return s.toLowerCase(Locale.ROOT);
        }
        return v.toString();
    }
}
