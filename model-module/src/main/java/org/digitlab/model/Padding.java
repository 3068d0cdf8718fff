package org.digitlab.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Convolution padding, as in Keras: {@code same} keeps the spatial size at stride 1, {@code valid} adds none. */
public enum Padding {
    SAME,
    VALID;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Padding fromId(String id) {
        return Enums.parse(Padding.class, id, "padding");
    }
}
