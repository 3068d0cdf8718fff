package org.digitlab.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.digitlab.data.DatasetSummary;
import org.digitlab.data.builtin.LoadedData;
import org.digitlab.data.image.ImageConversion;
import org.digitlab.data.image.ImageFolder;
import org.digitlab.data.image.SkippedFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code digitlab inspect}: what a dataset holds (size, shape, class counts, pixel statistics). */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print a summary of a dataset: samples, image shape, colour, classes and their counts, pixel "
                + "statistics per channel, and for an image folder the files skipped and why. For datasets with an "
                + "official test split the training part is summarised first.")
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
        ImageFolder folder = data.imageFolder();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(train, folder));
        } else {
            out.println("dataset: " + loaded.name() + " (" + data.sourceKind() + ")"
                    + (loaded.test() == null ? "" : " — training split (the official test split follows)"));
            if (folder != null) {
                out.println("colour:  " + folder.color().name().toLowerCase(Locale.ROOT)
                        + (folder.fromCache() ? " (decoded copy read from the cache)" : ""));
                out.println("resize:  " + ImageConversion.RESIZE_METHOD);
                out.println("skipped: " + (folder.skipped().isEmpty() ? "none" : folder.skippedSummary()));
                for (SkippedFile bad : folder.skipped(SkippedFile.Reason.BAD_IMAGE)) {
                    out.println("  " + bad.file() + ": " + bad.detail());
                }
            }
            out.print(train.toText());
            if (loaded.test() != null) {
                out.println();
                out.println("test split:");
                out.print(DatasetSummary.of(loaded.test()).toText());
            }
        }
        out.flush();
        return 0;
    }

    /** Jackson's streaming writer rather than its ObjectMapper: far fewer classes to load, a faster start. */
    private static String toJson(DatasetSummary summary, ImageFolder folder) throws IOException {
        StringWriter json = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(json)) {
            g.writeStartObject();
            g.writeNumberField("samples", summary.samples());
            g.writeNumberField("height", summary.height());
            g.writeNumberField("width", summary.width());
            g.writeNumberField("channels", summary.channels());
            g.writeNumberField("classes", summary.classes());
            g.writeArrayFieldStart("class_names");
            for (String name : summary.classNames()) {
                g.writeString(name);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("class_counts");
            for (int count : summary.classCounts()) {
                g.writeNumber(count);
            }
            g.writeEndArray();
            g.writeNumberField("pixel_min", summary.pixelMin());
            g.writeNumberField("pixel_max", summary.pixelMax());
            g.writeNumberField("pixel_mean", summary.pixelMean());
            numbers(g, "channel_mean", summary.channelMean());
            numbers(g, "channel_std", summary.channelStd());
            if (folder != null) {
                g.writeStringField("color", folder.color().name().toLowerCase(Locale.ROOT));
                g.writeBooleanField("from_cache", folder.fromCache());
                g.writeArrayFieldStart("skipped");
                for (SkippedFile file : folder.skipped()) {
                    g.writeStartObject();
                    g.writeStringField("file", file.file());
                    g.writeStringField("reason", file.reason().name().toLowerCase(Locale.ROOT));
                    g.writeStringField("detail", file.detail());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        return json.toString();
    }

    private static void numbers(JsonGenerator g, String field, List<Double> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (double value : values) {
            g.writeNumber(value);
        }
        g.writeEndArray();
    }
}
