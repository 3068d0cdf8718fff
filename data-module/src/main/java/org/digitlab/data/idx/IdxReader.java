package org.digitlab.data.idx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.digitlab.data.ClassLabels;
import org.digitlab.data.Dataset;
import org.digitlab.data.FileKinds;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.UserFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST: an images file (idx3, N×H×W, or idx4, N×H×W×C, unsigned
 * bytes) and a labels file (idx1, N unsigned bytes). Either file may be gzip-compressed; that is detected from
 * its first bytes, not its name.
 *
 * <p>Nothing in a header is trusted before it is checked: the magic number, the element type, every dimension,
 * and that the file holds exactly the bytes the header promises. A header claiming more data than the file
 * holds fails before any large allocation; for compressed input the buffer grows only as data actually arrives.
 */
public final class IdxReader {
    private static final Logger LOG = LoggerFactory.getLogger(IdxReader.class);
    private static final int UNSIGNED_BYTE = 0x08;
    /** The largest array the JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** First buffer size when the data length cannot be checked up front (compressed input). */
    private static final int FIRST_CHUNK = 1 << 20;

    private IdxReader() {
    }

    /** Reads an images file and its labels file; labels become classes "0" … "max label". */
    public static Dataset read(Path images, Path labels) {
        IdxArray pixels = readFile(images, true);
        IdxArray classes = readFile(labels, false);
        Dataset dataset = combine(images.toString(), pixels, labels.toString(), classes);
        LOG.debug("read {} from {} and {}", dataset, images, labels);
        return dataset;
    }

    /**
     * Reads images and labels from streams (e.g. classpath resources); the names are used in error messages.
     * The streams are read to the end but not closed.
     */
    public static Dataset read(String imagesName, InputStream images, String labelsName, InputStream labels) {
        IdxArray pixels = readStream(imagesName, images, true);
        IdxArray classes = readStream(labelsName, labels, false);
        return combine(imagesName, pixels, labelsName, classes);
    }

    private static Dataset combine(String imagesName, IdxArray images, String labelsName, IdxArray labels) {
        int count = images.dims[0];
        if (labels.dims[0] != count) {
            throw InvalidDataException.of(labelsName, "holds " + labels.dims[0] + " labels, but " + imagesName
                    + " holds " + count + " images; expected one label per image");
        }
        int[] labelValues = new int[count];
        for (int i = 0; i < count; i++) {
            labelValues[i] = labels.data[i] & 0xFF;
        }
        ClassLabels.Compact classes = ClassLabels.compact(labelValues, labelsName);
        int[] d = images.dims;
        ImageShape shape = d.length == 3 ? ImageShape.grey(d[1], d[2]) : new ImageShape(d[1], d[2], d[3]);
        return Dataset.ofBytes(shape, images.data, classes.labels(), classes.names(), 255f);
    }

    private static IdxArray readFile(Path file, boolean images) {
        UserFiles.checkRegularFile(file, "IDX file");
        // Closing the decompressing view too frees its native inflater now rather than at garbage collection.
        try (InputStream raw = Files.newInputStream(file); InputStream in = Compression.decompressIfGzipped(raw)) {
            long size = Compression.isDecompressing(in) ? -1 : Files.size(file);
            return new Parser(file.toString(), in, size, images).parse();
        } catch (IOException e) {
            throw InvalidDataException.of(file, "cannot read file: " + UserFiles.reason(e), e);
        }
    }

    private static IdxArray readStream(String source, InputStream stream, boolean images) {
        try {
            return new Parser(source, Compression.decompressIfGzipped(stream), -1, images).parse();
        } catch (IOException e) {
            throw InvalidDataException.of(source, "cannot read: " + UserFiles.reason(e), e);
        }
    }

    /** The dimensions and raw bytes of one IDX file. */
    private record IdxArray(int[] dims, byte[] data) {
    }

    /** Reads one IDX stream, tracking the byte offset so every error can say where it happened. */
    private static final class Parser {
        private final String source;
        private final InputStream in;
        private final long knownSize;
        private final boolean images;
        private long offset;

        Parser(String source, InputStream in, long knownSize, boolean images) {
            this.source = source;
            this.in = in;
            this.knownSize = knownSize;
            this.images = images;
        }

