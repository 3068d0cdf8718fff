package org.digitlab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.digitlab.model.Activation.RELU;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.digitlab.model.LayerSpec.ActivationLayer;
import org.digitlab.model.LayerSpec.AvgPool;
import org.digitlab.model.LayerSpec.BatchNorm;
import org.digitlab.model.LayerSpec.Conv2D;
import org.digitlab.model.LayerSpec.Dense;
import org.digitlab.model.LayerSpec.Dropout;
import org.digitlab.model.LayerSpec.Flatten;
import org.digitlab.model.LayerSpec.GlobalAvgPool;
import org.digitlab.model.LayerSpec.MaxPool;
import org.digitlab.model.LayerSpec.Residual;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

class CheckpointAndExportTest {
    private static final ModelSpec SPEC =
            new ModelSpec(
                    8, 8, 1,
                    List.of(
                            new Conv2D(4, 3, RELU),
                            new BatchNorm(0.9, 1e-3),
                            new MaxPool(2),
                            new Flatten(),
                            new Dense(8, RELU),
                            new Dropout(0.25)),
                    Head.softmax(3));
    private static final int N = 30;

    @TempDir Path dir;

    private final int[] labels = new int[N];
    private final float[] images = Harness.images(N, 8, 8, 1, 3, labels, 9);

    /** Trains a few steps (moving BN statistics too) and saves a checkpoint; returns its probabilities. */
    private float[] trainAndSave(Path prefix) throws Exception {
        return trainAndSave(SPEC, prefix, null);
    }

    private float[] trainAndSave(Path prefix, String scope) throws Exception {
        return trainAndSave(SPEC, prefix, scope);
    }

    private float[] trainAndSave(ModelSpec spec, Path prefix, String scope) throws Exception {
        try (Harness h = new Harness(spec, 1, 0.05f, scope)) {
            for (int step = 0; step < 5; step++) {
                h.step(images, labels, step);
            }
            VariableCheckpoint checkpoint =
                    VariableCheckpoint.build(h.tf, h.model.checkpointVariables());
            checkpoint.save(h.session, prefix);
            return h.run(h.model.probabilities(), images, labels, false, 0);
        }
    }

