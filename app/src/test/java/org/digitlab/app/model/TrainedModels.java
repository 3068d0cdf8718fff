package org.digitlab.app.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.digitlab.app.AppFiles;
import org.digitlab.data.ClassFilter;
import org.digitlab.data.Dataset;
import org.digitlab.data.Normalization;
import org.digitlab.data.builtin.BuiltinDatasets;
import org.digitlab.model.Head;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.ModelSpecs;
import org.digitlab.model.Presets;
import org.digitlab.training.Device;
import org.digitlab.training.OptimizerConfig;
import org.digitlab.training.Trainer;
import org.digitlab.training.TrainingConfig;

/**
 * Small real model directories for tests, laid out as {@code digitlab train} writes them, built with the training
 * library directly: a logistic regression on the first {@value #TRAIN_SIZE} digits of {@code mnist-sample}.
 */
public final class TrainedModels {
    /** Images trained on: the first ones of mnist-sample; tests evaluate on the rest. */
    public static final int TRAIN_SIZE = 2000;

    private static Path sharedTenClass;
    private static Path sharedSixVersusEight;

    private TrainedModels() {
    }

    /** {@link #tenClass(Path)} trained once per test JVM, for the test classes that only read it. */
    public static synchronized Path tenClass() {
        if (sharedTenClass == null) {
            sharedTenClass = tenClass(sharedDirectory("ten"));
        }
        return sharedTenClass;
    }

    /** {@link #sixVersusEight(Path)} trained once per test JVM, for the test classes that only read it. */
    public static synchronized Path sixVersusEight() {
        if (sharedSixVersusEight == null) {
            sharedSixVersusEight = sixVersusEight(sharedDirectory("six-eight"));
        }
        return sharedSixVersusEight;
    }

    /** All of mnist-sample (10,000 digits, light on dark, no official test split). */
    public static Dataset mnistSample() {
        return BuiltinDatasets.load(BuiltinDatasets.MNIST_SAMPLE, null, null).train();
    }

    /** The images of mnist-sample from {@code from} (inclusive) to {@code to} (exclusive). */
    public static Dataset range(int from, int to) {
        return mnistSample().subset(IntStream.range(from, to).toArray());
    }

    /** A 10-class softmax logistic regression, standardised inputs, 3 epochs. */
    public static Path tenClass(Path dir) {
        Dataset train = range(0, TRAIN_SIZE);
        return create(dir, Presets.model("logreg", 28, 28, 1, 10), train);
    }

    /** A binary (one sigmoid logit) logistic regression telling 6 from 8. */
    public static Path sixVersusEight(Path dir) {
        Dataset train = ClassFilter.keepNamed(range(0, TRAIN_SIZE), "6", "8");
        ModelSpec logreg = Presets.model("logreg", 28, 28, 1, 2);
        return create(dir, new ModelSpec(logreg.inputShape(), logreg.layers(), Head.binary()), train);
    }

    /** A fresh temp directory, deleted when the JVM exits. */
    private static Path sharedDirectory(String name) {
        try {
            Path dir = Files.createTempDirectory("digitlab-test-" + name);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Stream<Path> tree = Files.walk(dir)) {
                    tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                } catch (IOException e) {
                    // Only a leftover temp directory.
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path create(Path dir, ModelSpec spec, Dataset train) {
        Normalization normalization = Normalization.fitStandardize(train);
        TrainingConfig config = TrainingConfig.defaults().withEpochs(3).withBatchSize(32)
                .withOptimizer(OptimizerConfig.adam(0.01)).withDevice(Device.CPU);
        try (Trainer trainer = new Trainer(spec, normalization, config, dir)) {
            trainer.fit(train, null);
            trainer.exportSavedModel(dir.resolve(ModelDirectory.SAVED_MODEL));
            ModelSpecs.write(dir.resolve(ModelDirectory.MODEL_SPEC), spec);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        AppFiles.writeJson(dir.resolve(ModelDirectory.NORMALIZATION), normalization);
        ModelDirectory.writeDatasetInfo(dir, train, "mnist-sample",
                train.numClasses() == 10 ? null : Dataset.numericClassNames(10));
        return dir;
    }
}
