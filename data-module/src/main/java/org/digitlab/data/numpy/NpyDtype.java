package org.digitlab.data.numpy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain numeric NumPy element type as a header's {@code descr} spells it: byte order, kind and size, e.g.
 * {@code '<f4'} (little-endian float32) or {@code '|u1'} (uint8).
 *
 * @param kind  {@code 'b'} (bool), {@code 'i'} (signed integer), {@code 'u'} (unsigned integer) or {@code 'f'}
 * @param size  bytes per element
 * @param order the byte order of multi-byte elements
 * @param descr the descr as written in the header
 */
record NpyDtype(char kind, int size, ByteOrder order, String descr) {
    private static final Pattern DESCR = Pattern.compile("([<>|=]?)([a-zA-Z])(\\d{0,3})");

    /**
     * The dtype {@code descr} names, or a reason why it is not supported, thrown by the caller with its source.
     *
     * @throws IllegalArgumentException saying what {@code descr} is and which dtypes are supported
     */
    static NpyDtype parse(String descr) {
        Matcher m = DESCR.matcher(descr);
        if (!m.matches()) {
            throw new IllegalArgumentException("dtype '" + descr + "' is not a NumPy type code; " + supported());
        }
        char kind = m.group(2).charAt(0);
        int size = m.group(3).isEmpty() ? -1 : Integer.parseInt(m.group(3));
        if (kind == 'O') {
            throw new IllegalArgumentException("dtype '" + descr + "' holds pickled Python objects, which are never "
                    + "unpickled (that could run code); save a numeric array, e.g. np.asarray(x, dtype=np.uint8)");
        }
        boolean known = switch (kind) {
            case 'b' -> size == 1;
            case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
            case 'f' -> size == 4 || size == 8;
            default -> false;
        };
        if (!known) {
            throw new IllegalArgumentException("dtype '" + descr + "' (" + describeUnsupported(kind, size)
                    + ") is not supported; " + supported());
        }
        String prefix = m.group(1);
        if (size > 1 && !prefix.equals("<") && !prefix.equals(">")) {
            throw new IllegalArgumentException("dtype '" + descr + "' does not say its byte order; expected '<' "
                    + "(little-endian) or '>' (big-endian) before a multi-byte type");
        }
        return new NpyDtype(kind, size, prefix.equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN, descr);
    }

    /** True for bool and the integer kinds. */
    boolean isInteger() {
        return kind != 'f';
    }

    /** NumPy's name, e.g. "float32", "uint8", "bool". */
    String name() {
        return switch (kind) {
            case 'b' -> "bool";
            case 'i' -> "int" + 8 * size;
            case 'u' -> "uint" + 8 * size;
            default -> "float" + 8 * size;
        };
    }

    /** NumPy's name and the descr, e.g. "float32 ('&lt;f4')". */
    @Override
    public String toString() {
        return name() + " ('" + descr + "')";
    }

    /**
     * The next element of an integer dtype as a long; a uint64 beyond {@code Long.MAX_VALUE} comes back negative
     * (callers reject negative values anyway, and print them with {@link #integerText}).
     */
    long nextInteger(ByteBuffer b) {
        boolean unsigned = kind != 'i';
        return switch (size) {
            case 1 -> kind == 'b' ? (b.get() != 0 ? 1 : 0) : unsigned ? b.get() & 0xFF : b.get();
            case 2 -> unsigned ? b.getShort() & 0xFFFF : b.getShort();
            case 4 -> unsigned ? b.getInt() & 0xFFFF_FFFFL : b.getInt();
            default -> b.getLong();
        };
    }

    /** The next element of any supported dtype as a double. */
    double nextNumber(ByteBuffer b) {
        if (kind == 'f') {
            return size == 4 ? b.getFloat() : b.getDouble();
        }
        long v = nextInteger(b);
        return kind == 'u' && v < 0 ? Math.pow(2, 64) + v : v;
    }

    /** {@code value} as read by {@link #nextInteger}, printed as the file holds it. */
    String integerText(long value) {
        return kind == 'u' ? Long.toUnsignedString(value) : Long.toString(value);
    }

    /** A value as a user would write it: integral values without ".0", others as float32 prints them. */
    static String text(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Float.toString((float) v);
    }

    private static String describeUnsupported(char kind, int size) {
        String bits = size > 0 ? Integer.toString(8 * size) : "";
        return switch (kind) {
            case 'f' -> "float" + bits;
            case 'c' -> "complex" + bits;
            case 'i' -> "int" + bits;
            case 'u' -> "uint" + bits;
            case 'b' -> "bool of " + size + " bytes";
            case 'U' -> "Unicode strings";
            case 'S', 'a' -> "byte strings";
            case 'V' -> "raw bytes";
            case 'M', 'm' -> "dates or times";
            default -> "an unknown kind";
        };
    }

    private static String supported() {
        return "expected uint8 or float32/float64 for images ('|u1', '<f4', '<f8', '>f4', '>f8'), "
                + "and bool or an integer type for labels";
    }
}
