package org.digitlab.data.csv;

import java.util.Objects;
import org.digitlab.data.ImageShape;

/**
 * How to read a CSV file of images, one image per row: a label cell plus H·W·C pixel cells.
 *
 * @param labelColumn which column holds the label
 * @param header      whether the first row is a header
 * @param delimiter   the cell separator, one ASCII character
 * @param pixelMax    the largest allowed pixel value (255 for Kaggle-style files, 16 for the sklearn digits)
 * @param shape       the image shape, or null to infer a square grey image from the pixel count
 */
public record CsvOptions(LabelColumn labelColumn, HeaderMode header, char delimiter, float pixelMax,
                         ImageShape shape) {
    /** Validates the options; the message names the offending one. */
    public CsvOptions {
        Objects.requireNonNull(labelColumn, "labelColumn");
        Objects.requireNonNull(header, "header");
        if (delimiter >= 128 || delimiter == '\n' || delimiter == '\r' || delimiter == '"'
                || (delimiter >= '0' && delimiter <= '9') || delimiter == '.' || delimiter == '-'
                || delimiter == '+' || Character.isLetter(delimiter)) {
            throw new IllegalArgumentException("delimiter must be an ASCII character that cannot be part of a "
                    + "number, got '" + delimiter + "'");
        }
        if (!(pixelMax > 0) || Float.isInfinite(pixelMax)) {
            throw new IllegalArgumentException("pixelMax must be a positive finite number, got " + pixelMax);
        }
    }

    /** Label in the first column, header detected automatically, comma-separated, pixels 0–255, square images. */
    public static CsvOptions defaults() {
        return new CsvOptions(LabelColumn.first(), HeaderMode.AUTO, ',', 255f, null);
    }

    /** These options with the label in {@code column}. */
    public CsvOptions withLabelColumn(LabelColumn column) {
        return new CsvOptions(column, header, delimiter, pixelMax, shape);
    }

    /** These options with header handling {@code mode}. */
    public CsvOptions withHeader(HeaderMode mode) {
        return new CsvOptions(labelColumn, mode, delimiter, pixelMax, shape);
    }

    /** These options with cell separator {@code separator} (ASCII; not a digit, sign, dot or letter). */
    public CsvOptions withDelimiter(char separator) {
        return new CsvOptions(labelColumn, header, separator, pixelMax, shape);
    }

    /** These options with {@code max} (positive, finite) as the largest allowed pixel value. */
    public CsvOptions withPixelMax(float max) {
        return new CsvOptions(labelColumn, header, delimiter, max, shape);
    }

    /** The image shape; null infers a square grey image from the pixel count. */
    public CsvOptions withShape(ImageShape imageShape) {
        return new CsvOptions(labelColumn, header, delimiter, pixelMax, imageShape);
    }
}
