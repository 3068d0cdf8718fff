package org.digitlab.training;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The number format of a run's arithmetic, named after Keras' mixed-precision policies. */
public enum Precision {
    /** Everything in float32. */
    FLOAT32,
    /**
     * Weights, optimizer state and loss in float32; convolutions, matrix products and the element-wise ops around
     * them in bfloat16, by TensorFlow's oneDNN rewrite on CPUs (fast where the CPU has AVX512-BF16 or AMX). Exported
     * models stay float32.
     */
    MIXED_BFLOAT16;

    /** The name in configs and flags: {@code float32} or {@code mixed_bfloat16}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code float32} or {@code mixed_bfloat16} (case-insensitive). */
    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.key().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + text + "'; expected "
                + Arrays.stream(values()).map(Precision::key).collect(Collectors.joining(" or ")));
    }
}
