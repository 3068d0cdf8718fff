package org.digitlab.data.numpy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.digitlab.data.FileKinds;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.UserFiles;

/**
 * The header of a NumPy {@code .npy} file, format versions 1.0, 2.0 and 3.0: the magic bytes {@code \x93NUMPY},
 * the version, the header length (2 bytes little-endian in 1.0, 4 bytes after), then a Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 28, 28), }} padded with spaces and a newline.
 *
 * <p>Every field is checked before the data is touched: the dict's syntax and keys, a plain numeric dtype (object
 * arrays are refused, never unpickled), C order, and dimensions of 1 to 2<sup>31</sup>−1.
 */
final class NpyHeader {
    /** The magic bytes every .npy file starts with. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Longer headers are not arrays of images but garbage (NumPy itself refuses more than 10,000 bytes). */
    static final int MAX_HEADER_LENGTH = 65_536;
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    private final String source;
    private final NpyDtype dtype;
    private final int[] shape;
    private final long dataOffset;

    private NpyHeader(String source, NpyDtype dtype, int[] shape, long dataOffset) {
        this.source = source;
        this.dtype = dtype;
        this.shape = shape;
        this.dataOffset = dataOffset;
    }

    /** Reads and checks the header from the start of {@code in}, leaving it at the first data byte. */
    static NpyHeader read(String source, InputStream in) {
        byte[] prefix = readUpTo(source, in, 10, 0);
        if (prefix.length == 0) {
            throw InvalidDataException.of(source, "file is empty; expected a NumPy .npy file");
        }
        if (prefix.length < MAGIC.length || !Arrays.equals(prefix, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            byte[] found = Arrays.copyOf(prefix, Math.min(prefix.length, MAGIC.length));
            throw InvalidDataException.atOffset(source, 0, "not a NumPy .npy file: expected magic bytes "
                    + FileKinds.hex(MAGIC) + ", found " + FileKinds.hex(found) + FileKinds.describe(prefix));
        }
        if (prefix.length < 10) {
            throw InvalidDataException.atOffset(source, prefix.length, "file ends inside the header");
        }
        int major = prefix[6] & 0xFF;
        int minor = prefix[7] & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw InvalidDataException.atOffset(source, 6, "format version " + major + "." + minor
                    + " is not supported; expected 1.0, 2.0 or 3.0");
        }
        long length = (prefix[8] & 0xFF) | (prefix[9] & 0xFF) << 8;
        int start = 10;
        if (major > 1) {
            byte[] high = readUpTo(source, in, 2, 10);
            if (high.length < 2) {
                throw InvalidDataException.atOffset(source, 10 + high.length, "file ends inside the header");
            }
            length |= ((high[0] & 0xFF) | (long) (high[1] & 0xFF) << 8) << 16;
            start = 12;
        }
        if (length > MAX_HEADER_LENGTH) {
            throw InvalidDataException.atOffset(source, 8, "header length " + length + " is over "
                    + MAX_HEADER_LENGTH + " bytes; expected a short dict of descr, fortran_order and shape");
        }
        byte[] text = readUpTo(source, in, (int) length, start);
        if (text.length < length) {
            throw InvalidDataException.atOffset(source, start + text.length, "file ends inside the header, after "
                    + text.length + " of its " + length + " bytes");
        }
        // Versions 1.0 and 2.0 write Latin-1, 3.0 writes UTF-8; real headers are ASCII either way.
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return new Literal(source, dict, start).header(start + length);
    }

    /** The file or member the header was read from, for messages. */
    String source() {
        return source;
    }

    /** The element type. */
    NpyDtype dtype() {
        return dtype;
    }

