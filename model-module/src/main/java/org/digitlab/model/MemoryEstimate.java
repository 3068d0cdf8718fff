package org.digitlab.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rough upper bound of the memory that training a {@link ModelSpec} takes, worked out from the spec alone so
 * that an absurd model (a dense layer of 10⁹ units) is refused with one line before TensorFlow tries to allocate
 * it. Weights count 5 times (the weights, their gradients, two optimizer slots, the best-epoch copy), each layer's
 * output 3 times per image of a batch (the forward value, its gradient and a temporary), 4 bytes each.
 *
 * @param parameterBytes bytes for weights, gradients, optimizer slots and the best-epoch copy
 * @param activationBytes bytes for one batch's layer outputs and their gradients
 * @param largest        the layer that takes the most memory, for the message
 * @param largestBytes   its share of the bytes
 */
public record MemoryEstimate(double parameterBytes, double activationBytes, LayerSummary largest,
                             double largestBytes) {
    private static final double FLOAT = 4;
    private static final double PARAMETER_COPIES = 5;
    private static final double ACTIVATION_COPIES = 3;

    /** The estimate for training {@code spec} on batches of {@code batchSize} images. */
    public static MemoryEstimate of(ModelSpec spec, int batchSize) {
        double parameters = 0;
        double activations = 0;
        LayerSummary largest = null;
        double largestBytes = -1;
        for (LayerSummary layer : leaves(spec.layerSummaries(), "")) {
            double outputs = 1;
            for (long d : layer.outputShape()) {
                outputs *= d;
            }
            double weights = layer.parameters() * FLOAT * PARAMETER_COPIES;
            double values = outputs * batchSize * FLOAT * ACTIVATION_COPIES;
            parameters += weights;
            activations += values;
            if (weights + values > largestBytes) {
                largest = layer;
                largestBytes = weights + values;
            }
        }
        return new MemoryEstimate(parameters, activations, largest, largestBytes);
    }

    /** The whole estimate in bytes. */
    public double totalBytes() {
        return parameterBytes + activationBytes;
    }

    /**
     * @throws IllegalArgumentException naming the largest layer and the sizes when the estimate exceeds
     *                                  {@code availableBytes} ({@code where} says what that memory is)
     */
    public void check(double availableBytes, String where, int batchSize) {
        if (totalBytes() <= availableBytes) {
            return;
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT, "the model needs about %s to train at batch "
                + "%d, more than %s (%s); the largest part is %s (%s, %,d parameters, output %s per image: %s)",
                bytes(totalBytes()), batchSize, bytes(availableBytes), where, largest.name(), largest.type(),
                largest.parameters(), largest.outputShape(), bytes(largestBytes)));
    }

    /** "12.3 GB", "456 MB". */
    public static String bytes(double bytes) {
        String[] units = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
        int unit = 0;
        double value = bytes;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? String.format(Locale.ROOT, "%.0f bytes", value)
                : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** The layers that are not blocks, named by their path ({@code residual_3/conv2d_0}). */
    private static List<LayerSummary> leaves(List<LayerSummary> layers, String prefix) {
        List<LayerSummary> out = new ArrayList<>();
        for (LayerSummary layer : layers) {
            String name = prefix + layer.name();
            if (layer.layers().isEmpty()) {
                out.add(new LayerSummary(name, layer.type(), layer.outputShape(), layer.parameters(), layer.flops(),
                        List.of()));
            } else {
                out.addAll(leaves(layer.layers(), name + "/"));
            }
        }
        return out;
    }
}
