package org.digitlab.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.digitlab.data.DatasetSummary;
import org.digitlab.data.builtin.LoadedData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code digitlab inspect}: what a dataset holds (size, shape, class counts, pixel statistics). */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print a summary of a dataset: samples, image shape, class counts, pixel statistics. "
                + "For datasets with an official test split the training part is summarised.")
final class InspectCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--json", description = "Print one JSON object (the training part only) instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LoadedData loaded = data.load();
        DatasetSummary train = DatasetSummary.of(loaded.train());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(toJson(train)));
        } else if (loaded.test() == null) {
            out.println("dataset: " + loaded.name());
            out.print(train.toText());
        } else {
            out.println("dataset: " + loaded.name() + " — training split (the official test split follows)");
            out.print(train.toText());
            out.println();
            out.println("test split:");
            out.print(DatasetSummary.of(loaded.test()).toText());
        }
        out.flush();
        return 0;
    }

    private static ObjectNode toJson(DatasetSummary summary) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("samples", summary.samples());
        node.put("height", summary.height());
        node.put("width", summary.width());
        node.put("channels", summary.channels());
        node.put("classes", summary.classes());
        summary.classCounts().forEach(node.putArray("class_counts")::add);
        node.put("pixel_min", summary.pixelMin());
        node.put("pixel_max", summary.pixelMax());
        node.put("pixel_mean", summary.pixelMean());
        return node;
    }
}