    @Test
    void restoredCheckpointInFreshGraphGivesIdenticalPredictions() throws Exception {
        Path prefix = dir.resolve("ckpt");
        float[] expected = trainAndSave(prefix);
        assertThat(prefix.resolveSibling("ckpt.index")).isRegularFile();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("ckpt.index", "ckpt.data-00000-of-00001");
        }
        try (Harness fresh = new Harness(SPEC, 99, 0.05f)) {
            float[] before = fresh.run(fresh.model.probabilities(), images, labels, false, 0);
            assertThat(before).isNotEqualTo(expected);
            VariableCheckpoint.build(fresh.tf, fresh.model.checkpointVariables())
                    .restore(fresh.session, prefix);
            assertThat(fresh.run(fresh.model.probabilities(), images, labels, false, 0))
                    .containsExactly(expected);
        }
    }

    @Test
    void savingTwiceReplacesTheCheckpoint() throws Exception {
        Path prefix = dir.resolve("ckpt");
        trainAndSave(prefix);
        float[] second;
        try (Harness h = new Harness(SPEC, 5, 0.05f)) {
            VariableCheckpoint.build(h.tf, h.model.checkpointVariables()).save(h.session, prefix);
            second = h.run(h.model.probabilities(), images, labels, false, 0);
        }
        try (Harness fresh = new Harness(SPEC, 6, 0.05f)) {
            VariableCheckpoint.build(fresh.tf, fresh.model.checkpointVariables())
                    .restore(fresh.session, prefix);
            assertThat(fresh.run(fresh.model.probabilities(), images, labels, false, 0))
                    .containsExactly(second);
        }
    }

    @Test
    void modelBuiltUnderAScopeExportsByScopeRelativeNames() throws Exception {
        Path prefix = dir.resolve("ckpt");
        float[] expected = trainAndSave(prefix, "train");
        Path export = dir.resolve("model");
        SavedModelExport.export(SPEC, prefix, export);
        try (SavedModelPredictor predictor = SavedModelPredictor.open(export)) {
            float[][] p = predictor.predict(images, N);
            assertThat(p[N - 1]).containsExactly(new float[] {
                    expected[3 * N - 3], expected[3 * N - 2], expected[3 * N - 1]}, within(1e-6f));
        }
    }

    @Test
    void aFreshProcessLoadsTheSavedModelAndGetsIdenticalProbabilities() throws Exception {
        Path prefix = dir.resolve("ckpt");
        float[] expected = trainAndSave(prefix);
        Path export = dir.resolve("model");
        SavedModelExport.export(SPEC, prefix, export);
        float[] inProcess;
        try (SavedModelPredictor predictor = SavedModelPredictor.open(export)) {
            float[][] p = predictor.predict(images, N);
            inProcess = new float[3 * N];
            for (int i = 0; i < N; i++) {
                System.arraycopy(p[i], 0, inProcess, 3 * i, 3);
            }
        }
        assertThat(inProcess).containsExactly(expected, within(1e-6f));

        Process process =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp", System.getProperty("java.class.path"),
                                SavedModelProbe.class.getName(), export.toString(), String.valueOf(N), "9")
                        .redirectErrorStream(true)
                        .start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
        String line = output.lines().filter(l -> l.startsWith("PROBS ")).findFirst().orElseThrow();
        String[] bits = line.substring(6).split(" ");
        float[] fresh = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            fresh[i] = Float.intBitsToFloat(Integer.parseInt(bits[i]));
        }
        assertThat(fresh).containsExactly(inProcess);
    }

    @Test
    void aResidualModelRestoresAndExportsTheProbabilitiesItTrainedTo() throws Exception {
        ModelSpec residual = new ModelSpec(8, 8, 1, List.of(
                new Conv2D(4, 3, 1, Padding.SAME, Activation.LINEAR, 0, false),
                new BatchNorm(0.9, 1e-3),
                new ActivationLayer(RELU),
                new Residual(List.of(
                        new Conv2D(8, 3, 2, Padding.SAME, Activation.LINEAR, 0, false), new BatchNorm(0.9, 1e-3),
                        new ActivationLayer(RELU), new Dropout(0.2),
                        new Conv2D(8, 3, 1, Padding.SAME, Activation.LINEAR, 0, false), new BatchNorm(0.9, 1e-3)),
                        RELU),
                new AvgPool(2),
                new GlobalAvgPool()), Head.softmax(3));
        Path prefix = dir.resolve("ckpt");
        float[] expected = trainAndSave(residual, prefix, "train");
        try (Harness fresh = new Harness(residual, 99, 0.05f)) {
            assertThat(fresh.run(fresh.model.probabilities(), images, labels, false, 0)).isNotEqualTo(expected);
            VariableCheckpoint.build(fresh.tf, fresh.model.checkpointVariables()).restore(fresh.session, prefix);
            assertThat(fresh.run(fresh.model.probabilities(), images, labels, false, 0)).containsExactly(expected);
        }
        Path export = dir.resolve("model");
        SavedModelExport.export(residual, prefix, export);
        assertThat(SavedModelExport.readSpec(export)).isEqualTo(residual);
        try (SavedModelPredictor predictor = SavedModelPredictor.open(export)) {
            float[][] p = predictor.predict(images, N);
            for (int i = 0; i < N; i++) {
                assertThat(p[i]).containsExactly(java.util.Arrays.copyOfRange(expected, 3 * i, 3 * i + 3),
                        within(1e-6f));
            }
        }
    }

    @Test
    void restoringAMissingCheckpointNamesIt() {
        try (Harness h = new Harness(SPEC, 1, 0.05f)) {
            VariableCheckpoint checkpoint = VariableCheckpoint.build(h.tf, h.model.trainableVariables());
            assertThat(checkpoint.keys()).startsWith("conv2d_0/kernel");
            assertThatThrownBy(() -> checkpoint.restore(h.session, dir.resolve("nope")))
                    .isInstanceOf(NoSuchFileException.class)
                    .hasMessageContaining("nope.index");
        }
    }

    @Test
    void savedModelGivesTheTrainedProbabilities() throws Exception {
        Path prefix = dir.resolve("ckpt");
        float[] expected = trainAndSave(prefix);
        Path export = dir.resolve("model");
        SavedModelExport.export(SPEC, prefix, export);
        assertThat(export.resolve("saved_model.pb")).isRegularFile();
        assertThat(SavedModelExport.readSpec(export)).isEqualTo(SPEC);

        try (SavedModelPredictor predictor = SavedModelPredictor.open(export)) {
            float[][] p = predictor.predict(images, N);
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < 3; k++) {
                    assertThat(p[i][k]).isCloseTo(expected[i * 3 + k], within(1e-6f));
                }
            }
            assertThatThrownBy(() -> predictor.predict(images, N + 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected 31 images of 64 pixels");
        }

        // Plain TensorFlow Java, as any consumer would load it.
        try (SavedModelBundle bundle = SavedModelBundle.load(export.toString(), "serve");
                TFloat32 x = TFloat32.tensorOf(Shape.of(N, 8, 8, 1), DataBuffers.of(images, true, false));
                Result result = bundle.function("serving_default").call(Map.of("images", x))) {
            TFloat32 p = (TFloat32) result.get("probabilities").orElseThrow();
            assertThat(p.shape()).isEqualTo(Shape.of(N, 3));
            float[] flat = new float[N * 3];
            p.copyTo(DataBuffers.of(flat, false, false));
            assertThat(flat).containsExactly(expected, within(1e-6f));
        }

        assertThatThrownBy(() -> SavedModelPredictor.open(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a SavedModel directory");

        // A second export replaces the first.
        SavedModelExport.export(SPEC, prefix, export);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("ckpt.index", "ckpt.data-00000-of-00001", "model");
        }
    }
}
