package org.digitlab.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One hidden layer of a {@link ModelSpec}, serialised with a {@code type} field. Omitted fields take
 * Keras' defaults: activation {@code linear}, l2 {@code 0}, conv stride 1, padding {@code same} and a bias,
 * pool 2 with stride = pool, batch-norm momentum 0.99 and epsilon 1e-3. Values are checked by {@link
 * ModelSpec}, which knows each layer's position ({@code layers[3].layers[1].filters} inside a residual block).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LayerSpec.Dense.class, name = "dense"),
    @JsonSubTypes.Type(value = LayerSpec.Conv2D.class, name = "conv2d"),
    @JsonSubTypes.Type(value = LayerSpec.MaxPool.class, name = "max_pool"),
    @JsonSubTypes.Type(value = LayerSpec.Flatten.class, name = "flatten"),
    @JsonSubTypes.Type(value = LayerSpec.Dropout.class, name = "dropout"),
    @JsonSubTypes.Type(value = LayerSpec.BatchNorm.class, name = "batch_norm"),
    @JsonSubTypes.Type(value = LayerSpec.AvgPool.class, name = "avg_pool"),
    @JsonSubTypes.Type(value = LayerSpec.GlobalAvgPool.class, name = "global_avg_pool"),
    @JsonSubTypes.Type(value = LayerSpec.ActivationLayer.class, name = "activation"),
    @JsonSubTypes.Type(value = LayerSpec.Residual.class, name = "residual")
})
public sealed interface LayerSpec {

    /** The type id used in JSON/YAML and in variable names ({@code dense_0/kernel}). */
    String typeId();

    /** Fully connected layer on a flat input; {@code l2} adds {@code l2 * sum(kernel^2)} to the loss. */
    record Dense(int units, Activation activation, double l2) implements LayerSpec {
        /** No L2 penalty. */
        public Dense(int units, Activation activation) {
            this(units, activation, 0);
        }

        @JsonCreator
        static Dense fromJson(
                @JsonProperty("units") int units,
                @JsonProperty("activation") Activation activation,
                @JsonProperty("l2") Double l2) {
            return new Dense(
                    units, activation == null ? Activation.LINEAR : activation, l2 == null ? 0 : l2);
        }

        @Override
        public String typeId() {
            return "dense";
        }
    }

    /**
     * 2-D convolution (NHWC) with a square {@code kernel}, plus a bias unless {@code bias} is false (a
     * convolution followed by batch norm needs none: batch norm's beta does its job), then the activation.
     */
    record Conv2D(
            int filters, int kernel, int stride, Padding padding, Activation activation, double l2, boolean bias)
            implements LayerSpec {
        /** Stride 1, {@code same} padding, no L2, with a bias. */
        public Conv2D(int filters, int kernel, Activation activation) {
            this(filters, kernel, 1, Padding.SAME, activation, 0, true);
        }

        /** With a bias. */
        public Conv2D(int filters, int kernel, int stride, Padding padding, Activation activation, double l2) {
            this(filters, kernel, stride, padding, activation, l2, true);
        }

        @JsonCreator
        static Conv2D fromJson(
                @JsonProperty("filters") int filters,
                @JsonProperty("kernel") int kernel,
                @JsonProperty("stride") Integer stride,
                @JsonProperty("padding") Padding padding,
                @JsonProperty("activation") Activation activation,
                @JsonProperty("l2") Double l2,
                @JsonProperty("bias") Boolean bias) {
            return new Conv2D(
                    filters,
                    kernel,
                    stride == null ? 1 : stride,
                    padding == null ? Padding.SAME : padding,
                    activation == null ? Activation.LINEAR : activation,
                    l2 == null ? 0 : l2,
                    bias == null || bias);
        }

        @Override
        public String typeId() {
            return "conv2d";
        }
    }

    /** Pooling over square {@code pool} windows moved by {@code stride}, {@code valid} padding (as Keras'). */
    sealed interface Pooling extends LayerSpec {
        /** Window size in pixels. */
        int pool();

        /** Step between windows in pixels. */
        int stride();
    }

    /** Max pooling over square {@code pool} windows, {@code valid} padding (as Keras' MaxPooling2D). */
    record MaxPool(int pool, int stride) implements Pooling {
        /** Stride equal to the pool size. */
        public MaxPool(int pool) {
            this(pool, pool);
        }

