package org.digitlab.data.idx;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPOutputStream;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;

/**
 * Writes a byte-pixel dataset as an IDX images file (idx3 for one channel, idx4 otherwise) and an idx1 labels
 * file, the format {@link IdxReader} reads. Each file is written to a temporary file in the same directory and
 * then moved into place, so a crash never leaves a half-written file under the final name.
 */
public final class IdxWriter {
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxWriter() {
    }

    /**
     * Writes {@code dataset} to {@code images} and {@code labels}, gzip-compressed when {@code gzip} is true.
     *
     * @throws IllegalArgumentException if the dataset has float pixels or labels above 255
     */
    public static void write(Dataset dataset, Path images, Path labels, boolean gzip) {
        if (!dataset.isBytePixels()) {
            throw new IllegalArgumentException("IDX stores unsigned byte pixels, but the dataset has float pixels "
                    + "(normalised?); write the dataset before normalising");
        }
        if (dataset.numClasses() > 256) {
            throw new IllegalArgumentException("IDX labels are unsigned bytes (0..255), but the dataset has "
                    + dataset.numClasses() + " classes");
        }
        ImageShape shape = dataset.shape();
        int n = dataset.size();
        writeAtomically(images, gzip, out -> {
            int[] dims = shape.channels() == 1
                    ? new int[] {n, shape.height(), shape.width()}
                    : new int[] {n, shape.height(), shape.width(), shape.channels()};
            writeHeader(out, dims);
            int perImage = shape.pixelsPerImage();
            byte[] row = new byte[perImage];
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < perImage; p++) {
                    row[p] = (byte) dataset.pixel(i, p);
                }
                out.write(row);
            }
        });
        writeAtomically(labels, gzip, out -> {
            writeHeader(out, new int[] {n});
            for (int i = 0; i < n; i++) {
                out.write(dataset.label(i));
            }
        });
    }

    private static void writeHeader(DataOutputStream out, int[] dims) throws IOException {
        out.write(new byte[] {0, 0, UNSIGNED_BYTE, (byte) dims.length});
        for (int d : dims) {
            out.writeInt(d);
        }
    }

    private interface Body {
        void writeTo(DataOutputStream out) throws IOException;
    }

    private static void writeAtomically(Path target, boolean gzip, Body body) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
            try (OutputStream file = Files.newOutputStream(temp);
                 OutputStream maybeGzip = gzip ? new GZIPOutputStream(file, 1 << 16) : file;
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(maybeGzip, 1 << 16))) {
                body.writeTo(out);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The move succeeded or the original error matters more than a leftover temp file.
                }
            }
        }
    }
}
