package org.digitlab.app.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.digitlab.app.AppFiles;
import org.digitlab.data.CannotWriteException;
import org.digitlab.data.Checksums;
import org.digitlab.data.ClassFilter;
import org.digitlab.data.ClassLabels;
import org.digitlab.data.Dataset;
import org.digitlab.data.Normalization;
import org.digitlab.data.image.ImagePreprocessor;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.ModelSpecs;
import org.digitlab.model.SavedModelPredictor;

/**
 * A trained model as {@code digitlab train} leaves it in its run directory: the SavedModel ({@code model/}), the
 * model spec ({@code model.json}), the pixel normalisation ({@code normalization.json}) and what the training data
 * looked like ({@code dataset.json}). Predictions apply the stored normalisation, so callers hand in raw pixels
 * exactly as a dataset or {@link ImagePreprocessor} produces them.
 *
 * <pre>{@code
 * try (ModelDirectory model = ModelDirectory.open(Path.of("runs/mnist-cnn"))) {
 *     float[][] probabilities = model.predict(test);
 * }
 * }</pre>
 */
public final class ModelDirectory implements AutoCloseable {
    /** The SavedModel directory. */
    public static final String SAVED_MODEL = "model";
    /** The model spec ({@link ModelSpecs}). */
    public static final String MODEL_SPEC = "model.json";
    /** The {@link Normalization} applied to raw pixels. */
    public static final String NORMALIZATION = "normalization.json";
    /** The {@link DatasetInfo}. */
    public static final String DATASET = "dataset.json";
    /**
     * The SHA-256 of every file above ({@code sha256sum}'s format), written after them and checked by
     * {@link #open} before anything is read, so a damaged model is named rather than silently predicting otherwise.
     */
    public static final String CHECKSUMS = "model.sha256";
    /** How long {@link #open} waits before checking again a model that a training run may be replacing. */
    private static final long RECHECK_MILLIS = 500;

    static final ObjectMapper JSON = AppFiles.JSON;

    private final Path dir;
    private final ModelSpec spec;
    private final Normalization normalization;
    private final DatasetInfo dataset;
    private final SavedModelPredictor predictor;

    private ModelDirectory(Path dir, ModelSpec spec, Normalization normalization, DatasetInfo dataset,
                           SavedModelPredictor predictor) {
        this.dir = dir;
        this.spec = spec;
        this.normalization = normalization;
        this.dataset = dataset;
        this.predictor = predictor;
    }

    /**
     * Writes {@code dataset.json} describing {@code train} (from a source of kind {@code source}; its classes a
     * selection of {@code selectedFrom}, or null when all were kept) into {@code runDir} (atomically), so the model
     * can later be opened with {@link #open(Path)}.
     */
    public static void writeDatasetInfo(Path runDir, Dataset train, String source, List<String> selectedFrom) {
        AppFiles.writeJson(runDir.resolve(DATASET), DatasetInfo.of(train, source, selectedFrom));
    }

    /**
     * Writes {@code model.sha256} for the model files in {@code runDir} (those of {@code model/}, {@code model.json},
     * {@code normalization.json}, {@code dataset.json}). Call {@link #deleteChecksums} before replacing any of them
     * and this after: a crash in between leaves the model unverified, never wrongly called damaged.
     */
    public static void writeChecksums(Path runDir) {
        List<String> names = new ArrayList<>();
        try {
            names.addAll(Checksums.filesUnder(runDir, runDir.resolve(SAVED_MODEL)));
        } catch (IOException e) {
            throw CannotWriteException.of(runDir.resolve(CHECKSUMS), "checksum file", e);
        }
        for (String name : List.of(MODEL_SPEC, NORMALIZATION, DATASET)) {
            if (Files.isRegularFile(runDir.resolve(name))) {
                names.add(name);
            }
        }
        Checksums.write(runDir.resolve(CHECKSUMS), names);
    }

    /** Removes {@code model.sha256} before the model files it covers are replaced. */
    public static void deleteChecksums(Path runDir) {
        try {
            Files.deleteIfExists(runDir.resolve(CHECKSUMS));
        } catch (IOException e) {
            throw CannotWriteException.of(runDir.resolve(CHECKSUMS), e);
        }
    }

