package org.digitlab.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
            out.println(toJson(train));
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

    /** Jackson's streaming writer rather than its ObjectMapper: a quarter of the classes to load, a faster start. */
    private static String toJson(DatasetSummary summary) throws IOException {
        StringWriter json = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(json)) {
            g.writeStartObject();
            g.writeNumberField("samples", summary.samples());
            g.writeNumberField("height", summary.height());
            g.writeNumberField("width", summary.width());
            g.writeNumberField("channels", summary.channels());
            g.writeNumberField("classes", summary.classes());
            g.writeArrayFieldStart("class_counts");
            for (int count : summary.classCounts()) {
                g.writeNumber(count);
            }
            g.writeEndArray();
            g.writeNumberField("pixel_min", summary.pixelMin());
            g.writeNumberField("pixel_max", summary.pixelMax());
            g.writeNumberField("pixel_mean", summary.pixelMean());
            g.writeEndObject();
        }
        return json.toString();
    }
}
