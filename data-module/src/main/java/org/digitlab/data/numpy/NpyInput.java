package org.digitlab.data.numpy;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.UserFiles;

/**
 * One .npy array being read: its checked header and the stream at its first data byte.
 *
 * <p>{@link #verifyLength()} makes sure the data the header promises is really there before anything that large is
 * allocated: a plain file's size must match exactly; an .npz member's data is first counted by inflating it (at
 * most the promised bytes plus one, so a zip bomb inflates no further) unless it is no larger than the archive
 * itself. Zip entry sizes are checked against the header, never trusted.
 */
final class NpyInput implements Closeable {
    /** The most data one .npz member may promise; more is a zip bomb or not a dataset this reader can hold. */
    static final long MAX_MEMBER_BYTES = 8L << 30;
    private static final int CHUNK = 1 << 20;

    /** Opens a stream over the bytes of a file or member, from the start. */
    @FunctionalInterface
    private interface Opener {
        InputStream open() throws IOException;
    }

    private final NpyHeader header;
    private final InputStream in;
    /** Bytes the whole stream holds (a plain file's size), or -1 when unknown. */
    private final long knownLength;
    /** The size a zip entry claims for the member, or -1. */
    private final long declaredLength;
    /** Data up to this many bytes may be allocated before it has been seen (it cannot exceed the archive). */
    private final long trustedLength;
    /** Opens the member again to count its data; null for plain files, whose size is known. */
    private final Opener reopener;
    /** The CRC-32 the archive lists for the member, or -1 (plain files, or none listed). */
    private final long expectedCrc;
    private long offset;
    private byte[] chunk;

    private NpyInput(NpyHeader header, InputStream in, long knownLength, long declaredLength, long trustedLength,
                     Opener reopener, long expectedCrc) {
        this.header = header;
        this.in = in;
        this.knownLength = knownLength;
        this.declaredLength = declaredLength;
        this.trustedLength = trustedLength;
        this.reopener = reopener;
        this.expectedCrc = expectedCrc;
        this.offset = header.dataOffset();
    }

