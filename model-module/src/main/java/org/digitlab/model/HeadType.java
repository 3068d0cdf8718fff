package org.digitlab.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Output head: K-way softmax, or one logit with a sigmoid for two classes. */
public enum HeadType {
    /** K logits, softmax cross-entropy on one-hot labels. */
    SOFTMAX,
    /** One logit, sigmoid and binary cross-entropy with logits; class 1 is the positive class. */
    BINARY;

    /** The lower-case name used in JSON and YAML: {@code softmax} or {@code binary}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code id} in any case; an unknown id throws {@link IllegalArgumentException} listing the valid ones. */
    @JsonCreator
    public static HeadType fromId(String id) {
        return Enums.parse(HeadType.class, id, "head type");
    }
}
