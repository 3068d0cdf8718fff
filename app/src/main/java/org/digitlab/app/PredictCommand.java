package org.digitlab.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.digitlab.app.model.DatasetInfo;
import org.digitlab.app.model.ModelDirectory;
import org.digitlab.app.model.TestReportWriter;
import org.digitlab.data.Dataset;
import org.digitlab.data.StratifiedSplit;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.builtin.LoadedData;
import org.digitlab.data.image.ImageConversion;
import org.digitlab.data.image.ImageFiles;
import org.digitlab.data.image.ImagePreprocessor;
import org.digitlab.data.image.PreparedImage;
import org.digitlab.evaluation.ReportFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code digitlab predict}: the most probable classes of image files and folders, or of the images of a dataset. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict the class of image files (PNG, JPEG, BMP, GIF; any size, colour or grey), of every "
                + "image in folders (searched recursively), or of the images of a dataset (its official test split "
                + "when it has one).",
            "Files are prepared as the model's training images were: 'plain' converts the whole image to the "
                + "model's colour and size (" + ImageConversion.RESIZE_METHOD + "); 'mnist', the default only for "
                + "models trained on MNIST-style digits, makes it grey, inverts it when its polarity differs from "
                + "the training data's (a note says so), crops it to the ink, scales and centres it by mass as "
                + "MNIST was made. Then the model's normalisation is applied."})
final class PredictCommand implements Callable<Integer>, UsesTensorFlow {
    /** Files decoded and predicted at a time, so a folder of any size fits in memory. */
    private static final int CHUNK = 2048;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Run directory written by 'digitlab train' (or its model/ subfolder).")
    Path model;

    @Parameters(paramLabel = "IMAGE|DIR", arity = "0..*",
            description = "Image files, or folders whose images (in subfolders too) are classified.")
    List<Path> files = new ArrayList<>();

    @Mixin
    DataOptions data;

