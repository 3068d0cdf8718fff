package org.digitlab.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Convolution padding, as in Keras: {@code same} keeps the spatial size at stride 1, {@code valid} adds none. */
public enum Padding {
    /** Zero-pad so the output size is {@code ceil(input / stride)}. */
    SAME,
    /** No padding: output size {@code (input - kernel) / stride + 1}, rounded down. */
    VALID;

    /** The lower-case name used in JSON and YAML: {@code same} or {@code valid}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code id} in any case; an unknown id throws {@link IllegalArgumentException} listing the valid ones. */
    @JsonCreator
    public static Padding fromId(String id) {
        return Enums.parse(Padding.class, id, "padding");
    }
}