    /** The dimensions, each at least 1. */
    int[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    int rank() {
        return shape.length;
    }

    /** Dimension {@code i}. */
    int dim(int i) {
        return shape[i];
    }

    /** Where the data starts: the magic, version, length and dict together. */
    long dataOffset() {
        return dataOffset;
    }

    /** The number of elements the shape promises; saturates at {@code Long.MAX_VALUE}. */
    long elements() {
        long n = 1;
        for (int d : shape) {
            n = n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
        }
        return n;
    }

    /** The number of data bytes the shape and dtype promise; saturates at {@code Long.MAX_VALUE}. */
    long dataBytes() {
        long n = elements();
        return n > Long.MAX_VALUE / dtype.size() ? Long.MAX_VALUE : n * dtype.size();
    }

    /** The shape as Python writes it, e.g. "(60000, 28, 28)" or "(5,)". */
    String shapeText() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** "the header promises shape (…) of dtype = N data bytes", for size errors. */
    String promise() {
        return "the header promises shape " + shapeText() + " of " + dtype.name() + " = " + dataBytes()
                + " data bytes";
    }

    /** The NumPy index of the element at C-order position {@code flat}, e.g. "[3, 5, 7]". */
    String index(long flat) {
        long[] index = new long[shape.length];
        long rest = flat;
        for (int i = shape.length - 1; i >= 0; i--) {
            index[i] = rest % shape[i];
            rest /= shape[i];
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < index.length; i++) {
            sb.append(i > 0 ? ", " : "").append(index[i]);
        }
        return sb.append(']').toString();
    }

    private static byte[] readUpTo(String source, InputStream in, int length, long offset) {
        try {
            return in.readNBytes(length);
        } catch (IOException e) {
            throw InvalidDataException.atOffset(source, offset, "cannot read the header (" + UserFiles.reason(e)
                    + "); the file is truncated or corrupt");
        }
    }

    /** A Python tuple; a parenthesised single value without a comma is that value, as in Python. */
    private record Tuple(List<Object> items) {
    }

    /**
     * Parses the Python literal subset NumPy writes: a dict of strings, True/False/None, integers (a Python 2 'L'
     * suffix allowed), tuples and lists. Errors name the byte offset in the file.
     */
    private static final class Literal {
        /** Python's None; no check accepts it. */
        private static final Object NONE = new Object();
        /** Deeper nesting is garbage, and unbounded recursion would overflow the stack. */
        private static final int MAX_DEPTH = 16;
        private final String source;
        private final String text;
        private final long base;
        private final Map<String, Integer> valueAt = new LinkedHashMap<>();
        private int pos;
        private int depth;

        Literal(String source, String text, long base) {
            this.source = source;
            this.text = text;
            this.base = base;
        }

        NpyHeader header(long dataOffset) {
            skipSpace();
            if (peek() != '{') {
                throw error("expected the header dict to start with '{', found " + found());
            }
            Map<String, Object> dict = dict();
            skipSpace();
            if (pos < text.length()) {
                throw error("expected only padding after the header dict, found " + found());
            }
            for (String key : dict.keySet()) {
                if (!KEYS.contains(key)) {
                    throw at(key, "header has the unexpected key '" + key + "'; expected exactly 'descr', "
                            + "'fortran_order' and 'shape'");
                }
            }
            for (String key : List.of("descr", "fortran_order", "shape")) {
                if (!dict.containsKey(key)) {
                    throw InvalidDataException.atOffset(source, base, "header lacks the key '" + key
                            + "'; expected exactly 'descr', 'fortran_order' and 'shape'");
                }
            }
            NpyDtype dtype = dtype(dict.get("descr"));
            int[] shape = shape(dict.get("shape"));
            Object fortran = dict.get("fortran_order");
            if (!(fortran instanceof Boolean)) {
                throw at("fortran_order", "fortran_order is " + python(fortran) + "; expected True or False");
            }
            if ((Boolean) fortran && Arrays.stream(shape).filter(d -> d > 1).count() > 1) {
                throw at("fortran_order", "the array is in Fortran (column-major) order, which is not supported; "
                        + "save it in C order: np.save(file, np.ascontiguousarray(x))");
            }
            return new NpyHeader(source, dtype, shape, dataOffset);
        }

        private NpyDtype dtype(Object descr) {
            if (descr instanceof List || descr instanceof Tuple) {
                throw at("descr", "descr is a list of fields (a structured dtype), which is not supported; "
                        + "expected a plain numeric dtype such as '|u1' or '<f4'");
            }
            if (!(descr instanceof String)) {
                throw at("descr", "descr is " + python(descr) + "; expected a dtype string such as '|u1' or '<f4'");
            }
            try {
                return NpyDtype.parse((String) descr);
            } catch (IllegalArgumentException e) {
                throw at("descr", e.getMessage());
            }
        }

        private int[] shape(Object value) {
            if (!(value instanceof Tuple)) {
                throw at("shape", "shape is " + python(value) + "; expected a tuple of integers");
            }
            List<Object> items = ((Tuple) value).items();
            if (items.isEmpty()) {
                throw at("shape", "shape () is a single value, not an array; expected an array of images or labels");
            }
            int[] shape = new int[items.size()];
            for (int i = 0; i < shape.length; i++) {
                Object item = items.get(i);
                if (!(item instanceof BigInteger)) {
                    throw at("shape", "shape " + python(value) + " holds " + python(item)
                            + "; expected integers");
                }
                BigInteger d = (BigInteger) item;
                if (d.signum() <= 0 || d.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
                    throw at("shape", "dimension " + i + " of shape " + python(value) + " is " + d + "; expected 1.."
                            + Integer.MAX_VALUE + (d.signum() == 0 ? " (the array is empty)" : ""));
                }
                shape[i] = d.intValue();
            }
            return shape;
        }

        private Map<String, Object> dict() {
            pos++;
            Map<String, Object> dict = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    return dict;
                }
                if (peek() != '\'' && peek() != '"') {
                    throw error("expected a quoted key or '}', found " + found());
                }
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                valueAt.put(key, pos);
                if (dict.put(key, value()) != null) {
                    throw at(key, "header has the key '" + key + "' twice");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}' in the header dict, found " + found());
                }
            }
        }

        private Object value() {
            char c = peek();
            if (c == '{' || c == '(' || c == '[') {
                if (++depth > MAX_DEPTH) {
                    throw error("values nested more than " + MAX_DEPTH + " deep; expected a flat dict");
                }
                Object value = c == '{' ? dict() : sequence(c);
                depth--;
                return value;
            }
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '-' || c >= '0' && c <= '9') {
                return integer();
            }
            int start = pos;
            while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
                pos++;
            }
            String word = text.substring(start, pos);
            switch (word) {
                case "True":
                    return Boolean.TRUE;
                case "False":
                    return Boolean.FALSE;
                case "None":
                    return NONE;
                default:
                    pos = start;
                    throw error("expected a value, found " + found());
            }
        }

        private Object sequence(char open) {
            char close = open == '(' ? ')' : ']';
            pos++;
            List<Object> items = new ArrayList<>();
            boolean comma = false;
            while (true) {
                skipSpace();
                if (peek() == close) {
                    pos++;
                    break;
                }
                items.add(value());
                skipSpace();
                comma = peek() == ',';
                if (comma) {
                    pos++;
                } else if (peek() != close) {
                    throw error("expected ',' or '" + close + "', found " + found());
                }
            }
            if (open == '[') {
                return items;
            }
            return items.size() == 1 && !comma ? items.get(0) : new Tuple(items);
        }

        private String string() {
            char quote = text.charAt(pos++);
            StringBuilder sb = new StringBuilder();
            while (pos < text.length() && text.charAt(pos) != quote) {
                char c = text.charAt(pos++);
                if (c == '\\' && pos < text.length()) {
                    c = text.charAt(pos++);
                }
                if (c == '\n') {
                    break;
                }
                sb.append(c);
            }
            if (pos >= text.length() || text.charAt(pos) != quote) {
                throw error("string is not closed; expected " + quote);
            }
            pos++;
            return sb.toString();
        }

        private BigInteger integer() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos)) && pos - start < 40) {
                pos++;
            }
            String digits = text.substring(start, pos);
            if (digits.equals("-") || pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos = start;
                throw error("expected an integer of at most 40 digits, found " + found());
            }
            if (peek() == 'L' || peek() == 'l') {
                pos++;
            }
            return new BigInteger(digits);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "', found " + found());
            }
            pos++;
        }

        private void skipSpace() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t'
                    || text.charAt(pos) == '\n' || text.charAt(pos) == '\r')) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private String found() {
            if (pos >= text.length()) {
                return "the end of the header";
            }
            String rest = text.substring(pos, Math.min(text.length(), pos + 20)).replaceAll("\\s+", " ");
            return "'" + rest + "'";
        }

        private InvalidDataException error(String problem) {
            return InvalidDataException.atOffset(source, base + pos, "header: " + problem);
        }

        private InvalidDataException at(String key, String problem) {
            return InvalidDataException.atOffset(source, base + valueAt.getOrDefault(key, 0), "header: " + problem);
        }

        private static String python(Object value) {
            if (value == NONE) {
                return "None";
            }
            if (value instanceof Boolean) {
                return (Boolean) value ? "True" : "False";
            }
            if (value instanceof String) {
                return "'" + value + "'";
            }
            if (value instanceof Tuple) {
                List<Object> items = ((Tuple) value).items();
                StringBuilder sb = new StringBuilder("(");
                for (int i = 0; i < items.size(); i++) {
                    sb.append(i > 0 ? ", " : "").append(python(items.get(i)));
                }
                return sb.append(items.size() == 1 ? ",)" : ")").toString();
            }
            if (value instanceof List) {
                List<String> items = new ArrayList<>();
                for (Object item : (List<?>) value) {
                    items.add(python(item));
                }
                return "[" + String.join(", ", items) + "]";
            }
            if (value instanceof Map) {
                return "a dict";
            }
            return String.valueOf(value);
        }
    }
}
