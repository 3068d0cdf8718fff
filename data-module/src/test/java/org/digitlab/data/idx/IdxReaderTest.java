package org.digitlab.data.idx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    private static final String BUILTIN = "/org/digitlab/data/builtin/mnist-sample-";

    @TempDir
    Path dir;

    @Test
    void readsBuiltInMnistSampleWithItsKnownClassCounts() throws IOException {
        Dataset mnist;
        try (InputStream images = getClass().getResourceAsStream(BUILTIN + "images-idx3-ubyte.gz");
             InputStream labels = getClass().getResourceAsStream(BUILTIN + "labels-idx1-ubyte.gz")) {
            mnist = IdxReader.read("images", images, "labels", labels);
        }
        assertThat(mnist.size()).isEqualTo(10_000);
        assertThat(mnist.shape()).isEqualTo(ImageShape.grey(28, 28));
        assertThat(mnist.isBytePixels()).isTrue();
        assertThat(mnist.pixelMax()).isEqualTo(255f);
        assertThat(mnist.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(mnist.classCounts()).containsExactly(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
        float max = 0;
        for (int p = 0; p < 784; p++) {
            max = Math.max(max, mnist.pixel(0, p));
        }
        assertThat(max).isEqualTo(255f);
    }

    @Test
    void readsBuiltInMnistSampleFromFilesLikeFromStreams() throws URISyntaxException, IOException {
        Path images = Path.of(getClass().getResource(BUILTIN + "images-idx3-ubyte.gz").toURI());
        Path labels = Path.of(getClass().getResource(BUILTIN + "labels-idx1-ubyte.gz").toURI());
        Dataset fromFiles = IdxReader.read(images, labels);
        Dataset fromStreams;
        try (InputStream i = Files.newInputStream(images); InputStream l = Files.newInputStream(labels)) {
            fromStreams = IdxReader.read("images", i, "labels", l);
        }
        assertThat(fromFiles.labels()).isEqualTo(fromStreams.labels());
        assertThat(fromFiles.pixelsAsFloats()).isEqualTo(fromStreams.pixelsAsFloats());
    }

    @Test
    void detectsGzipByMagicBytesNotByFileName() throws IOException {
        byte[] images = idx(0x08, new int[] {2, 2, 3}, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255});
        byte[] labels = idx(0x08, new int[] {2}, new byte[] {1, 0});
        Path gzippedButNamedIdx = write("images.idx", gzip(images));
        Path plainButNamedGz = write("labels.gz", labels);

        Dataset data = IdxReader.read(gzippedButNamedIdx, plainButNamedGz);

        assertThat(data.shape()).isEqualTo(ImageShape.grey(2, 3));
        assertThat(data.labels()).containsExactly(1, 0);
        assertThat(data.classNames()).containsExactly("0", "1");
        assertThat(data.pixel(1, 5)).isEqualTo(255f);
        assertThat(data.pixel(1, 0)).isEqualTo(6f);
    }

    @Test
    void aPngGivenAsIdxSaysItIsAnImage() throws IOException {
        Path png = write("digit.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        assertThatThrownBy(() -> IdxReader.read(png, png))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("not an IDX file: expected magic bytes 00 00 08 0N, found 89 50 4E 47 (a PNG image")
                .hasMessageContaining("--image-dir").hasMessageContaining("predict");
    }

    @Test
    void readsIdx4AsImagesWithChannels() throws IOException {
        byte[] pixels = new byte[2 * 2 * 2 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        Dataset data = IdxReader.read(write("rgb.idx", idx(0x08, new int[] {2, 2, 2, 3}, pixels)),
                write("l.idx", idx(0x08, new int[] {2}, new byte[] {0, 2})));
        assertThat(data.shape()).isEqualTo(new ImageShape(2, 2, 3));
        assertThat(data.pixel(1, 11)).isEqualTo(23f);
        // Only the label values present become classes, named by their value.
        assertThat(data.classNames()).containsExactly("0", "2");
        assertThat(data.labels()).containsExactly(0, 1);
    }

    @Test
    void rejectsMissingFileNamingIt() throws IOException {
        Path labels = write("l.idx", idx(0x08, new int[] {1}, new byte[] {0}));
        Path missing = dir.resolve("nope-images.idx");
        assertThatThrownBy(() -> IdxReader.read(missing, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("file not found");
    }

    @Test
    void rejectsEmptyFile() throws IOException {
        Path labels = write("l.idx", idx(0x08, new int[] {1}, new byte[] {0}));
        assertThatThrownBy(() -> IdxReader.read(write("empty.idx", new byte[0]), labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("empty.idx")
                .hasMessageContaining("file is empty");
    }

    @Test
    void rejectsWrongMagic() throws IOException {
        Path labels = write("l.idx", idx(0x08, new int[] {1}, new byte[] {0}));
        Path png = write("image.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        assertThatThrownBy(() -> IdxReader.read(png, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("byte offset 0")
                .hasMessageContaining("not an IDX file")
                .hasMessageContaining("found 89 50 4E 47");
    }

    @Test
    void rejectsElementTypesOtherThanUnsignedByte() throws IOException {
        Path labels = write("l.idx", idx(0x08, new int[] {1}, new byte[] {0}));
        Path floats = write("floats.idx", idx(0x0D, new int[] {1, 1, 1}, new byte[4]));
        assertThatThrownBy(() -> IdxReader.read(floats, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("byte offset 2")
                .hasMessageContaining("element type 0x0D (float) is not supported; expected 0x08 (unsigned byte)");
    }

    @Test
    void rejectsZeroDimension() throws IOException {
        Path labels = write("l.idx", idx(0x08, new int[] {1}, new byte[] {0}));
        Path images = write("i.idx", idx(0x08, new int[] {1, 0, 28}, new byte[0]));
        assertThatThrownBy(() -> IdxReader.read(images, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("byte offset 8")
                .hasMessageContaining("dimension 1 is 0; expected 1..");
    }

    @Test
    void rejectsTruncatedImagesFileNamingWhereDataEndedAndWhatWasPromised() throws IOException {
        Path labels = write("l.idx", idx(0x08, new int[] {3}, new byte[3]));
        byte[] full = idx(0x08, new int[] {3, 4, 4}, new byte[48]);
        Path truncated = write("i.idx", Arrays.copyOf(full, full.length - 10));
        assertThatThrownBy(() -> IdxReader.read(truncated, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("byte offset 54")
                .hasMessageContaining("file ends after 38 data bytes")
                .hasMessageContaining("3 images of 4×4 = 48 data bytes");
    }

    @Test
    void rejectsTruncatedGzipFileNamingWhereDataEnded() throws IOException {
        Path labels = write("l.idx", gzip(idx(0x08, new int[] {3}, new byte[3])));
        byte[] full = idx(0x08, new int[] {3, 4, 4}, new byte[48]);
        Path truncated = write("i.idx.gz", gzip(Arrays.copyOf(full, full.length - 10)));
        assertThatThrownBy(() -> IdxReader.read(truncated, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("byte offset 54")
                .hasMessageContaining("data ends after 38 bytes")
                .hasMessageContaining("48 data bytes");
    }

    @Test
    void rejectsCorruptGzipStream() throws IOException {
        Path labels = write("l.idx", idx(0x08, new int[] {1}, new byte[1]));
        byte[] compressed = gzip(idx(0x08, new int[] {1, 28, 28}, new byte[784]));
        Path cut = write("i.gz", Arrays.copyOf(compressed, compressed.length / 2));
        assertThatThrownBy(() -> IdxReader.read(cut, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("i.gz")
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void rejectsTrailingBytesAfterTheData() throws IOException {
        Path labels = write("l.idx", idx(0x08, new int[] {1}, new byte[1]));
        byte[] full = idx(0x08, new int[] {1, 2, 2}, new byte[4]);
        Path plain = write("i.idx", Arrays.copyOf(full, full.length + 3));
        Path gz = write("i.gz", gzip(Arrays.copyOf(full, full.length + 3)));
        assertThatThrownBy(() -> IdxReader.read(plain, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("byte offset 20")
                .hasMessageContaining("3 unexpected bytes after the data");
        assertThatThrownBy(() -> IdxReader.read(gz, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("byte offset 20")
                .hasMessageContaining("unexpected bytes after the data");
    }

    @Test
    void rejectsHeaderClaimingTwoToThe31ImagesInA4KbFileWithoutAllocating() throws IOException {
        Path labels = write("l.idx", idx(0x08, new int[] {1}, new byte[1]));
        ByteBuffer header = ByteBuffer.allocate(4096).put(new byte[] {0, 0, 8, 3})
                .putInt(0x8000_0000).putInt(28).putInt(28);
        Path lying = write("lying.idx", header.array());
        assertThatThrownBy(() -> IdxReader.read(lying, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("lying.idx")
                .hasMessageContaining("dimension 0 is 2147483648");
    }

    @Test
    void rejectsHeaderPromisingFarMoreThanAPlainFileHoldsBeforeReading() throws IOException {
        Path labels = write("l.idx", idx(0x08, new int[] {1}, new byte[1]));
        ByteBuffer header = ByteBuffer.allocate(4096).put(new byte[] {0, 0, 8, 3})
                .putInt(Integer.MAX_VALUE).putInt(28).putInt(28);
        Path lying = write("lying.idx", header.array());
        assertThatThrownBy(() -> IdxReader.read(lying, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("byte offset 4096")
                .hasMessageContaining("file ends after 4080 data bytes")
                .hasMessageContaining("2147483647 images of 28×28");
    }

    @Test
    void rejectsLyingHeaderInGzipStreamWithoutAllocatingWhatItClaims() throws IOException {
        Path labels = write("l.idx", idx(0x08, new int[] {1}, new byte[1]));
        // 2·10^9 one-byte images would fit one array, so only reading can expose the lie.
        ByteBuffer header = ByteBuffer.allocate(4096).put(new byte[] {0, 0, 8, 3})
                .putInt(2_000_000_000).putInt(1).putInt(1);
        Path lying = write("lying.gz", gzip(header.array()));
        assertThatThrownBy(() -> IdxReader.read(lying, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("byte offset 4096")
                .hasMessageContaining("data ends after 4080 bytes");
    }

    @Test
    void rejectsGzipHeaderPromisingMoreThanOneArrayHolds() throws IOException {
        Path labels = write("l.idx", idx(0x08, new int[] {1}, new byte[1]));
        ByteBuffer header = ByteBuffer.allocate(16).put(new byte[] {0, 0, 8, 3})
                .putInt(Integer.MAX_VALUE).putInt(28).putInt(28);
        Path lying = write("huge.gz", gzip(header.array()));
        assertThatThrownBy(() -> IdxReader.read(lying, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("huge.gz: byte offset 4")
                .hasMessageContaining("more than one dataset can hold");
    }

    @Test
    void decompressesOnceSoGzipInsideGzipIsNotAnIdxFile() throws IOException {
        Path labels = write("l.idx", idx(0x08, new int[] {1}, new byte[1]));
        Path doubleGzip = write("twice.gz", gzip(gzip(idx(0x08, new int[] {1, 1, 1}, new byte[1]))));
        assertThatThrownBy(() -> IdxReader.read(doubleGzip, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("not an IDX file")
                .hasMessageContaining("found 1F 8B");
    }

    @Test
    void rejectsLabelsFileThatIsNotIdx1() throws IOException {
        Path images = write("i.idx", idx(0x08, new int[] {1, 2, 2}, new byte[4]));
        assertThatThrownBy(() -> IdxReader.read(images, images))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("byte offset 3")
                .hasMessageContaining("expected an idx1 labels file, found 3 dimensions")
                .hasMessageContaining("swapped");
    }

    @Test
    void rejectsImagesFileThatIsNotIdx3OrIdx4() throws IOException {
        Path labels = write("l.idx", idx(0x08, new int[] {4}, new byte[4]));
        assertThatThrownBy(() -> IdxReader.read(labels, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("expected an idx3 (N×H×W) or idx4 (N×H×W×C) images file, found 1 dimension");
    }

    @Test
    void rejectsImageAndLabelCountMismatch() throws IOException {
        Path images = write("i.idx", idx(0x08, new int[] {3, 2, 2}, new byte[12]));
        Path labels = write("l.idx", idx(0x08, new int[] {2}, new byte[2]));
        assertThatThrownBy(() -> IdxReader.read(images, labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("holds 2 labels")
                .hasMessageContaining("holds 3 images");
    }

    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    @Test
    void aGzipFileCutInsideItsHeaderSaysSoRatherThanNull() throws IOException {
        byte[] labels = gzip(idx(0x08, new int[] {2}, new byte[] {1, 0}));
        Path cut = write("labels.gz", Arrays.copyOf(labels, 5));

        assertThatThrownBy(() -> IdxReader.read(cut, cut))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage(cut + ": cannot read file: the gzip header is truncated or corrupt (the data ends "
                        + "unexpectedly)");
    }

    @Test
    void aGzipStreamCutBeforeItsTrailerSaysTheDataEnds() throws IOException {
        byte[] images = gzip(idx(0x08, new int[] {2, 2, 3}, new byte[12]));
        byte[] labels = gzip(idx(0x08, new int[] {2}, new byte[] {1, 0}));
        Path cut = write("images.gz", Arrays.copyOf(images, images.length - 4));

        assertThatThrownBy(() -> IdxReader.read(cut, write("labels.gz", labels)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith(cut + ": byte offset ")
                .hasMessageEndingWith(": cannot read further (the data ends unexpectedly); the file is truncated "
                        + "or corrupt");
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }
}
