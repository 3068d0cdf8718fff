package org.digitlab.data.csv;

/** Whether the first row of a CSV file is a header. */
public enum HeaderMode {
    /** The first row is a header when any of its cells is not a number. */
    AUTO,
    /** The first row is always a header and skipped. */
    YES,
    /** There is no header: a non-numeric first row is an error. */
    NO;

    /** Parses "auto", "yes" or "no" (any case). */
    public static HeaderMode parse(String text) {
        for (HeaderMode mode : values()) {
            if (mode.name().equalsIgnoreCase(text.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("header mode must be auto, yes or no, got '" + text + "'");
    }
}
