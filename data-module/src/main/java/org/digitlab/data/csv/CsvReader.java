package org.digitlab.data.csv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.digitlab.data.ClassLabels;
import org.digitlab.data.Dataset;
import org.digitlab.data.FileKinds;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.UserFiles;
import org.digitlab.data.idx.Compression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads images from CSV, one image per row: a label cell and H·W·C pixel cells (e.g. Kaggle's
 * {@code label,pixel1,…,pixel784} or the sklearn digits with the label last). Plain or gzip (detected from the
 * first bytes), with or without a UTF-8 BOM, LF or CRLF line ends.
 *
 * <p>The parser works on bytes in large chunks and converts numbers as it scans them, with no String per cell,
 * so it reads hundreds of MB per second. Pixels are kept as bytes when every value is an integer and
 * {@code pixelMax ≤ 255}, otherwise as floats. Every malformed row ends in an {@link InvalidDataException}
 * naming the file, line, column, and what was expected versus found.
 */
public final class CsvReader {
    private static final Logger LOG = LoggerFactory.getLogger(CsvReader.class);
    private static final int DEFAULT_BUFFER = 1 << 20;
    /** Pixel values allocated before the second row arrives, at most (unless one row holds more). */
    private static final int FIRST_VALUES = 1 << 20;
    /** Labels are class indices; a larger value is almost certainly the wrong column. */
    static final int MAX_LABEL = 65_535;

    private CsvReader() {
    }

    /** Reads {@code file}. */
    public static Dataset read(Path file, CsvOptions options) {
        UserFiles.checkRegularFile(file, "CSV file");
        // Closing the decompressing view too frees its native inflater now rather than at garbage collection.
        try (InputStream raw = Files.newInputStream(file); InputStream in = Compression.decompressIfGzipped(raw)) {
            Dataset dataset = new Parser(file.toString(), in, options, DEFAULT_BUFFER).parse();
            LOG.debug("read {} from {}", dataset, file);
            return dataset;
        } catch (IOException e) {
            throw InvalidDataException.of(file, "cannot read file: " + UserFiles.reason(e), e);
        }
    }

    /** Reads a stream (not closed); {@code sourceName} names it in error messages. */
    public static Dataset read(String sourceName, InputStream in, CsvOptions options) {
        return read(sourceName, in, options, DEFAULT_BUFFER);
    }

    /** As {@link #read(String, InputStream, CsvOptions)} with a given initial buffer size (tests use tiny ones). */
    static Dataset read(String sourceName, InputStream in, CsvOptions options, int bufferSize) {
        try {
            return new Parser(sourceName, Compression.decompressIfGzipped(in), options, bufferSize).parse();
        } catch (IOException e) {
            throw InvalidDataException.of(sourceName, "cannot read: " + UserFiles.reason(e), e);
        }
    }

    /** Parses one stream; rows are scanned while whole in the buffer, so error messages can quote cells. */
    private static final class Parser {
        // Cell scanner states; everything up to INT may still take digits of the integer part.
        private static final int START = 0;
        private static final int SIGN = 1;
        private static final int INT = 2;
        private static final int DOT = 3;
        private static final int FRAC = 4;
        private static final int EXP = 5;
        private static final int EXP_SIGN = 6;
        private static final int EXP_DIGITS = 7;
        private static final int TRAIL = 8;
        private static final int BAD = 9;
        /** Beyond this mantissa, further digits only shift the decimal exponent (doubles hold ~17 digits). */
        private static final long MANTISSA_LIMIT = 100_000_000_000_000_000L;
        private static final double[] POW10 = new double[23];

        static {
            POW10[0] = 1;
            for (int i = 1; i < POW10.length; i++) {
                POW10[i] = POW10[i - 1] * 10;
            }
        }

        private final String source;
        private final InputStream in;
        private final CsvOptions options;
        private final byte delimiter;

        private byte[] buf;
        private int end;
        private boolean eof;
        private long bytesRead;

        // The row just scanned: values (NaN = not a number), where each cell starts, and where the row ends.
        private double[] values = new double[256];
        private int[] cellStarts = new int[257];
        private int rowColumns;
        private int rowEnd;

        private long line;
        private long firstLine;
        private long blankLine;
        private int columns = -1;
        private int labelColumn;
        private ImageShape shape;
        private int pixelsPerImage;

