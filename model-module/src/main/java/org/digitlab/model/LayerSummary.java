package org.digitlab.model;

import java.util.List;

/**
 * What one layer of a {@link ModelSpec} costs per image, as {@link ModelSpec#summary()} prints it.
 *
 * <p>{@code flops} counts the forward pass at inference: 2 per multiply-add of a convolution or dense layer (the
 * head and a shortcut projection included), 1 per output for a bias and for a non-linear activation, 2 per
 * element for batch norm (scale and shift), {@code pool²} per output of a pooling layer, 1 per input element for
 * global average pooling and 1 per element for a residual sum; dropout, flatten and the softmax count 0. Training
 * costs about 3 times as much (forward, then gradients for inputs and for weights).
 *
 * @param name        {@code <type>_<index>} within its list ({@code conv2d_0}), {@code shortcut} or {@code head}
 * @param type        the layer's type id ({@code conv2d}), {@code projection} for a shortcut, the head's type
 * @param outputShape output per image, [H, W, C] or [F]
 * @param parameters  trainable parameters (batch-norm moving statistics excluded)
 * @param flops       forward FLOPs per image, counted as above
 * @param layers      the layers inside a residual block (its shortcut projection last), else empty
 */
public record LayerSummary(String name, String type, List<Long> outputShape, long parameters, long flops,
                           List<LayerSummary> layers) {
    /** Copies the lists. */
    public LayerSummary {
        outputShape = List.copyOf(outputShape);
        layers = List.copyOf(layers);
    }
}
