package org.digitlab.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Element-wise activation of a dense or conv2d layer; serialised lower-case ("relu"). */
public enum Activation {
    /** Identity: no activation (Keras' default). */
    LINEAR,
    /** Rectified linear unit, {@code max(x, 0)}. */
    RELU,
    /** Logistic sigmoid, {@code 1 / (1 + exp(-x))}. */
    SIGMOID,
    /** Hyperbolic tangent. */
    TANH,
    /** Exponential linear unit with alpha 1: {@code x} for positive {@code x}, else {@code exp(x) - 1}. */
    ELU,
    /** Exact GELU, {@code 0.5 x (1 + erf(x / sqrt 2))}. */
    GELU;

    /** Whether He initialisation suits this activation (ReLU family); Glorot is used otherwise. */
    boolean prefersHeInit() {
        return this == RELU || this == ELU || this == GELU;
    }

    /** The lower-case name used in JSON and YAML, e.g. {@code relu}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code id} in any case; an unknown id throws {@link IllegalArgumentException} listing the valid ones. */
    @JsonCreator
    public static Activation fromId(String id) {
        return Enums.parse(Activation.class, id, "activation");
    }
}