        private boolean bytePixels;
        private int maxIntPixel;
        private byte[] bytes;
        private float[] floats;
        private int[] labels = new int[1024];
        private int rows;

        Parser(String source, InputStream in, CsvOptions options, int bufferSize) {
            this.source = source;
            this.in = in;
            this.options = options;
            this.delimiter = (byte) options.delimiter();
            this.buf = new byte[Math.max(bufferSize, 4)];
            this.bytePixels = options.pixelMax() <= 255;
            this.maxIntPixel = (int) Math.floor(Math.min(options.pixelMax(), 255));
        }

        Dataset parse() {
            fillFrom(0);
            byte[] head = Arrays.copyOf(buf, Math.min(end, FileKinds.HEAD_BYTES));
            if (FileKinds.isKnownBinary(head)) {
                throw InvalidDataException.atOffset(source, 0, "not a CSV text file: found bytes "
                        + FileKinds.hex(head) + FileKinds.describe(head));
            }
            int start = skipBom();
            while (start < end || !eof) {
                int next = scanRow(start);
                if (next < 0) {
                    start = refill(start);
                    continue;
                }
                line++;
                acceptRow();
                start = next;
            }
            if (columns < 0) {
                throw InvalidDataException.of(source, "file is empty; expected rows of a label and pixel values");
            }
            if (rows == 0) {
                throw InvalidDataException.of(source, "has a header on line " + firstLine
                        + " but no data rows; expected rows of a label and " + pixelsPerImage + " pixel values");
            }
            ClassLabels.Compact classes = ClassLabels.compact(Arrays.copyOf(labels, rows), source);
            int total = rows * pixelsPerImage;
            if (bytePixels) {
                return Dataset.ofBytes(shape, Arrays.copyOf(bytes, total), classes.labels(), classes.names(),
                        options.pixelMax());
            }
            return Dataset.ofFloats(shape, Arrays.copyOf(floats, total), classes.labels(), classes.names(),
                    options.pixelMax());
        }

        private int skipBom() {
            boolean bom = end >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF;
            return bom ? 3 : 0;
        }

        /** Moves the unfinished row to the front (growing the buffer if it fills it) and reads more. */
        private int refill(int start) {
            int kept = end - start;
            if (start == 0) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            } else {
                System.arraycopy(buf, start, buf, 0, kept);
            }
            end = kept;
            fillFrom(kept);
            return 0;
        }

        private void fillFrom(int from) {
            int n = from;
            try {
                while (n < buf.length) {
                    int r = in.read(buf, n, buf.length - n);
                    if (r < 0) {
                        eof = true;
                        break;
                    }
                    n += r;
                    bytesRead += r;
                }
            } catch (IOException e) {
                throw InvalidDataException.atOffset(source, bytesRead, "cannot read further (" + UserFiles.reason(e)
                        + "); the file is truncated or corrupt");
            }
            end = n;
        }

        /**
         * Scans the row starting at {@code from} into {@link #values}; returns where the next row starts, or -1
         * when the buffer ends before the row does and more input may follow.
         */
        private int scanRow(int from) {
            final byte[] b = buf;
            final byte delim = delimiter;
            int col = 0;
            cellStarts[0] = from;
            int state = START;
            long mantissa = 0;
            int scale = 0;
            int exponent = 0;
            boolean negative = false;
            boolean negativeExponent = false;
            boolean sawDigit = false;
            int p = from;
            while (true) {
                if (p == end) {
                    if (!eof) {
                        return -1;
                    }
                    break;
                }
                byte c = b[p];
                int digit = c - '0';
                if (digit >= 0 && digit <= 9) {
                    if (state <= DOT || state == FRAC) {
                        sawDigit = true;
                    }
                    if (state <= INT) {
                        state = INT;
                        if (mantissa < MANTISSA_LIMIT) {
                            mantissa = mantissa * 10 + digit;
                        } else {
                            scale++;
                        }
                    } else if (state == DOT || state == FRAC) {
                        state = FRAC;
                        if (mantissa < MANTISSA_LIMIT) {
                            mantissa = mantissa * 10 + digit;
                            scale--;
                        }
                    } else if (state == EXP || state == EXP_SIGN || state == EXP_DIGITS) {
                        state = EXP_DIGITS;
                        exponent = Math.min(exponent * 10 + digit, 9999);
                    } else {
                        state = BAD;
                    }
                } else if (c == delim) {
                    store(col, state, sawDigit, mantissa, scale, negativeExponent ? -exponent : exponent, negative);
                    col++;
                    if (col == values.length) {
                        growRow();
                    }
                    cellStarts[col] = p + 1;
                    state = START;
                    mantissa = 0;
                    scale = 0;
                    exponent = 0;
                    negative = false;
                    negativeExponent = false;
                    sawDigit = false;
                } else if (c == '\n') {
                    break;
                } else if (c == ' ' || c == '\t' || c == '\r') {
                    if (state == INT || state == FRAC || state == EXP_DIGITS || (state == DOT && sawDigit)) {
                        state = TRAIL;
                    } else if (state != START && state != TRAIL) {
                        state = BAD;
                    }
                } else if (c == '.') {
                    state = state <= INT ? DOT : BAD;
                } else if (c == '-' || c == '+') {
                    if (state == START) {
                        state = SIGN;
                        negative = c == '-';
                    } else if (state == EXP) {
                        state = EXP_SIGN;
                        negativeExponent = c == '-';
                    } else {
                        state = BAD;
                    }
                } else if ((c == 'e' || c == 'E') && sawDigit && (state == INT || state == FRAC || state == DOT)) {
                    state = EXP;
                } else {
                    state = BAD;
                }
                p++;
            }
            store(col, state, sawDigit, mantissa, scale, negativeExponent ? -exponent : exponent, negative);
            rowColumns = col + 1;
            rowEnd = p;
            return p < end ? p + 1 : p;
        }

