package org.digitlab.training;

import java.util.Locale;

/** Where the graph runs. */
public enum Device {
    /** The CPU only (GPUs hidden from TensorFlow). */
    CPU,
    /** GPU 0; failing clearly when TensorFlow sees no GPU. */
    GPU,
    /** GPU 0 when TensorFlow sees one, else the CPU. */
    AUTO;

    /** Parses {@code cpu}, {@code gpu} or {@code auto} (case-insensitive). */
    public static Device parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown device '" + text + "'; expected cpu, gpu or auto", e);
        }
    }
}
