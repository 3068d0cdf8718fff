package org.digitlab.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.digitlab.app.model.ModelDirectory;
import org.digitlab.app.model.TestReportWriter;
import org.digitlab.data.Dataset;
import org.digitlab.data.builtin.LoadedData;
import org.digitlab.data.image.ImagePreprocessor;
import org.digitlab.data.image.PreparedImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code digitlab predict}: the most probable classes of image files, or of the images of a dataset. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict the class of image files (PNG, JPEG, BMP, GIF; any size, colour or grey) or of the "
                + "images of a dataset (its official test split when it has one).",
            "Files are made to look like the training data: grey, cropped to the ink, scaled and centred like MNIST, "
                + "and inverted when their polarity differs (a note says so); then the model's normalisation is "
                + "applied."})
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Run directory written by 'digitlab train' (or its model/ subfolder).")
    Path model;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "Image files to classify.")
    List<Path> files = new ArrayList<>();

    @Mixin
    DataOptions data;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "With a dataset: only its first N images (0 = all). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3",
            description = "Classes listed per image, most probable first (at most the number of classes). "
                    + "Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--json", description = "Print one JSON array: {file, predicted, top: [{label, probability}]} "
            + "per image, plus note/inverted for files and true for dataset images.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** One classified image; {@code trueLabel} is -1 and {@code prepared} null where unknown. */
    private record Prediction(String name, float[] probabilities, int predicted, int trueLabel,
                              PreparedImage prepared) {
    }

    @Override
    public Integer call() throws Exception {
        if (files.isEmpty() == !data.given()) {
            throw new IllegalArgumentException(files.isEmpty()
                    ? "nothing to predict: give image files or folders, or one of " + DataOptions.SOURCES
                    : "give image files or a data source (" + DataOptions.SOURCES + "), not both");
        }
        if (top < 1) {
            throw new IllegalArgumentException("--top must be ≥ 1, got " + top);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be ≥ 0 (0 = all), got " + limit);
        }
        List<Prediction> predictions;
        List<String> names;
        try (ModelDirectory trained = ModelDirectory.open(model)) {
            predictions = files.isEmpty() ? predictDataset(trained) : predictFiles(trained);
            names = trained.classNames();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(toJson(predictions, names)));
        } else {
            PrintWriter err = spec.commandLine().getErr();
            for (Prediction p : predictions) {
                if (p.prepared() != null && p.prepared().inverted()) {
                    err.println("note: " + p.name() + ": " + p.prepared().note());
                }
                out.println(toText(p, names));
            }
            err.flush();
        }
        out.flush();
        return 0;
    }

    private List<Prediction> predictFiles(ModelDirectory trained) {
        ImagePreprocessor preprocessor = trained.preprocessor();
        int pixels = preprocessor.target().pixelsPerImage();
        List<PreparedImage> prepared = new ArrayList<>();
        float[] batch = new float[files.size() * pixels];
        for (Path file : files) {
            PreparedImage image = preprocessor.prepare(file);
            System.arraycopy(image.pixels(), 0, batch, prepared.size() * pixels, pixels);
            prepared.add(image);
        }
        float[][] probabilities = trained.predict(batch, prepared.size());
        int[] predicted = TestReportWriter.predictedLabels(probabilities);
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            out.add(new Prediction(prepared.get(i).source(), probabilities[i], predicted[i], -1, prepared.get(i)));
        }
        return out;
    }

    private List<Prediction> predictDataset(ModelDirectory trained) {
        LoadedData loaded = data.load();
        Dataset source = loaded.test() != null ? loaded.test() : loaded.train();
        if (limit > 0 && limit < source.size()) {
            source = source.subset(IntStream.range(0, limit).toArray());
        }
        Dataset images = trained.compatible(source, loaded.name());
        float[][] probabilities = trained.predict(images);
        int[] predicted = TestReportWriter.predictedLabels(probabilities);
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            out.add(new Prediction(loaded.name() + "#" + i, probabilities[i], predicted[i], images.label(i), null));
        }
        return out;
    }

    /** Class indices of the {@code --top} largest probabilities, largest first (ties: lower index first). */
    private int[] topClasses(float[] probabilities) {
        return IntStream.range(0, probabilities.length).boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> -probabilities[c]))
                .limit(top).mapToInt(Integer::intValue).toArray();
    }

    private String toText(Prediction p, List<String> names) {
        StringBuilder line = new StringBuilder(p.name()).append(": ").append(names.get(p.predicted()));
        if (p.trueLabel() >= 0) {
            line.append(" (true ").append(names.get(p.trueLabel())).append(')');
        }
        line.append("   top:");
        for (int c : topClasses(p.probabilities())) {
            line.append(String.format(Locale.ROOT, "  %s %.4f", names.get(c), p.probabilities()[c]));
        }
        return line.toString();
    }

    private ArrayNode toJson(List<Prediction> predictions, List<String> names) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (Prediction p : predictions) {
            ObjectNode node = array.addObject();
            node.put("file", p.name());
            node.put("predicted", names.get(p.predicted()));
            ArrayNode topNode = node.putArray("top");
            for (int c : topClasses(p.probabilities())) {
                topNode.addObject().put("label", names.get(c)).put("probability", p.probabilities()[c]);
            }
            if (p.trueLabel() >= 0) {
                node.put("true", names.get(p.trueLabel()));
            }
            if (p.prepared() != null) {
                node.put("inverted", p.prepared().inverted());
                node.put("note", p.prepared().note());
            }
        }
        return array;
    }
}