        private void store(int col, int state, boolean sawDigit, long mantissa, int scale, int exponent,
                           boolean negative) {
            double value;
            if (state == INT && scale == 0) {
                value = mantissa;
            } else if (state == INT || state == FRAC || state == EXP_DIGITS || state == TRAIL
                    || (state == DOT && sawDigit)) {
                value = mantissa * pow10(scale + exponent);
            } else {
                value = Double.NaN;
            }
            values[col] = negative ? -value : value;
        }

        private static double pow10(int e) {
            if (e >= 0 && e < POW10.length) {
                return POW10[e];
            }
            return e < 0 && -e < POW10.length ? 1 / POW10[-e] : Math.pow(10, e);
        }

        private void growRow() {
            values = Arrays.copyOf(values, values.length * 2);
            cellStarts = Arrays.copyOf(cellStarts, values.length + 1);
        }

        private boolean blankRow() {
            return rowColumns == 1 && Double.isNaN(values[0]) && cellText(0).isEmpty();
        }

        private void acceptRow() {
            if (blankRow()) {
                blankLine = blankLine == 0 ? line : blankLine;
                return;
            }
            if (blankLine != 0) {
                throw InvalidDataException.atLine(source, blankLine, "blank line inside the data; expected "
                        + (columns < 0 ? "a row of values" : columns + " values"));
            }
            if (columns < 0) {
                firstLine = line;
                configure();
                if (options.header() == HeaderMode.YES
                        || (options.header() == HeaderMode.AUTO && firstNonNumber() >= 0)) {
                    return;
                }
            }
            if (rowColumns != columns) {
                throw InvalidDataException.atLine(source, line, "ragged row: expected " + columns
                        + " values (as on line " + firstLine + "), found " + rowColumns);
            }
            int bad = firstNonNumber();
            if (bad >= 0) {
                throw InvalidDataException.atLine(source, line, bad + 1, "expected a number, found '"
                        + cellText(bad) + "'");
            }
            acceptLabel();
            if (rows * (long) pixelsPerImage + pixelsPerImage > Integer.MAX_VALUE - 8) {
                throw InvalidDataException.atLine(source, line, "too many pixels for one dataset (over 2^31)");
            }
            if (!bytePixels || !acceptBytePixels()) {
                acceptFloatPixels();
            }
            rows++;
        }

