package org.digitlab.data.numpy;

import java.nio.ByteBuffer;
import org.digitlab.data.InvalidDataException;

/**
 * An .npy array read as labels: class numbers of any integer dtype (or bool) of shape N or N×1, or one-hot rows
 * N×K of any dtype, each exactly one 1 and the rest 0 (the label is the column of the 1).
 */
final class NpyLabels {
    /** Labels are class numbers; a larger value is almost certainly not a label (as for CSV). */
    static final int MAX_LABEL = 65_535;

    private NpyLabels() {
    }

    /**
     * Checks that {@code header} describes labels, before any data is read.
     *
     * @return the number of labels
     */
    static int check(NpyHeader header) {
        String source = header.source();
        int rank = header.rank();
        if (rank > 2) {
            throw InvalidDataException.of(source, "expected labels of shape (N,), (N, 1) or one-hot (N, K), found "
                    + "shape " + header.shapeText() + " (an images array? are the images and labels swapped?)");
        }
        if (isOneHot(header)) {
            if (header.dim(1) > MAX_LABEL + 1) {
                throw InvalidDataException.of(source, "one-hot labels of shape " + header.shapeText() + " have "
                        + header.dim(1) + " columns; expected at most " + (MAX_LABEL + 1) + " classes");
            }
        } else if (!header.dtype().isInteger()) {
            throw InvalidDataException.of(source, "labels of dtype " + header.dtype() + " are not supported; "
                    + "expected class numbers of an integer dtype (or one-hot rows (N, K)); convert them, e.g. "
                    + "y.astype(np.int64)");
        }
        return header.dim(0);
    }

    /** Reads the label values of {@code input}, after {@link #check}: class numbers, or the column of each 1. */
    static int[] read(NpyInput input) {
        input.verifyLength();
        NpyHeader header = input.header();
        int[] labels = isOneHot(header) ? readOneHot(input) : readNumbers(input);
        input.finish();
        return labels;
    }

    private static boolean isOneHot(NpyHeader header) {
        return header.rank() == 2 && header.dim(1) > 1;
    }

    private static int[] readNumbers(NpyInput input) {
        NpyHeader header = input.header();
        NpyDtype dtype = header.dtype();
        int[] labels = new int[header.dim(0)];
        int at = 0;
        for (ByteBuffer chunk = input.nextChunk(); chunk != null; chunk = input.nextChunk()) {
            while (chunk.hasRemaining()) {
                long v = dtype.nextInteger(chunk);
                if (v < 0 || v > MAX_LABEL) {
                    boolean negative = v < 0 && dtype.kind() == 'i';
                    throw InvalidDataException.of(input.source(), "label " + header.index(at) + " is "
                            + dtype.integerText(v) + "; expected class numbers 0–" + MAX_LABEL
                            + (negative ? "" : " (is this the labels array?)"));
                }
                labels[at++] = (int) v;
            }
        }
        return labels;
    }

    private static int[] readOneHot(NpyInput input) {
        NpyHeader header = input.header();
        NpyDtype dtype = header.dtype();
        int columns = header.dim(1);
        int[] labels = new int[header.dim(0)];
        long row = 0;
        int column = 0;
        int hot = -1;
        for (ByteBuffer chunk = input.nextChunk(); chunk != null; chunk = input.nextChunk()) {
            while (chunk.hasRemaining()) {
                double v = dtype.nextNumber(chunk);
                if (v == 1 && hot >= 0) {
                    throw notOneHot(input, row, "has a 1 in columns " + hot + " and " + column);
                }
                if (v == 1) {
                    hot = column;
                } else if (v != 0) {
                    throw notOneHot(input, row, "holds " + NpyDtype.text(v) + " in column " + column);
                }
                if (++column == columns) {
                    if (hot < 0) {
                        throw notOneHot(input, row, "has no 1");
                    }
                    labels[(int) row++] = hot;
                    column = 0;
                    hot = -1;
                }
            }
        }
        return labels;
    }

    private static InvalidDataException notOneHot(NpyInput input, long row, String problem) {
        return InvalidDataException.of(input.source(), "one-hot row " + row + " " + problem
                + "; expected exactly one 1 and the rest 0 in each row of shape " + input.header().shapeText());
    }
}