        @JsonCreator
        static MaxPool fromJson(
                @JsonProperty("pool") Integer pool, @JsonProperty("stride") Integer stride) {
            int p = pool == null ? 2 : pool;
            return new MaxPool(p, stride == null ? p : stride);
        }

        @Override
        public String typeId() {
            return "max_pool";
        }
    }

    /** Average pooling over square {@code pool} windows, {@code valid} padding (as Keras' AveragePooling2D). */
    record AvgPool(int pool, int stride) implements Pooling {
        /** Stride equal to the pool size. */
        public AvgPool(int pool) {
            this(pool, pool);
        }

        @JsonCreator
        static AvgPool fromJson(
                @JsonProperty("pool") Integer pool, @JsonProperty("stride") Integer stride) {
            MaxPool same = MaxPool.fromJson(pool, stride); // the same defaults
            return new AvgPool(same.pool(), same.stride());
        }

        @Override
        public String typeId() {
            return "avg_pool";
        }
    }

    /** Mean over height and width: [N, H, W, C] to a flat [N, C] (Keras' GlobalAveragePooling2D). */
    record GlobalAvgPool() implements LayerSpec {
        @Override
        public String typeId() {
            return "global_avg_pool";
        }
    }

    /** An activation on its own ({@code conv2d → batch_norm → activation}); {@code activation} is required. */
    record ActivationLayer(Activation activation) implements LayerSpec {
        @JsonCreator
        static ActivationLayer fromJson(@JsonProperty("activation") Activation activation) {
            return new ActivationLayer(activation);
        }

        @Override
        public String typeId() {
            return "activation";
        }
    }

    /**
     * A residual block: its own {@code layers} applied to the input x, their output F(x) added to a shortcut of x,
     * then {@code activation} (default {@code linear}; ResNet v1 uses {@code relu}, pre-activation blocks end
     * without one). The shortcut is x itself when F keeps the shape; when F changes it (stride or channels), a
     * 1×1 convolution without bias, with the block's total stride, followed by batch norm (with the settings of
     * the block's last {@code batch_norm} layer, else Keras' defaults) projects x to F's shape. Variables are
     * named within the block: {@code residual_3/conv2d_0/kernel}, {@code residual_3/shortcut/kernel}.
     */
    record Residual(List<LayerSpec> layers, Activation activation) implements LayerSpec {
        /** Copies {@code layers}; nulls are kept for {@link ModelSpec} to report by position. */
        public Residual {
            layers = layers == null ? null : Collections.unmodifiableList(new ArrayList<>(layers));
        }

        @JsonCreator
        static Residual fromJson(
                @JsonProperty("layers") List<LayerSpec> layers, @JsonProperty("activation") Activation activation) {
            return new Residual(layers, activation == null ? Activation.LINEAR : activation);
        }

        @Override
        public String typeId() {
            return "residual";
        }
    }

    /** Reshapes [N, H, W, C] to [N, H*W*C]. */
    record Flatten() implements LayerSpec {
        @Override
        public String typeId() {
            return "flatten";
        }
    }

    /** Inverted dropout: in training zeroes a {@code rate} fraction and scales the rest by 1/(1-rate). */
    record Dropout(double rate) implements LayerSpec {
        @JsonCreator
        static Dropout fromJson(@JsonProperty("rate") double rate) {
            return new Dropout(rate);
        }

        @Override
        public String typeId() {
            return "dropout";
        }
    }

    /**
     * Batch normalisation over the last axis: batch statistics in training, moving statistics at
     * inference, {@code moving = momentum * moving + (1 - momentum) * batch} (Keras semantics).
     */
    record BatchNorm(double momentum, double epsilon) implements LayerSpec {
        /** Keras' defaults: momentum 0.99, epsilon 1e-3. */
        public BatchNorm() {
            this(0.99, 1e-3);
        }

        @JsonCreator
        static BatchNorm fromJson(
                @JsonProperty("momentum") Double momentum, @JsonProperty("epsilon") Double epsilon) {
            return new BatchNorm(momentum == null ? 0.99 : momentum, epsilon == null ? 1e-3 : epsilon);
        }

        @Override
        public String typeId() {
            return "batch_norm";
        }
    }
}
