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
        out.println();
        out.println("Every preset runs on any data source (--image-dir, --npz, --csv, …): its model adapts to the");
        out.println("images' size, channels and classes, and pixels are standardised per channel with statistics");
        out.println("fitted on the training split. Layer sizes quoted above are for 28×28 grey images.");
        out.flush();
        return 0;
    }
}
