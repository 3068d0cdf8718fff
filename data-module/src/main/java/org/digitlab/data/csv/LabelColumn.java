package org.digitlab.data.csv;

/**
 * Which CSV column holds the label: {@link #first()}, {@link #last()} or a 0-based {@link #index(int)}.
 *
 * @param index 0-based column index; -1 means the last column
 */
public record LabelColumn(int index) {
    private static final int LAST = -1;

    /** Accepts a 0-based index, or -1 for the last column. */
    public LabelColumn {
        if (index < LAST) {
            throw new IllegalArgumentException("label column index must be >= 0 (or -1 for last), got " + index);
        }
    }

    /** The label in the first column, before the pixels. */
    public static LabelColumn first() {
        return new LabelColumn(0);
    }

    /** The label in the last column, whatever the row width. */
    public static LabelColumn last() {
        return new LabelColumn(LAST);
    }

    /** The column at 0-based {@code index}. */
    public static LabelColumn index(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("label column index must be >= 0, got " + index);
        }
        return new LabelColumn(index);
    }

    /** Parses "first", "last" or a 0-based column index such as "64". */
    public static LabelColumn parse(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("first")) {
            return first();
        }
        if (t.equalsIgnoreCase("last")) {
            return last();
        }
        try {
            return index(Integer.parseInt(t));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("label column must be first, last or a 0-based index >= 0, got '"
                    + text + "'", e);
        }
    }

    /** The 0-based column in rows of {@code columns} cells, or -1 when it lies outside them. */
    int resolve(int columns) {
        int resolved = index == LAST ? columns - 1 : index;
        return resolved < columns ? resolved : -1;
    }

    @Override
    public String toString() {
        return index == LAST ? "last" : index == 0 ? "first" : Integer.toString(index);
    }
}