        IdxArray parse() {
            String expectedKind = images ? "an idx3 (N×H×W) or idx4 (N×H×W×C) images file" : "an idx1 labels file";
            byte[] magic = readUpTo(4);
            if (magic.length == 0) {
                throw InvalidDataException.of(source, "file is empty; expected " + expectedKind);
            }
            if (magic.length < 4 || magic[0] != 0 || magic[1] != 0) {
                throw InvalidDataException.atOffset(source, 0, "not an IDX file: expected magic bytes "
                        + "00 00 08 0N, found " + FileKinds.hex(magic) + FileKinds.describe(magic));
            }
            int type = magic[2] & 0xFF;
            if (type != UNSIGNED_BYTE) {
                throw InvalidDataException.atOffset(source, 2, String.format(
                        "element type 0x%02X (%s) is not supported; expected 0x08 (unsigned byte)",
                        type, typeName(type)));
            }
            int rank = magic[3] & 0xFF;
            boolean rankOk = images ? rank == 3 || rank == 4 : rank == 1;
            if (!rankOk) {
                throw InvalidDataException.atOffset(source, 3, "expected " + expectedKind + ", found "
                        + rank + " dimension" + (rank == 1 ? "" : "s")
                        + (rank == 1 || rank == 3 ? " (are the images and labels files swapped?)" : ""));
            }
            int headerLength = 4 + 4 * rank;
            byte[] dimBytes = readUpTo(4 * rank);
            if (dimBytes.length < 4 * rank) {
                throw InvalidDataException.atOffset(source, offset, "file ends inside the header; expected "
                        + rank + " dimension sizes (" + headerLength + " header bytes)");
            }
            int[] dims = new int[rank];
            long expected = 1;
            for (int i = 0; i < rank; i++) {
                long d = Integer.toUnsignedLong(((dimBytes[4 * i] & 0xFF) << 24) | ((dimBytes[4 * i + 1] & 0xFF) << 16)
                        | ((dimBytes[4 * i + 2] & 0xFF) << 8) | (dimBytes[4 * i + 3] & 0xFF));
                if (d == 0 || d > Integer.MAX_VALUE) {
                    throw InvalidDataException.atOffset(source, 4 + 4L * i, "dimension " + i + " is " + d
                            + "; expected 1.." + Integer.MAX_VALUE);
                }
                dims[i] = (int) d;
                // Saturate rather than overflow: four dimensions of 2^31 do not fit in a long.
                expected = expected > Long.MAX_VALUE / d ? Long.MAX_VALUE : expected * d;
            }
            String promise = "the header promises " + describe(dims) + " = " + expected + " data bytes";
            if (knownSize >= 0 && knownSize - headerLength < expected) {
                throw InvalidDataException.atOffset(source, knownSize, "file ends after "
                        + (knownSize - headerLength) + " data bytes, but " + promise
                        + " (expected a file of " + (headerLength + expected) + " bytes)");
            }
            if (knownSize >= 0 && knownSize - headerLength > expected) {
                throw InvalidDataException.atOffset(source, headerLength + expected, (knownSize - headerLength
                        - expected) + " unexpected bytes after the data; " + promise);
            }
            if (expected > MAX_ARRAY) {
                throw InvalidDataException.atOffset(source, 4, promise + ", more than one dataset can hold");
            }
            byte[] data = readData((int) expected, promise);
            return new IdxArray(dims, data);
        }

        /** Reads exactly {@code expected} bytes, growing the buffer only as data arrives when the size is unknown. */
        private byte[] readData(int expected, String promise) {
            long dataStart = offset;
            byte[] buf = new byte[knownSize >= 0 ? expected : Math.min(expected, FIRST_CHUNK)];
            int filled = 0;
            while (true) {
                filled = fill(buf, filled);
                if (filled < buf.length) {
                    throw InvalidDataException.atOffset(source, offset, "data ends after " + (offset - dataStart)
                            + " bytes, but " + promise);
                }
                if (filled == expected) {
                    break;
                }
                buf = Arrays.copyOf(buf, (int) Math.min(expected, 2L * buf.length));
            }
            if (readUpTo(1).length > 0) {
                throw InvalidDataException.atOffset(source, offset - 1, "unexpected bytes after the data; "
                        + promise);
            }
            return buf;
        }

        private byte[] readUpTo(int length) {
            byte[] buf = new byte[length];
            int n = fill(buf, 0);
            return n == length ? buf : Arrays.copyOf(buf, n);
        }

        /** Fills {@code buf} from {@code from} until full or end of stream; returns the filled length. */
        private int fill(byte[] buf, int from) {
            int n = from;
            try {
                while (n < buf.length) {
                    int r = in.read(buf, n, buf.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                    offset += r;
                }
            } catch (IOException e) {
                // GZIPInputStream reports truncated or corrupt compressed data this way.
                throw InvalidDataException.atOffset(source, offset, "cannot read further ("
                        + UserFiles.reason(e) + "); the file is truncated or corrupt");
            }
            return n;
        }
    }

    private static String describe(int[] dims) {
        StringBuilder sb = new StringBuilder();
        sb.append(dims[0]).append(dims.length == 1 ? " labels" : " images of ");
        for (int i = 1; i < dims.length; i++) {
            sb.append(i > 1 ? "×" : "").append(dims[i]);
        }
        return sb.toString();
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "unknown";
        };
    }
}