    /** Opens a .npy file and reads its header. */
    static NpyInput open(Path file) {
        UserFiles.checkRegularFile(file, "NumPy .npy file");
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw InvalidDataException.of(file, "cannot read file: " + UserFiles.reason(e), e);
        }
        return open(file.toString(), () -> Files.newInputStream(file), size, -1, size, null, -1);
    }

    /** Opens member {@code entry} of an .npz archive of {@code archiveSize} bytes and reads its header. */
    static NpyInput open(ZipFile zip, ZipEntry entry, String source, long archiveSize) {
        Opener member = () -> zip.getInputStream(entry);
        // ZipFile does not check a member's CRC-32 (NumPy's zipfile does): checked in finish(), so flipped bits in
        // an archive are refused rather than trained on.
        Opener checked = () -> new CheckedInputStream(member.open(), new CRC32());
        return open(source, checked, -1, entry.getSize(), archiveSize, member, entry.getCrc());
    }

    private static NpyInput open(String source, Opener opener, long knownLength, long declaredLength,
                                 long trustedLength, Opener reopener, long expectedCrc) {
        InputStream in = null;
        try {
            in = opener.open();
            NpyHeader header = NpyHeader.read(source, in);
            return new NpyInput(header, in, knownLength, declaredLength, trustedLength, reopener, expectedCrc);
        } catch (IOException e) {
            closeQuietly(in);
            throw InvalidDataException.of(source, "cannot read: " + UserFiles.reason(e), e);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /** The checked header. */
    NpyHeader header() {
        return header;
    }

    /** The file or member, for messages. */
    String source() {
        return header.source();
    }

    /** Checks that the stream holds exactly the data the header promises; see the class comment. */
    void verifyLength() {
        long promised = header.dataBytes();
        long total = promised > Long.MAX_VALUE - header.dataOffset() ? Long.MAX_VALUE
                : header.dataOffset() + promised;
        if (knownLength >= 0) {
            long data = knownLength - header.dataOffset();
            if (data < promised) {
                throw InvalidDataException.atOffset(source(), knownLength, "file ends after " + data
                        + " data bytes, but " + header.promise() + " (expected a file of " + total + " bytes)");
            }
            if (data > promised) {
                throw InvalidDataException.atOffset(source(), total, (data - promised)
                        + " unexpected bytes after the data; " + header.promise());
            }
            return;
        }
        if (promised > MAX_MEMBER_BYTES) {
            throw InvalidDataException.of(source(), header.promise() + ", over the limit of " + MAX_MEMBER_BYTES
                    + " bytes (8 GiB) for one member");
        }
        if (declaredLength >= 0 && declaredLength != total) {
            throw InvalidDataException.of(source(), "the archive lists this member as " + declaredLength
                    + " bytes, but " + header.promise() + " after a " + header.dataOffset() + "-byte header ("
                    + total + " bytes); the archive is corrupt");
        }
        if (promised > trustedLength) {
            countData(total);
        }
    }

    private void countData(long total) {
        byte[] scratch = new byte[(int) Math.min(CHUNK, total + 1)];
        long counted = 0;
        try (InputStream again = reopener.open()) {
            while (counted <= total) {
                int r = read(again, scratch, 0, (int) Math.min(scratch.length, total + 1 - counted), counted);
                if (r < 0) {
                    break;
                }
                counted += r;
            }
        } catch (IOException e) {
            throw InvalidDataException.of(source(), "cannot read: " + UserFiles.reason(e), e);
        }
        if (counted < total) {
            throw shortData(counted);
        }
        if (counted > total) {
            throw trailing(total);
        }
    }

    /** Fills all of {@code target} with data bytes; for uint8 arrays, read without a copy. */
    void readInto(byte[] target) {
        int filled = 0;
        while (filled < target.length) {
            int r = read(in, target, filled, target.length - filled, offset);
            if (r < 0) {
                throw shortData(offset);
            }
            filled += r;
            offset += r;
        }
    }

    /**
     * The next chunk of whole elements in the file's byte order, or null after the last element; the buffer is
     * reused by the next call.
     */
    ByteBuffer nextChunk() {
        long left = header.dataOffset() + header.dataBytes() - offset;
        if (left == 0) {
            return null;
        }
        if (chunk == null) {
            chunk = new byte[(int) Math.min(CHUNK, header.dataBytes())];
        }
        int length = (int) Math.min(chunk.length, left);
        int filled = 0;
        while (filled < length) {
            int r = read(in, chunk, filled, length - filled, offset);
            if (r < 0) {
                throw shortData(offset);
            }
            filled += r;
            offset += r;
        }
        return ByteBuffer.wrap(chunk, 0, length).order(header.dtype().order());
    }

    /** Checks that nothing follows the data and, for an archive member, that its CRC-32 is the one listed. */
    void finish() {
        if (read(in, new byte[1], 0, 1, offset) > 0) {
            throw trailing(offset);
        }
        if (expectedCrc >= 0 && in instanceof CheckedInputStream checked
                && checked.getChecksum().getValue() != expectedCrc) {
            throw InvalidDataException.of(source(), String.format("the data's CRC-32 is %08X but the archive "
                    + "lists %08X; the .npz file is corrupt", checked.getChecksum().getValue(), expectedCrc));
        }
    }

    @Override
    public void close() {
        closeQuietly(in);
    }

    private int read(InputStream stream, byte[] buf, int from, int length, long at) {
        try {
            return stream.read(buf, from, length);
        } catch (IOException e) {
            // Inflating streams report truncated or corrupt compressed data this way.
            throw InvalidDataException.atOffset(source(), at, "cannot read further (" + UserFiles.reason(e)
                    + "); the data is truncated or corrupt");
        }
    }

    private InvalidDataException shortData(long at) {
        return InvalidDataException.atOffset(source(), at, "data ends after " + (at - header.dataOffset())
                + " bytes, but " + header.promise());
    }

    private InvalidDataException trailing(long at) {
        return InvalidDataException.atOffset(source(), at, "unexpected bytes after the data; " + header.promise());
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // Nothing was read that closing could lose; the error being reported matters more.
            }
        }
    }
}
