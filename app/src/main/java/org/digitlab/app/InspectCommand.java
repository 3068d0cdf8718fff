package org.digitlab.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
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
            out.println(new ObjectMapper().writeValueAsString(toJson(train, folder)));
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

    private static ObjectNode toJson(DatasetSummary summary, ImageFolder folder) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("samples", summary.samples());
        node.put("height", summary.height());
        node.put("width", summary.width());
        node.put("channels", summary.channels());
        node.put("classes", summary.classes());
        summary.classNames().forEach(node.putArray("class_names")::add);
        summary.classCounts().forEach(node.putArray("class_counts")::add);
        node.put("pixel_min", summary.pixelMin());
        node.put("pixel_max", summary.pixelMax());
        node.put("pixel_mean", summary.pixelMean());
        summary.channelMean().forEach(node.putArray("channel_mean")::add);
        summary.channelStd().forEach(node.putArray("channel_std")::add);
        if (folder != null) {
            node.put("color", folder.color().name().toLowerCase(Locale.ROOT));
            node.put("from_cache", folder.fromCache());
            ArrayNode skipped = node.putArray("skipped");
            for (SkippedFile file : folder.skipped()) {
                skipped.addObject().put("file", file.file())
                        .put("reason", file.reason().name().toLowerCase(Locale.ROOT)).put("detail", file.detail());
            }
        }
        return node;
    }
}
