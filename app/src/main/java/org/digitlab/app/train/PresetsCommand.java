package org.digitlab.app.train;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code digitlab presets}: the experiment presets of {@code train --preset}, one line each. */
@Command(name = "presets", mixinStandardHelpOptions = true,
        description = "List the experiment presets of 'train --preset NAME', one line each.")
public final class PresetsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int width = Experiments.names().stream().mapToInt(String::length).max().orElse(0);
        for (String name : Experiments.names()) {
            out.printf("%-" + width + "s  %s%n", name, Experiments.description(name));
        }
        out.flush();
        return 0;
    }
}
