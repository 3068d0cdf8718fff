package org.digitlab.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output layer and loss: a dense projection to K logits (softmax) or one logit (binary, which
 * needs {@code numClasses == 2}), with optional L2 on its kernel. Checked by {@link ModelSpec}.
 */
public record Head(HeadType type, int numClasses, double l2) {

    /** A head without L2. */
    public Head(HeadType type, int numClasses) {
        this(type, numClasses, 0);
    }

    /** K-class softmax head. */
    public static Head softmax(int numClasses) {
        return new Head(HeadType.SOFTMAX, numClasses);
    }

    /** Binary head (one logit). */
    public static Head binary() {
        return new Head(HeadType.BINARY, 2);
    }

    @JsonCreator
    static Head fromJson(
            @JsonProperty("type") HeadType type,
            @JsonProperty("numClasses") int numClasses,
            @JsonProperty("l2") Double l2) {
        return new Head(type == null ? HeadType.SOFTMAX : type, numClasses, l2 == null ? 0 : l2);
    }

    /** Number of logits the head produces: K for softmax, 1 for binary. */
    public int logits() {
        return type == HeadType.BINARY ? 1 : numClasses;
    }
}
