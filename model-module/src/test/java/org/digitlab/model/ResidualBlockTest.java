package org.digitlab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.digitlab.model.Activation.LINEAR;
import static org.digitlab.model.Activation.RELU;

import java.util.List;
import java.util.Map;
import org.digitlab.model.LayerSpec.ActivationLayer;
import org.digitlab.model.LayerSpec.BatchNorm;
import org.digitlab.model.LayerSpec.Conv2D;
import org.digitlab.model.LayerSpec.Dropout;
import org.digitlab.model.LayerSpec.Flatten;
import org.digitlab.model.LayerSpec.Residual;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** The residual block: the sum, the shortcut's gradient path, the projection and the variables' names. */
class ResidualBlockTest {
    private static final int N = 12;

    @Test
    void withItsLastKernelZeroTheBlockPassesItsInputAndGradientsFlowThroughTheShortcut() {
        ModelSpec spec = new ModelSpec(8, 8, 1, List.of(
                new Conv2D(4, 3, RELU),
                new Residual(List.of(new Conv2D(4, 3, RELU), new Conv2D(4, 3, LINEAR)), RELU),
                new Flatten()), Head.softmax(3));
        int[] y = new int[N];
        float[] x = Harness.images(N, 8, 8, 1, 3, y, 5);
        try (Harness h = new Harness(spec, 3, 0.1f)) {
            Map<String, Variable<TFloat32>> vars = h.model.checkpointVariables();
            h.fill(vars.get("residual_1/conv2d_1/kernel"), 0f);
            // relu(x + 0) = x, as the block's input is itself a relu output.
            assertThat(h.run(h.model.layerOutput(1), x, y, false, 0))
                    .containsExactly(h.run(h.model.layerOutput(0), x, y, false, 0));

            List<String> names = h.model.trainableVariables().stream().map(v -> v.op().name()).toList();
            float[][] gradients = h.gradients(x, y);
            // The branch is cut at its last kernel, so the gradient reaching conv2d_0 came through the shortcut.
            assertThat(maxAbs(gradients[names.indexOf("residual_1/conv2d_0/kernel")])).isZero();
            assertThat(maxAbs(gradients[names.indexOf("conv2d_0/kernel")])).isGreaterThan(1e-6f);
            assertThat(maxAbs(gradients[names.indexOf("conv2d_0/bias")])).isGreaterThan(1e-6f);
            assertThat(maxAbs(gradients[names.indexOf("residual_1/conv2d_1/kernel")])).isGreaterThan(1e-6f);
        }
    }

    @Test
    void aShapeChangeProjectsTheShortcutWithAStridedOneByOneConvolutionAndBatchNorm() {
        // 8×8×2 → stride 2, 4 channels: the shortcut is relu(BN(conv1x1 stride 2 (x))).
        ModelSpec spec = new ModelSpec(8, 8, 2, List.of(
                new Residual(List.of(
                        new Conv2D(4, 3, 2, Padding.SAME, LINEAR, 0, false), new BatchNorm(0.9, 1e-3),
                        new ActivationLayer(RELU),
                        new Conv2D(4, 3, 1, Padding.SAME, LINEAR, 0, false), new BatchNorm(0.9, 1e-3)), RELU),
                new Flatten()), Head.softmax(2));
        assertThat(spec.layerShapes().get(1)).containsExactly(4, 4, 4);
        int[] y = new int[N];
        float[] x = Harness.images(N, 8, 8, 2, 2, y, 6);
        try (Harness h = new Harness(spec, 4, 0.1f)) {
            Map<String, Variable<TFloat32>> vars = h.model.checkpointVariables();
            assertThat(vars.keySet()).containsExactly(
                    "residual_0/conv2d_0/kernel", "residual_0/batch_norm_1/gamma", "residual_0/batch_norm_1/beta",
                    "residual_0/conv2d_3/kernel", "residual_0/batch_norm_4/gamma", "residual_0/batch_norm_4/beta",
                    "residual_0/shortcut/kernel", "residual_0/shortcut/gamma", "residual_0/shortcut/beta",
                    "head/kernel", "head/bias",
                    "residual_0/batch_norm_1/moving_mean", "residual_0/batch_norm_1/moving_variance",
                    "residual_0/batch_norm_4/moving_mean", "residual_0/batch_norm_4/moving_variance",
                    "residual_0/shortcut/moving_mean", "residual_0/shortcut/moving_variance");
            assertThat(vars.get("residual_0/shortcut/kernel").shape()).isEqualTo(Shape.of(1, 1, 2, 4));
            assertThat(h.model.updateOps()).hasSize(6);

            h.fill(vars.get("residual_0/conv2d_0/kernel"), 0f);
            h.fill(vars.get("residual_0/conv2d_3/kernel"), 0f);
            float[] kernel = h.read(vars.get("residual_0/shortcut/kernel"));
            // Inference with fresh moving statistics (mean 0, variance 1): BN(z) = z / sqrt(1 + epsilon).
            float[] out = h.run(h.model.layerOutput(0), x, y, false, 0);
            double scale = 1 / Math.sqrt(1 + 1e-3);
            for (int n = 0; n < N; n++) {
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        for (int c = 0; c < 4; c++) {
                            double z = 0;
                            for (int k = 0; k < 2; k++) {
                                z += x[((n * 8 + 2 * i) * 8 + 2 * j) * 2 + k] * kernel[k * 4 + c];
                            }
                            assertThat((double) out[((n * 4 + i) * 4 + j) * 4 + c])
                                    .isCloseTo(Math.max(0, z * scale), within(1e-5));
                        }
                    }
                }
            }
        }
    }

    @Test
    void nestedBlocksNameTheirVariablesByPathAndDrawTheirOwnDropoutMasks() {
        Residual inner = new Residual(List.of(new Dropout(0.5)), LINEAR);
        ModelSpec spec = new ModelSpec(4, 4, 1, List.of(
                new Dropout(0.5),
                new Residual(List.of(new Conv2D(1, 1, LINEAR), inner), LINEAR),
                new Flatten()), Head.softmax(2));
        float[] x = new float[2 * 16];
        java.util.Arrays.fill(x, 1f);
        int[] y = new int[2];
        try (Harness h = new Harness(spec, 1, 0f)) {
            assertThat(h.model.checkpointVariables().keySet())
                    .containsExactly("residual_1/conv2d_0/kernel", "residual_1/conv2d_0/bias", "head/kernel",
                            "head/bias");
            // With the 1×1 kernel at 1: top = dropout_0(x) and block = top + (top + dropout_inner(top)), so where
            // top kept a pixel (2), block / top - 2 is the inner mask there: 0 or 2.
            h.fill(h.model.checkpointVariables().get("residual_1/conv2d_0/kernel"), 1f);
            float[] top = h.run(h.model.layerOutput(0), x, y, true, 3);
            float[] block = h.run(h.model.layerOutput(1), x, y, true, 3);
            int kept = 0;
            int droppedInside = 0;
            for (int i = 0; i < x.length; i++) {
                if (top[i] != 0) {
                    float innerMask = block[i] / top[i] - 2;
                    assertThat(innerMask).isIn(0f, 2f);
                    kept++;
                    droppedInside += innerMask == 0 ? 1 : 0;
                }
            }
            // Had the inner dropout reused the top-level mask, it would keep every pixel the top level kept.
            assertThat(kept).isPositive();
            assertThat(droppedInside).isPositive();
        }
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