    /**
     * Opens the model in {@code dir}.
     *
     * @throws IllegalArgumentException naming the directory and the file when {@code dir} is not a model directory
     *                                  or one of its files is inconsistent with the others, or damaged (it
     *                                  does not match {@code model.sha256})
     * @throws org.digitlab.data.InvalidDataException naming the file that is unreadable or damaged
     */
    public static ModelDirectory open(Path given) {
        Path dir = runDirectoryOf(given);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model directory " + dir
                    + (Files.exists(dir) ? " is not a directory" : " does not exist"));
        }
        for (String name : List.of(MODEL_SPEC, NORMALIZATION, DATASET, SAVED_MODEL + "/saved_model.pb")) {
            // Only absence is told here; what is there but not a regular file, the reading below names.
            if (!Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException(dir + " is not a DigitLab model directory: " + name
                        + " is missing (expected the output directory of 'digitlab train')");
            }
        }
        verify(dir);
        ModelSpec spec = AppFiles.readModelSpec(dir.resolve(MODEL_SPEC));
        Normalization normalization = AppFiles.readJson(dir.resolve(NORMALIZATION), "normalization file",
                Normalization.class);
        DatasetInfo dataset = AppFiles.readJson(dir.resolve(DATASET), "dataset description", DatasetInfo.class);
        if (spec.head().numClasses() != dataset.numClasses()) {
            throw new IllegalArgumentException(dir + ": " + MODEL_SPEC + " has " + spec.head().numClasses()
                    + " classes but " + DATASET + " names " + dataset.numClasses());
        }
        if (spec.height() != dataset.height() || spec.width() != dataset.width()
                || spec.channels() != dataset.channels()) {
            throw new IllegalArgumentException(dir + ": " + MODEL_SPEC + " expects " + spec.inputShape()
                    + " images but " + DATASET + " describes " + dataset.shape());
        }
        SavedModelPredictor predictor = SavedModelPredictor.open(dir.resolve(SAVED_MODEL));
        if (predictor.pixelsPerImage() != dataset.shape().pixelsPerImage()) {
            predictor.close();
            throw new IllegalArgumentException(dir + ": the SavedModel expects " + predictor.pixelsPerImage()
                    + " pixels per image but " + DATASET + " describes " + dataset.shape());
        }
        return new ModelDirectory(dir, spec, normalization, dataset, predictor);
    }

    /**
     * Checks the model's files against {@code model.sha256} (models written before it have none, and are not
     * checked). A mismatch is checked again once, after a pause: a training run replacing the model may have been
     * between its two steps.
     */
    private static void verify(Path dir) {
        Path checksums = dir.resolve(CHECKSUMS);
        if (!Files.exists(checksums)) {
            return;
        }
        Optional<String> problem = Checksums.verify(checksums);
        if (problem.isPresent()) {
            try {
                Thread.sleep(RECHECK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            problem = Files.exists(checksums) ? Checksums.verify(checksums) : Optional.empty();
        }
        problem.ifPresent(p -> {
            throw new IllegalArgumentException("cannot use the model in " + dir + ": " + p
                    + "; train it again, or restore the directory from a copy");
        });
    }

    /**
     * The run directory {@code given} stands for: itself, or its parent when it is the run's {@code model/}
     * SavedModel subfolder (what a user who knows SavedModels points at).
     */
    private static Path runDirectoryOf(Path given) {
        Path parent = given.toAbsolutePath().normalize().getParent();
        boolean savedModel = Files.isRegularFile(given.resolve("saved_model.pb"))
                && !Files.isRegularFile(given.resolve(MODEL_SPEC));
        if (savedModel && parent != null && Files.isRegularFile(parent.resolve(MODEL_SPEC))) {
            return given.getParent() != null ? given.getParent() : parent;
        }
        return given;
    }

    /** The directory this model was read from. */
    public Path dir() {
        return dir;
    }

    /** The model spec read from {@code model.json}. */
    public ModelSpec spec() {
        return spec;
    }

    /** The pixel normalisation from {@code normalization.json}; {@code predict} applies it to raw pixels. */
    public Normalization normalization() {
        return normalization;
    }

    /** What the training data looked like. */
    public DatasetInfo dataset() {
        return dataset;
    }

    /** Class names in label order. */
    public List<String> classNames() {
        return dataset.classNames();
    }

    /** A preprocessor that makes image files look like the training data (shape, range, polarity). */
    public ImagePreprocessor preprocessor() {
        return dataset.preprocessor();
    }

    /**
     * Data made to fit a model: its labels and class names are the model's.
     *
     * @param data            the images of the model's classes
     * @param excluded        images left out because their classes are not the model's
     * @param excludedClasses those classes
     */
    public record Matched(Dataset data, int excluded, List<String> excludedClasses) {
    }

    /** {@link #compatible(Dataset, String, boolean)} refusing classes the model does not know. */
    public Dataset compatible(Dataset data, String source) {
        return compatible(data, source, false).data();
    }

    /**
     * {@code data} in the model's terms, matched by class name; numbered classes (IDX, CSV, NumPy) of a model with
     * named classes (Fashion-MNIST's) are taken as label values. Images of classes the model does not know are left
     * out (and counted) only when the model was trained on a selection of this data's classes (a 6-vs-8 model on all
     * ten digits) or when {@code excludeUnknown} says so; otherwise they are an error.
     *
     * @param source names the data in error messages
     * @throws IllegalArgumentException when the image shape or classes do not fit the model
     */
    public Matched compatible(Dataset data, String source, boolean excludeUnknown) {
        if (!data.shape().equals(dataset.shape())) {
            throw new IllegalArgumentException(source + " has " + data.shape() + " images but the model in " + dir
                    + " was trained on " + dataset.shape());
        }
        List<String> names = dataset.classNames();
        List<String> given = data.classNames();
        if (given.stream().allMatch(ModelDirectory::isNumber) && names.stream().noneMatch(ModelDirectory::isNumber)) {
            return new Matched(ClassLabels.rename(data, names, source), 0, List.of());
        }
        int[] counts = data.classCounts();
        List<String> unknown = new ArrayList<>();
        int excluded = 0;
        for (int c = 0; c < given.size(); c++) {
            if (counts[c] > 0 && !names.contains(given.get(c))) {
                unknown.add(given.get(c));
                excluded += counts[c];
            }
        }
        if (unknown.isEmpty()) {
            return new Matched(ClassLabels.align(data, names, source), 0, List.of());
        }
        boolean selection = dataset.selectedFrom() != null && dataset.selectedFrom().containsAll(unknown);
        if (!selection && !excludeUnknown) {
            throw new IllegalArgumentException(source + " holds " + excluded + " images of " + unknown.size()
                    + " classes the model does not know (" + abbreviated(unknown) + "; it was trained on "
                    + abbreviated(names) + "); give --exclude-unknown-classes to evaluate the rest");
        }
        if (excluded == data.size()) {
            throw new IllegalArgumentException(source + " holds none of the model's classes ("
                    + abbreviated(names) + ")");
        }
        return new Matched(ClassFilter.restrictTo(data, names), excluded, List.copyOf(unknown));
    }

    private static String abbreviated(List<String> names) {
        return names.size() <= 12 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 12)) + ", … (" + names.size() + " in all)";
    }

    /**
     * Class probabilities [N][K] for raw (unnormalised) images; binary models give the two columns
     * {@code 1 − p, p} (as their SavedModel does).
     *
     * @throws IllegalArgumentException when the image shape or pixel range differs from the training data's
     */
    public float[][] predict(Dataset raw) {
        if (!raw.shape().equals(dataset.shape())) {
            throw new IllegalArgumentException("the model in " + dir + " expects " + dataset.shape()
                    + " images, got " + raw.shape());
        }
        if (raw.pixelMax() != dataset.pixelMax()) {
            throw new IllegalArgumentException("the model in " + dir + " was trained on pixels up to "
                    + dataset.pixelMax() + ", but the data's pixel max is " + raw.pixelMax()
                    + " (set --pixel-max to match)");
        }
        return predict(raw.pixelsAsFloats(), raw.size());
    }

    /**
     * Class probabilities for {@code count} raw images laid out H·W·C each, channels last (e.g. the pixels of
     * {@link org.digitlab.data.image.PreparedImage}s); {@code rawPixels} is normalised in place.
     */
    public float[][] predict(float[] rawPixels, int count) {
        normalization.applyInPlace(rawPixels);
        return predictor.predict(rawPixels, count);
    }

    @Override
    public void close() {
        predictor.close();
    }

    private static boolean isNumber(String className) {
        return className.matches("\\d{1,9}");
    }

}
