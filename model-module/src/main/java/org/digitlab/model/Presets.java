package org.digitlab.model;

import static org.digitlab.model.Activation.LINEAR;
import static org.digitlab.model.Activation.RELU;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.digitlab.model.LayerSpec.ActivationLayer;
import org.digitlab.model.LayerSpec.BatchNorm;
import org.digitlab.model.LayerSpec.Conv2D;
import org.digitlab.model.LayerSpec.Dense;
import org.digitlab.model.LayerSpec.Dropout;
import org.digitlab.model.LayerSpec.Flatten;
import org.digitlab.model.LayerSpec.GlobalAvgPool;
import org.digitlab.model.LayerSpec.MaxPool;
import org.digitlab.model.LayerSpec.Residual;

/**
 * The reference architectures, for any input shape: {@code logreg} (flatten → K), {@code mlp-binary}
 * (flatten → 128 relu → one logit), {@code mlp} (flatten → 128 relu → dropout 0.4 → 64 relu → dropout
 * 0.4 → K), {@code mlp-deep} (flatten → 256 → 128 → 64 relu → K), {@code cnn} (conv 32 3×3 same relu →
 * max-pool 2 → conv 64 3×3 same relu → max-pool 2 → flatten → 128 relu → 64 relu → K), {@code cnn-bn}
 * (the same with batch norm after each convolution, which lifts Fashion-MNIST from 92.6% to 92.9%), and two
 * small ResNets (see {@link #resnet}): {@code resnet-small} (ResNet-8 with He et al.'s CIFAR widths: stem 16,
 * blocks of 16, 32, 64 channels; 77,754 parameters and 18.9 MFLOPs per 28×28 image, against the cnn's 429,258
 * and 8.6 MFLOPs) and {@code resnet-wide} (twice as wide: stem 32, blocks of 32, 64, 128; 308,074 parameters,
 * 74.7 MFLOPs).
 */
public final class Presets {
    /**
     * Batch-norm momentum of the ResNets: PyTorch's 0.1 in Keras' terms. With Keras' 0.99 the moving statistics of
     * nine stacked batch norms still lag far behind after a few dozen steps, and inference is then near chance.
     */
    private static final double BN_MOMENTUM = 0.9;

    private Presets() {}

    /** Names accepted by {@link #model}, sorted. */
    public static Set<String> names() {
        return new TreeSet<>(List.of("logreg", "mlp-binary", "mlp", "mlp-deep", "cnn", "cnn-bn", "resnet-small",
                "resnet-wide"));
    }

    /**
     * The named preset for images of the given shape and {@code numClasses} classes ({@code mlp-binary}
     * needs 2).
     */
    public static ModelSpec model(String name, int height, int width, int channels, int numClasses) {
        Head head = Head.softmax(numClasses);
        List<LayerSpec> layers =
                switch (name) {
                    case "logreg" -> List.of(new Flatten());
                    case "mlp-binary" -> {
                        head = Head.binary();
                        if (numClasses != 2) {
                            throw new InvalidModelSpecException(
                                    "preset mlp-binary needs 2 classes, was " + numClasses);
                        }
                        yield List.of(new Flatten(), new Dense(128, RELU));
                    }
                    case "mlp" -> List.of(
                            new Flatten(),
                            new Dense(128, RELU),
                            new Dropout(0.4),
                            new Dense(64, RELU),
                            new Dropout(0.4));
                    case "mlp-deep" -> List.of(
                            new Flatten(), new Dense(256, RELU), new Dense(128, RELU), new Dense(64, RELU));
                    case "cnn" -> List.of(
                            new Conv2D(32, 3, RELU),
                            new MaxPool(2),
                            new Conv2D(64, 3, RELU),
                            new MaxPool(2),
                            new Flatten(),
                            new Dense(128, RELU),
                            new Dense(64, RELU));
                    case "cnn-bn" -> List.of(
                            new Conv2D(32, 3, RELU),
                            new BatchNorm(),
                            new MaxPool(2),
                            new Conv2D(64, 3, RELU),
                            new BatchNorm(),
                            new MaxPool(2),
                            new Flatten(),
                            new Dense(128, RELU),
                            new Dense(64, RELU));
                    case "resnet-small" -> resnet(16, List.of(16, 32, 64), height, width);
                    case "resnet-wide" -> resnet(32, List.of(32, 64, 128), height, width);
                    default -> throw new InvalidModelSpecException(
                            "unknown model preset '" + name + "'; expected one of: " + String.join(", ", names()));
                };
        return new ModelSpec(height, width, channels, layers, head);
    }

    /**
     * A ResNet v1 for small images: a 3×3 stem convolution → batch norm → ReLU, then one basic block per width (3×3
     * conv → batch norm → ReLU → 3×3 conv → batch norm, plus the shortcut, then ReLU), stride 2 from the second
     * block on, then global average pooling; convolutions without bias, batch norm with momentum 0.9. Images larger than 32 pixels on their shorter side get a stride-2 stem,
     * so 64×64 inputs cost about as much as 32×32 ones.
     */
    private static List<LayerSpec> resnet(int stem, List<Integer> widths, int height, int width) {
        List<LayerSpec> layers = new ArrayList<>();
        int stemStride = Math.min(height, width) > 32 ? 2 : 1;
        layers.add(new Conv2D(stem, 3, stemStride, Padding.SAME, LINEAR, 0, false));
        layers.add(new BatchNorm(BN_MOMENTUM, 1e-3));
        layers.add(new ActivationLayer(RELU));
        for (int i = 0; i < widths.size(); i++) {
            int filters = widths.get(i);
            layers.add(new Residual(List.of(
                    new Conv2D(filters, 3, i == 0 ? 1 : 2, Padding.SAME, LINEAR, 0, false),
                    new BatchNorm(BN_MOMENTUM, 1e-3),
                    new ActivationLayer(RELU),
                    new Conv2D(filters, 3, 1, Padding.SAME, LINEAR, 0, false),
                    new BatchNorm(BN_MOMENTUM, 1e-3)), RELU));
        }
        layers.add(new GlobalAvgPool());
        return layers;
    }
}