    @Option(names = "--prepare", paramLabel = "mnist|plain",
            description = "How image files are prepared (see above). Default: what the model's run recorded.")
    String prepare;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Also write predictions.csv (index,file,predicted,p_NAME,…) into DIR.")
    Path out;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "With a dataset: only a stratified sample of N of its images (0 = all). Default: "
                    + "${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3",
            description = "Classes listed per image, most probable first (at most the number of classes). "
                    + "Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--json", description = "Print one JSON array: {file, predicted, top: [{label, probability}], "
            + "preparation} per image, plus note/inverted for MNIST-style preparation and true for dataset images.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** The bad image files skipped by the last prediction, as their error messages. */
    private final List<String> skipped = new ArrayList<>();

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
        String preparation = null;
        try (ModelDirectory trained = ModelDirectory.open(model)) {
            names = trained.classNames();
            if (files.isEmpty()) {
                predictions = predictDataset(trained);
            } else {
                preparation = prepare == null ? trained.dataset().preparation() : DatasetInfo.checkPreparation(prepare);
                predictions = predictFiles(trained, imageFiles(), preparation);
            }
        }
        if (out != null) {
            writeCsv(predictions, names);
        }
        PrintWriter warnings = spec.commandLine().getErr();
        for (String bad : skipped) {
            warnings.println("warning: skipped bad image " + bad);
        }
        PrintWriter printer = spec.commandLine().getOut();
        if (json) {
            printer.println(new ObjectMapper().writeValueAsString(toJson(predictions, names, preparation)));
        } else {
            PrintWriter err = spec.commandLine().getErr();
            if (preparation != null) {
                err.println("preparation: " + preparation + (prepare == null ? " (as the model's run recorded)" : ""));
            }
            for (Prediction p : predictions) {
                if (p.prepared() != null && p.prepared().inverted()) {
                    err.println("note: " + p.name() + ": " + p.prepared().note());
                }
                printer.println(toText(p, names));
            }
            err.flush();
        }
        printer.flush();
        return 0;
    }

    /** The files given, folders replaced by their image files in natural order, spelt as the user spelt them. */
    private List<Path> imageFiles() {
        List<Path> all = new ArrayList<>();
        for (Path given : files) {
            if (Files.isDirectory(given)) {
                List<Path> found = ImageFiles.listImages(given);
                if (found.isEmpty()) {
                    throw InvalidDataException.of(given, "holds no image files (PNG, JPEG, BMP or GIF)");
                }
                all.addAll(found);
            } else {
                all.add(given);
            }
        }
        return all;
    }

    private List<Prediction> predictFiles(ModelDirectory trained, List<Path> paths, String preparation) {
        ImageShape shape = trained.dataset().shape();
        ImagePreprocessor preprocessor = preparation.equals(DatasetInfo.MNIST) ? trained.preprocessor() : null;
        float scale = trained.dataset().pixelMax() / 255f;
        skipped.clear();
        int pixels = shape.pixelsPerImage();
        List<Prediction> results = new ArrayList<>();
        for (int from = 0; from < paths.size(); from += CHUNK) {
            List<Path> chunk = paths.subList(from, Math.min(paths.size(), from + CHUNK));
            PreparedImage[] prepared = new PreparedImage[chunk.size()];
            float[] batch = new float[chunk.size() * pixels];
            InvalidDataException[] bad = new InvalidDataException[chunk.size()];
            IntStream.range(0, chunk.size()).parallel().forEach(i -> {
                Path file = chunk.get(i);
                try {
                    if (preprocessor != null) {
                        prepared[i] = preprocessor.prepare(file);
                        System.arraycopy(prepared[i].pixels(), 0, batch, i * pixels, pixels);
                    } else {
                        byte[] bytes = ImageConversion.toPixels(file, shape);
                        for (int p = 0; p < pixels; p++) {
                            batch[i * pixels + p] = (bytes[p] & 0xFF) * scale;
                        }
                    }
                } catch (InvalidDataException e) {
                    bad[i] = e;
                }
            });
            for (InvalidDataException e : bad) {
                if (e != null && !data.skipBadImages) {
                    throw InvalidDataException.of(e.source(), e.problem() + " (--skip-bad-images skips such files)",
                            e);
                }
            }
            float[][] probabilities = trained.predict(batch, chunk.size());
            int[] predicted = TestReportWriter.predictedLabels(probabilities);
            for (int i = 0; i < chunk.size(); i++) {
                if (bad[i] != null) {
                    skipped.add(bad[i].getMessage());
                } else {
                    results.add(new Prediction(chunk.get(i).toString(), probabilities[i], predicted[i], -1,
                            prepared[i]));
                }
            }
        }
        return results;
    }

    private List<Prediction> predictDataset(ModelDirectory trained) {
        data.defaultImageShape(trained.dataset().shape());
        LoadedData loaded = data.load();
        Dataset source = loaded.test() != null ? loaded.test() : loaded.train();
        if (limit > 0) {
            source = StratifiedSplit.sample(source, limit, 0);
        }
        Dataset images = trained.compatible(source, loaded.name());
        float[][] probabilities = trained.predict(images);
        int[] predicted = TestReportWriter.predictedLabels(probabilities);
        List<Prediction> results = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            String name = images.hasFiles() ? images.file(i) : loaded.name() + "#" + i;
            results.add(new Prediction(name, probabilities[i], predicted[i], images.label(i), null));
        }
        return results;
    }

    private void writeCsv(List<Prediction> predictions, List<String> names) {
        boolean labelled = !predictions.isEmpty() && predictions.get(0).trueLabel() >= 0;
        int[] yTrue = labelled ? predictions.stream().mapToInt(Prediction::trueLabel).toArray() : null;
        int[] yPred = predictions.stream().mapToInt(Prediction::predicted).toArray();
        float[][] probabilities = predictions.stream().map(Prediction::probabilities).toArray(float[][]::new);
        List<String> fileNames = predictions.stream().map(Prediction::name).toList();
        try {
            ReportFiles.writePredictionsCsv(out.resolve(TestReportWriter.PREDICTIONS), names, yTrue, yPred,
                    probabilities, fileNames);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve(TestReportWriter.PREDICTIONS) + ": "
                    + e.getMessage(), e);
        }
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

    private ArrayNode toJson(List<Prediction> predictions, List<String> names, String preparation) {
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
            if (preparation != null) {
                node.put("preparation", preparation);
            }
            if (p.prepared() != null) {
                node.put("inverted", p.prepared().inverted());
                node.put("note", p.prepared().note());
            }
        }
        return array;
    }
}
