package org.digitlab.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One hidden layer of a {@link ModelSpec}, serialised with a {@code type} field. Omitted fields take
 * Keras' defaults: activation {@code linear}, l2 {@code 0}, conv stride 1 and padding {@code same}, pool 2
 * with stride = pool, batch-norm momentum 0.99 and epsilon 1e-3. Values are checked by {@link ModelSpec},
 * which knows each layer's position.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LayerSpec.Dense.class, name = "dense"),
    @JsonSubTypes.Type(value = LayerSpec.Conv2D.class, name = "conv2d"),
    @JsonSubTypes.Type(value = LayerSpec.MaxPool.class, name = "max_pool"),
    @JsonSubTypes.Type(value = LayerSpec.Flatten.class, name = "flatten"),
    @JsonSubTypes.Type(value = LayerSpec.Dropout.class, name = "dropout"),
    @JsonSubTypes.Type(value = LayerSpec.BatchNorm.class, name = "batch_norm")
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

    /** 2-D convolution (NHWC) with a square {@code kernel}, plus bias and activation. */
    record Conv2D(
            int filters, int kernel, int stride, Padding padding, Activation activation, double l2)
            implements LayerSpec {
        /** Stride 1, {@code same} padding, no L2. */
        public Conv2D(int filters, int kernel, Activation activation) {
            this(filters, kernel, 1, Padding.SAME, activation, 0);
        }

        @JsonCreator
        static Conv2D fromJson(
                @JsonProperty("filters") int filters,
                @JsonProperty("kernel") int kernel,
                @JsonProperty("stride") Integer stride,
                @JsonProperty("padding") Padding padding,
                @JsonProperty("activation") Activation activation,
                @JsonProperty("l2") Double l2) {
            return new Conv2D(
                    filters,
                    kernel,
                    stride == null ? 1 : stride,
                    padding == null ? Padding.SAME : padding,
                    activation == null ? Activation.LINEAR : activation,
                    l2 == null ? 0 : l2);
        }

        @Override
        public String typeId() {
            return "conv2d";
        }
    }

    /** Max pooling over square {@code pool} windows, {@code valid} padding (as Keras' MaxPooling2D). */
    record MaxPool(int pool, int stride) implements LayerSpec {
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