        /** Fixes the column count, label column and image shape from the first row. */
        private void configure() {
            columns = rowColumns;
            if (columns < 2) {
                throw InvalidDataException.atLine(source, line, "expected a label and pixel values separated by '"
                        + options.delimiter() + "', found 1 column");
            }
            labelColumn = options.labelColumn().resolve(columns);
            if (labelColumn < 0) {
                throw InvalidDataException.atLine(source, line, "label column " + options.labelColumn()
                        + " is out of range: rows have " + columns + " columns (0-based indices 0.."
                        + (columns - 1) + ")");
            }
            int pixels = columns - 1;
            if (options.shape() != null) {
                shape = options.shape();
                if (shape.pixelsPerImage() != pixels) {
                    throw InvalidDataException.atLine(source, line, "expected a label and " + shape + " = "
                            + shape.pixelsPerImage() + " pixel values per row, found " + pixels + " pixel values");
                }
            } else {
                int side = (int) Math.round(Math.sqrt(pixels));
                if (side * side != pixels) {
                    throw InvalidDataException.atLine(source, line, "rows have " + pixels
                            + " pixel values, not a square image; give the image shape (height×width×channels)");
                }
                shape = ImageShape.grey(side, side);
            }
            pixelsPerImage = pixels;
            // Room for a thousand small images, but no more than FIRST_VALUES up front: a very wide first row
            // (or a header) must not allocate for rows that may never come; the arrays grow as rows arrive.
            int capacity = pixels * (int) Math.max(1, Math.min(1024, FIRST_VALUES / pixels));
            if (bytePixels) {
                bytes = new byte[capacity];
            } else {
                floats = new float[capacity];
            }
        }

        private int firstNonNumber() {
            for (int c = 0; c < rowColumns; c++) {
                if (Double.isNaN(values[c])) {
                    return c;
                }
            }
            return -1;
        }

        private void acceptLabel() {
            double v = values[labelColumn];
            if (v < 0 || v != Math.rint(v)) {
                throw InvalidDataException.atLine(source, line, labelColumn + 1,
                        "expected a non-negative integer label, found '" + cellText(labelColumn) + "'");
            }
            if (v > MAX_LABEL) {
                throw InvalidDataException.atLine(source, line, labelColumn + 1, "expected a class index 0.."
                        + MAX_LABEL + " as label, found " + cellText(labelColumn) + " (wrong label column?)");
            }
            if (rows == labels.length) {
                labels = Arrays.copyOf(labels, rows * 2);
            }
            labels[rows] = (int) v;
        }

        /** Stores the row as bytes; false (nothing stored) when a value needs floats. */
        private boolean acceptBytePixels() {
            int base = rows * pixelsPerImage;
            if (base + pixelsPerImage > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8, 2L * bytes.length));
            }
            byte[] out = bytes;
            double[] v = values;
            int k = base;
            for (int c = 0; c < columns; c++) {
                if (c == labelColumn) {
                    continue;
                }
                int asInt = (int) v[c];
                if (asInt == v[c] && asInt >= 0 && asInt <= maxIntPixel) {
                    out[k++] = (byte) asInt;
                } else {
                    checkPixelRange(c);
                    switchToFloats();
                    return false;
                }
            }
            return true;
        }

        private void acceptFloatPixels() {
            int base = rows * pixelsPerImage;
            if (base + pixelsPerImage > floats.length) {
                floats = Arrays.copyOf(floats, (int) Math.min(Integer.MAX_VALUE - 8, 2L * floats.length));
            }
            int k = base;
            for (int c = 0; c < columns; c++) {
                if (c != labelColumn) {
                    checkPixelRange(c);
                    floats[k++] = (float) values[c];
                }
            }
        }

        private void checkPixelRange(int c) {
            double v = values[c];
            if (!(v >= 0 && v <= options.pixelMax())) {
                throw InvalidDataException.atLine(source, line, c + 1, "expected a pixel value in [0, "
                        + formatMax() + "], found " + cellText(c));
            }
        }

        private String formatMax() {
            float max = options.pixelMax();
            return max == Math.rint(max) ? Integer.toString((int) max) : Float.toString(max);
        }

        /** Converts the rows stored so far to floats, for a file whose values turned out not to be bytes. */
        private void switchToFloats() {
            floats = new float[Math.max(bytes.length, (rows + 1) * pixelsPerImage)];
            for (int i = 0, n = rows * pixelsPerImage; i < n; i++) {
                floats[i] = bytes[i] & 0xFF;
            }
            bytes = null;
            bytePixels = false;
        }

        /** The text of cell {@code col} of the row just scanned, trimmed and shortened, for error messages. */
        private String cellText(int col) {
            int from = cellStarts[col];
            int to = col + 1 < rowColumns ? cellStarts[col + 1] - 1 : rowEnd;
            String text = new String(buf, from, to - from, StandardCharsets.UTF_8).strip();
            return text.length() > 40 ? text.substring(0, 40) + "…" : text;
        }
    }
}
