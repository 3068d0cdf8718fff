package org.digitlab.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Element-wise activation of a dense or conv2d layer; serialised lower-case ("relu"). */
public enum Activation {
    LINEAR,
    RELU,
    SIGMOID,
    TANH,
    ELU,
    /** Exact GELU, {@code 0.5 x (1 + erf(x / sqrt 2))}. */
    GELU;

    /** Whether He initialisation suits this activation (ReLU family); Glorot is used otherwise. */
    boolean prefersHeInit() {
        return this == RELU || this == ELU || this == GELU;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Activation fromId(String id) {
        return Enums.parse(Activation.class, id, "activation");
    }
}
