package org.digitlab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.digitlab.model.Activation.RELU;

import java.util.ArrayList;
import java.util.List;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ModelGraphTest {
    private static final int N = 48;

    static Stream<Arguments> oneModelPerLayerType() {
        return Stream.of(
                Arguments.of("dense", List.of(new Flatten(), new Dense(16, RELU, 1e-3))),
                Arguments.of("dense-gelu", List.of(new Flatten(), new Dense(16, Activation.GELU))),
                Arguments.of("dense-tanh", List.of(new Flatten(), new Dense(16, Activation.TANH))),
                Arguments.of("dense-elu-sigmoid",
                        List.of(new Flatten(), new Dense(16, Activation.ELU), new Dense(8, Activation.SIGMOID))),
                Arguments.of("conv2d", List.of(
                        new Conv2D(4, 3, 2, Padding.VALID, RELU, 1e-3), new Flatten())),
                Arguments.of("max_pool", List.of(new Conv2D(4, 3, RELU), new MaxPool(2), new Flatten())),
                Arguments.of("dropout", List.of(new Flatten(), new Dense(16, RELU), new Dropout(0.3))),
                Arguments.of("batch_norm-conv", List.of(new Conv2D(4, 3, RELU), new BatchNorm(), new Flatten())),
                Arguments.of("batch_norm-dense", List.of(new Flatten(), new Dense(16, RELU), new BatchNorm())),
                Arguments.of("avg_pool", List.of(new Conv2D(4, 3, RELU), new AvgPool(2), new Flatten())),
                Arguments.of("conv2d-without-bias-activation", List.of(
                        new Conv2D(4, 3, 1, Padding.SAME, Activation.LINEAR, 0, false), new BatchNorm(),
                        new ActivationLayer(RELU), new Flatten())),
                Arguments.of("residual-identity", List.of(new Conv2D(4, 3, RELU),
                        new Residual(List.of(new Conv2D(4, 3, RELU), new Conv2D(4, 3, Activation.LINEAR)), RELU),
                        new Flatten())),
                Arguments.of("residual-projection-nested-dropout", List.of(
                        new Residual(List.of(
                                new Conv2D(4, 3, 2, Padding.SAME, Activation.LINEAR, 0, false), new BatchNorm(),
                                new Residual(List.of(new Conv2D(4, 3, RELU), new Dropout(0.2)), Activation.LINEAR)),
                                RELU),
                        new Flatten())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneModelPerLayerType")
    void everyLayerTypeTrains(String name, List<LayerSpec> layers) {
        ModelSpec spec = new ModelSpec(8, 8, 1, layers, Head.softmax(3));
        int[] y = new int[N];
        float[] x = Harness.images(N, 8, 8, 1, 3, y, 1);
        try (Harness h = new Harness(spec, 7, 0.1f)) {
            assertThat(h.gradientsFinite(x, y)).isTrue();
            float first = h.step(x, y, 0);
            float last = first;
            for (int step = 1; step < 20; step++) {
                last = h.step(x, y, step);
            }
            assertThat(last).isFinite().isLessThan(first * 0.8f);
        }
    }

    @Test
    void globalAvgPoolGivesEachChannelsMeanAndTrainsOnBrightness() {
        ModelSpec spec = new ModelSpec(8, 8, 1,
                List.of(new Conv2D(4, 3, RELU), new AvgPool(2, 1), new GlobalAvgPool()), Head.softmax(3));
        assertThat(spec.layerShapes().get(3)).containsExactly(4);
        int[] y = new int[N];
        float[] x = Harness.images(N, 8, 8, 1, 3, y, 4);
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i / 64]; // the class is the brightness: a global mean can tell them apart
        }
        try (Harness h = new Harness(spec, 7, 0.1f)) {
            float[] pooled = h.run(h.model.layerOutput(1), x, y, false, 0);
            float[] means = h.run(h.model.layerOutput(2), x, y, false, 0);
            for (int n = 0; n < N; n++) {
                for (int c = 0; c < 4; c++) {
                    double sum = 0;
                    for (int p = 0; p < 49; p++) {
                        sum += pooled[(n * 49 + p) * 4 + c];
                    }
                    assertThat((double) means[n * 4 + c]).isCloseTo(sum / 49, within(1e-5));
                }
            }
            float first = h.step(x, y, 0);
            float last = first;
            for (int step = 1; step < 40; step++) {
                last = h.step(x, y, step);
            }
            assertThat(last).isLessThan(first * 0.8f);
        }
    }

    @Test
    void binaryHeadTrainsAndGivesTwoProbabilities() {
        ModelSpec spec = new ModelSpec(8, 8, 1, List.of(new Flatten(), new Dense(8, RELU)), Head.binary());
        int[] y = new int[N];
        float[] x = Harness.images(N, 8, 8, 1, 2, y, 2);
        try (Harness h = new Harness(spec, 3, 0.1f)) {
            assertThat(h.gradientsFinite(x, y)).isTrue();
            float first = h.step(x, y, 0);
            float last = first;
            for (int step = 1; step < 20; step++) {
                last = h.step(x, y, step);
            }
            assertThat(last).isLessThan(first * 0.8f);
            float[] p = h.run(h.model.probabilities(), x, y, false, 0);
            assertThat(p).hasSize(2 * N);
            for (int i = 0; i < N; i++) {
                assertThat(p[2 * i] + p[2 * i + 1]).isCloseTo(1f, within(1e-5f));
            }
            float accuracy = h.run(h.model.accuracy(h.labels), x, y, false, 0)[0];
            assertThat(accuracy).isGreaterThan(0.9f);
        }
    }

    @Test
    void dropoutIsIdentityAtInferenceAndZeroesRateAtTraining() {
        ModelSpec spec =
                new ModelSpec(16, 16, 4, List.of(new Flatten(), new Dropout(0.4)), Head.softmax(2));
        int n = 8;
        float[] x = new float[n * 16 * 16 * 4];
        java.util.Arrays.fill(x, 1f);
        int[] y = new int[n];
        try (Harness h = new Harness(spec, 1, 0.1f)) {
            float[] inference = h.run(h.model.layerOutput(1), x, y, false, 0);
            assertThat(inference).containsOnly(1f);
            float[] train = h.run(h.model.layerOutput(1), x, y, true, 0);
            long zeros = 0;
            for (float v : train) {
                if (v == 0) {
                    zeros++;
                } else {
                    assertThat(v).isCloseTo(1 / 0.6f, within(1e-5f));
                }
            }
            assertThat((double) zeros / train.length).isCloseTo(0.4, within(0.04));
            assertThat(h.run(h.model.layerOutput(1), x, y, true, 0)).containsExactly(train);
            assertThat(h.run(h.model.layerOutput(1), x, y, true, 1)).isNotEqualTo(train);
        }
    }

    @Test
    void batchNormNormalisesWithBatchStatsInTrainingAndMovingStatsAtInference() {
        ModelSpec spec =
                new ModelSpec(2, 2, 3, List.of(new BatchNorm(0.5, 1e-3), new Flatten()), Head.softmax(2));
        int n = 32;
        int[] y = new int[n];
        float[] x = new float[n * 12];
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = 5 + 2 * (float) random.nextGaussian();
        }
        try (Harness h = new Harness(spec, 1, 0f)) {
            // Fresh moving stats (mean 0, variance 1) leave inputs nearly unchanged at inference.
            float[] before = h.run(h.model.layerOutput(0), x, y, false, 0);
            assertThat(mean(before)).isCloseTo(mean(x), within(0.05));
            float[] training = h.run(h.model.layerOutput(0), x, y, true, 0);
            assertThat(mean(training)).isCloseTo(0, within(1e-3));
            for (int step = 0; step < 30; step++) {
                h.step(x, y, step); // learning rate 0: only the moving averages change
            }
            float[] moving = h.read(h.model.stateVariables().get(0));
            assertThat(mean(moving)).isCloseTo(5, within(0.5));
            float[] after = h.run(h.model.layerOutput(0), x, y, false, 0);
            assertThat(mean(after)).isCloseTo(0, within(0.05));
            assertThat(after).isNotEqualTo(training);
        }
    }

    @Test
    void batchNormMatchesTheFormulaPerChannelAndTracksTheUnbiasedVariance() {
        // 2×2 images with 3 channels: statistics per channel over batch, height and width (n = 4 · 4 = 16).
        ModelSpec spec =
                new ModelSpec(2, 2, 3, List.of(new BatchNorm(0.5, 1e-3), new Flatten()), Head.softmax(2));
        int n = 4;
        int[] y = new int[n];
        float[] x = new float[n * 12];
        java.util.Random random = new java.util.Random(9);
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 3) * 10 + (1 + i % 3) * (float) random.nextGaussian();
        }
        double[] mean = new double[3];
        double[] variance = new double[3];
        for (int i = 0; i < x.length; i++) {
            mean[i % 3] += x[i] / 16.0;
        }
        for (int i = 0; i < x.length; i++) {
            variance[i % 3] += Math.pow(x[i] - mean[i % 3], 2) / 16.0;
        }
        try (Harness h = new Harness(spec, 1, 0f)) {
            float[] training = h.run(h.model.layerOutput(0), x, y, true, 0);
            for (int i = 0; i < x.length; i++) {
                double expected = (x[i] - mean[i % 3]) / Math.sqrt(variance[i % 3] + 1e-3);
                assertThat((double) training[i]).as("element %d", i).isCloseTo(expected, within(1e-4));
            }
            h.step(x, y, 0); // learning rate 0: only the moving averages change, halfway (momentum 0.5)
            float[] movingMean = h.read(h.model.stateVariables().get(0));
            float[] movingVariance = h.read(h.model.stateVariables().get(1));
            for (int c = 0; c < 3; c++) {
                assertThat((double) movingMean[c]).isCloseTo(0.5 * mean[c], within(1e-4));
                assertThat((double) movingVariance[c]).isCloseTo(0.5 + 0.5 * variance[c] * 16 / 15, within(1e-3));
            }
            float[] inference = h.run(h.model.layerOutput(0), x, y, false, 0);
            for (int i = 0; i < x.length; i++) {
                double expected = (x[i] - movingMean[i % 3]) / Math.sqrt(movingVariance[i % 3] + 1e-3);
                assertThat((double) inference[i]).as("element %d", i).isCloseTo(expected, within(1e-4));
            }
        }
    }

    @Test
    void sameInitSeedGivesSameWeightsAndOtherSeedDiffers() {
        ModelSpec spec = Presets.model("cnn", 8, 8, 1, 10);
        float[] a;
        float[] b;
        float[] c;
        try (Harness h = new Harness(spec, 11, 0.1f)) {
            a = h.read(h.model.trainableVariables().get(0));
        }
        try (Harness h = new Harness(spec, 11, 0.1f)) {
            b = h.read(h.model.trainableVariables().get(0));
        }
        try (Harness h = new Harness(spec, 12, 0.1f)) {
            c = h.read(h.model.trainableVariables().get(0));
        }
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
        float limit = (float) Math.sqrt(6.0 / 9); // He uniform, fan-in 3*3*1
        for (float v : a) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(limit);
        }
    }

    @Test
    void variablesHaveDeterministicNames() {
        ModelSpec spec =
                new ModelSpec(8, 8, 1,
                        List.of(new Conv2D(2, 3, RELU), new BatchNorm(), new Flatten(), new Dense(4, RELU)),
                        Head.softmax(3));
        try (Harness h = new Harness(spec, 1, 0.1f)) {
            assertThat(h.model.checkpointVariables().keySet())
                    .containsExactly(
                            "conv2d_0/kernel", "conv2d_0/bias", "batch_norm_1/gamma", "batch_norm_1/beta",
                            "dense_3/kernel", "dense_3/bias", "head/kernel", "head/bias",
                            "batch_norm_1/moving_mean", "batch_norm_1/moving_variance");
            assertThat(h.model.trainableVariables().get(0).op().name()).isEqualTo("conv2d_0/kernel");
            assertThat(h.model.updateOps()).hasSize(2);
        }
    }

    @Test
    void lossIncludesL2PenaltyAndDataLossDoesNot() {
        ModelSpec spec =
                new ModelSpec(4, 4, 1,
                        List.of(new Flatten(), new Dense(3, RELU, 0.5)), new Head(HeadType.SOFTMAX, 2, 0.25));
        int[] y = new int[4];
        float[] x = Harness.images(4, 4, 4, 1, 2, y, 3);
        try (Harness h = new Harness(spec, 2, 0.1f)) {
            float loss = h.run(h.loss, x, y, false, 0)[0];
            float dataLoss = h.run(h.model.dataLoss(h.labels), x, y, false, 0)[0];
            double expected = 0;
            float[] dense = h.read(h.model.trainableVariables().get(0));
            float[] head = h.read(h.model.trainableVariables().get(2));
            for (float w : dense) {
                expected += 0.5 * w * w;
            }
            for (float w : head) {
                expected += 0.25 * w * w;
            }
            assertThat(expected).isGreaterThan(0.01);
            assertThat((double) loss - dataLoss).isCloseTo(expected, within(1e-4));
        }
    }

    @Test
    void labelSmoothingSpreadsEpsilonOverAllClasses() {
        ModelSpec softmax = new ModelSpec(4, 4, 1, List.of(new Flatten(), new Dense(5, RELU)), Head.softmax(3));
        ModelSpec binary = new ModelSpec(4, 4, 1, List.of(new Flatten(), new Dense(5, RELU)), Head.binary());
        for (ModelSpec spec : List.of(softmax, binary)) {
            int classes = spec.head().numClasses();
            int[] y = new int[6];
            float[] x = Harness.images(6, 4, 4, 1, classes, y, 4);
            try (Harness h = new Harness(spec, 5, 0.1f)) {
                float[] p = h.run(h.model.probabilities(), x, y, false, 0);
                double epsilon = 0.2;
                double expected = 0;
                for (int i = 0; i < y.length; i++) {
                    for (int k = 0; k < classes; k++) {
                        double target = (k == y[i] ? 1 - epsilon : 0) + epsilon / classes;
                        expected -= target * Math.log(p[i * classes + k]) / y.length;
                    }
                }
                float smoothed = h.run(h.model.dataLoss(h.labels, epsilon), x, y, false, 0)[0];
                float plain = h.run(h.model.dataLoss(h.labels), x, y, false, 0)[0];
                assertThat((double) smoothed).as(spec.head().type().toString()).isCloseTo(expected, within(1e-5));
                assertThat(Math.abs(smoothed - plain)).isGreaterThan(1e-3f);
                assertThatThrownBy(() -> h.model.dataLoss(h.labels, 1.0))
                        .hasMessageContaining("label smoothing must be in [0, 1)");
            }
        }
    }

    @Test
    void softmaxLossGradientIsProbabilitiesMinusTargetsWithoutTheFusedKernel() {
        ModelSpec spec = new ModelSpec(2, 2, 1, List.of(new Flatten()), Head.softmax(3));
        int[] y = new int[5];
        float[] x = Harness.images(5, 2, 2, 1, 3, y, 7);
        try (Harness h = new Harness(spec, 3, 0.1f)) {
            // The fused kernel refuses op determinism on GPUs: train --deterministic --device gpu failed with it.
            List<String> types = new ArrayList<>();
            h.graph.operations().forEachRemaining(op -> types.add(op.type()));
            assertThat(types).contains("LogSoftmax").doesNotContain("SoftmaxCrossEntropyWithLogits");
            float[] p = h.run(h.model.probabilities(), x, y, false, 0);
            float[] kernelGradient = h.gradients(x, y)[0];
            int features = 4;
            for (int f = 0; f < features; f++) {
                for (int k = 0; k < 3; k++) {
                    double expected = 0;
                    for (int i = 0; i < y.length; i++) {
                        expected += x[i * features + f] * (p[i * 3 + k] - (y[i] == k ? 1 : 0)) / y.length;
                    }
                    assertThat((double) kernelGradient[f * 3 + k]).as("dL/dW[%d][%d]", f, k)
                            .isCloseTo(expected, within(1e-5));
                }
            }
        }
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
