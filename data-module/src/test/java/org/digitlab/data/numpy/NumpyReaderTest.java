package org.digitlab.data.numpy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumpyReaderTest {
    private static final int[] GREY_2X3 = {2, 2, 3};

    @TempDir
    Path dir;

    @Test
    void readsUint8GreyImagesAsBytesWithTheirLabels() throws IOException {
        Path x = write("x.npy", NpyWriter.npy("|u1", GREY_2X3, 0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255));
        Path y = write("y.npy", NpyWriter.npy("<i8", new int[] {2}, 7, 3));

        Dataset data = NumpyReader.readImages(x, y);

        assertThat(data.shape()).isEqualTo(ImageShape.grey(2, 3));
        assertThat(data.isBytePixels()).isTrue();
        assertThat(data.pixelMax()).isEqualTo(255f);
        assertThat(data.pixelsAsFloats()).containsExactly(0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255);
        assertThat(data.classNames()).containsExactly("3", "7");
        assertThat(data.labels()).containsExactly(1, 0);
        assertThat(data.hasFiles()).isFalse();
    }

    @Test
    void readsColourImagesChannelsLast() throws IOException {
        double[] values = new double[2 * 2 * 2 * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 10;
        }
        Path x = write("x.npy", NpyWriter.npy("|u1", new int[] {2, 2, 2, 3}, values));
        Dataset data = NumpyReader.readImages(x, write("y.npy", NpyWriter.npy("|u1", new int[] {2}, 0, 1)));
        assertThat(data.shape()).isEqualTo(new ImageShape(2, 2, 3));
        // Image 1, row 1, column 0, channel 2 is element 12 + 6 + 2 = 20.
        assertThat(data.pixel(1, 2 * 3 + 2)).isEqualTo(200f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<f4", ">f4", "<f8", ">f8"})
    void floatImagesInTheUnitRangeAreUnderstoodAsScaled(String descr) throws IOException {
        double[] values = {0, 0.125, 0.5, 0.75, 1, 0.25, 0.375, 0.625, 0.875, 1, 0, 0.0625};
        Path x = write("x.npy", NpyWriter.npy(descr, GREY_2X3, values));

        Dataset data = NumpyReader.readImages(x, write("y.npy", NpyWriter.npy("|u1", new int[] {2}, 1, 1)));

        assertThat(data.isBytePixels()).isFalse();
        assertThat(data.pixelMax()).isEqualTo(1f);
        float[] expected = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            expected[i] = (float) values[i];
        }
        assertThat(data.pixelsAsFloats()).containsExactly(expected);
        assertThat(data.classNames()).containsExactly("1");
    }

    @Test
    void floatImagesUpTo255AreRawPixels() throws IOException {
        Path x = write("x.npy", NpyWriter.npy("<f4", GREY_2X3, 0, 1, 2, 3.5, 4, 5, 6, 7, 8, 9, 10, 255));
        Dataset data = NumpyReader.readImages(x, write("y.npy", NpyWriter.npy("|u1", new int[] {2}, 0, 1)));
        assertThat(data.pixelMax()).isEqualTo(255f);
        assertThat(data.pixel(0, 3)).isEqualTo(3.5f);
        assertThat(data.pixel(1, 5)).isEqualTo(255f);
    }

    @Test
    void floatImagesOutsideBothRangesAreRejectedWithTheRangeFound() throws IOException {
        Path y = write("y.npy", NpyWriter.npy("|u1", new int[] {2}, 0, 1));
        Path standardised = write("x.npy", NpyWriter.npy("<f8", GREY_2X3, -0.42, 0, 1, 2.5, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThatThrownBy(() -> NumpyReader.readImages(standardised, y))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage(standardised + ": pixel values range from -0.42 to 2.5; expected values in [0, 1] "
                        + "(scaled) or [0, 255] (raw), not standardised or otherwise transformed ones");
        Path tooBright = write("x16.npy", NpyWriter.npy("<f4", GREY_2X3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4095));
        assertThatThrownBy(() -> NumpyReader.readImages(tooBright, y))
                .hasMessageContaining("pixel values range from 0 to 4095");
    }

    @Test
    void nanAndInfinityAreRejectedNamingTheFileAndTheFirstBadIndex() throws IOException {
        Path y = write("y.npy", NpyWriter.npy("|u1", new int[] {2}, 0, 1));
        double nan = Double.NaN;
        Path x = write("x.npy", NpyWriter.npy(">f4", GREY_2X3, 0, 0, 0, 0, 0, 0, 0, nan, 0, 0, nan, 0));
        assertThatThrownBy(() -> NumpyReader.readImages(x, y))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage(x + ": pixel [1, 0, 1] is NaN; expected finite values (this is the first)");
        Path inf = write("inf.npy", NpyWriter.npy("<f8", GREY_2X3, 0, 0, Double.NEGATIVE_INFINITY, 0, 0, 0, 0,
                0, 0, 0, 0, 0));
        assertThatThrownBy(() -> NumpyReader.readImages(inf, y))
                .hasMessageContaining("pixel [0, 0, 2] is -inf");
    }

    @ParameterizedTest
    @ValueSource(strings = {"|u1", "|i1", "<u2", ">u2", "<i2", ">i2", "<u4", ">u4", "<i4", ">i4", "<u8", ">u8",
        "<i8", ">i8"})
    void labelsOfEveryIntegerDtypeAndByteOrderReadAlike(String descr) throws IOException {
        Path x = write("x.npy", NpyWriter.npy("|u1", new int[] {4, 1, 1}, 0, 0, 0, 0));
        Path y = write("y.npy", NpyWriter.npy(descr, new int[] {4}, 5, 0, 127, 5));
        Dataset data = NumpyReader.readImages(x, y);
        assertThat(data.classNames()).containsExactly("0", "5", "127");
        assertThat(data.labels()).containsExactly(1, 0, 2, 1);
    }

    @Test
    void boolLabelsAndLabelColumnsAreClassNumbers() throws IOException {
        Path x = write("x.npy", NpyWriter.npy("|u1", new int[] {3, 1, 1}, 0, 0, 0));
        Dataset bools = NumpyReader.readImages(x, write("b.npy", NpyWriter.npy("|b1", new int[] {3}, 1, 0, 1)));
        assertThat(bools.classNames()).containsExactly("0", "1");
        assertThat(bools.labels()).containsExactly(1, 0, 1);
        Dataset column = NumpyReader.readImages(x, write("c.npy", NpyWriter.npy("<i4", new int[] {3, 1}, 2, 9, 2)));
        assertThat(column.classNames()).containsExactly("2", "9");
        assertThat(column.labels()).containsExactly(0, 1, 0);
    }

    @Test
    void labelSetsWithGapsKeepTheirValuesAsClassNames() throws IOException {
        // Sign-Language-MNIST style: letters numbered 0–24, some absent.
        Path x = write("x.npy", NpyWriter.npy("|u1", new int[] {4, 1, 1}, 0, 0, 0, 0));
        Path y = write("y.npy", NpyWriter.npy("|u1", new int[] {4}, 24, 0, 10, 24));
        Dataset data = NumpyReader.readImages(x, y);
        assertThat(data.classNames()).containsExactly("0", "10", "24");
        assertThat(data.labels()).containsExactly(2, 0, 1, 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"|u1", "<i8", "<f4", ">f8", "|b1"})
    void oneHotRowsGiveTheColumnOfTheirOne(String descr) throws IOException {
        Path x = write("x.npy", NpyWriter.npy("|u1", new int[] {4, 1, 1}, 0, 0, 0, 0));
        Path y = write("y.npy", NpyWriter.oneHot(descr, 10, 3, 9, 0, 3));
        Dataset data = NumpyReader.readImages(x, y);
        assertThat(data.classNames()).containsExactly("0", "3", "9");
        assertThat(data.labels()).containsExactly(1, 2, 0, 1);
    }

    @Test
    void oneHotRowsThatAreNotOneHotAreRejectedNamingTheRow() throws IOException {
        Path x = write("x.npy", NpyWriter.npy("|u1", new int[] {3, 1, 1}, 0, 0, 0));
        Path twoOnes = write("two.npy", NpyWriter.npy("<f4", new int[] {3, 3}, 1, 0, 0, 0, 1, 0, 1, 0, 1));
        assertThatThrownBy(() -> NumpyReader.readImages(x, twoOnes))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage(twoOnes + ": one-hot row 2 has a 1 in columns 0 and 2; expected exactly one 1 and the "
                        + "rest 0 in each row of shape (3, 3)");
        Path soft = write("soft.npy", NpyWriter.npy("<f4", new int[] {3, 3}, 1, 0, 0, 0.1, 0.9, 0, 0, 0, 1));
        assertThatThrownBy(() -> NumpyReader.readImages(x, soft))
                .hasMessageContaining("one-hot row 1 holds 0.1 in column 0");
        Path empty = write("empty.npy", NpyWriter.npy("<i8", new int[] {3, 3}, 1, 0, 0, 0, 0, 0, 0, 0, 1));
        assertThatThrownBy(() -> NumpyReader.readImages(x, empty))
                .hasMessageContaining("one-hot row 1 has no 1");
    }

    @Test
    void negativeAndImplausiblyLargeLabelsAreRejectedNamingTheIndex() throws IOException {
        Path x = write("x.npy", NpyWriter.npy("|u1", new int[] {3, 1, 1}, 0, 0, 0));
        Path negative = write("neg.npy", NpyWriter.npy("<i2", new int[] {3}, 0, 4, -1));
        assertThatThrownBy(() -> NumpyReader.readImages(x, negative))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage(negative + ": label [2] is -1; expected class numbers 0–65535");
        Path huge = write("huge.npy", NpyWriter.npy(">u8", new int[] {3}, 0, -1, 0));
        assertThatThrownBy(() -> NumpyReader.readImages(x, huge))
                .hasMessage(huge + ": label [1] is 18446744073709551615; expected class numbers 0–65535 "
                        + "(is this the labels array?)");
    }

    @Test
    void floatClassNumbersAreRejectedWithAConversionHint() throws IOException {
        Path x = write("x.npy", NpyWriter.npy("|u1", new int[] {2, 1, 1}, 0, 0));
        Path y = write("y.npy", NpyWriter.npy("<f8", new int[] {2}, 0, 1));
        assertThatThrownBy(() -> NumpyReader.readImages(x, y))
                .hasMessage(y + ": labels of dtype float64 ('<f8') are not supported; expected class numbers of an "
                        + "integer dtype (or one-hot rows (N, K)); convert them, e.g. y.astype(np.int64)");
    }

    @Test
    void imageAndLabelCountsMustAgreeAndTheErrorNamesBothFiles() throws IOException {
        Path x = write("x.npy", NpyWriter.npy("|u1", new int[] {3, 1, 1}, 0, 0, 0));
        Path y = write("y.npy", NpyWriter.npy("|u1", new int[] {2}, 0, 1));
        assertThatThrownBy(() -> NumpyReader.readImages(x, y))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage(y + ": holds 2 labels, but " + x + " holds 3 images; expected one label per image");
    }

    @Test
    void arraysOfTheWrongShapeOrDtypeAreRejectedWithAFix() throws IOException {
        Path x = write("x.npy", NpyWriter.npy("|u1", new int[] {2, 1, 1}, 0, 0));
        Path y = write("y.npy", NpyWriter.npy("|u1", new int[] {2}, 0, 1));
        assertThatThrownBy(() -> NumpyReader.readImages(y, x))
                .hasMessage(y + ": expected images of shape (N, H, W) or (N, H, W, C), found shape (2,) (a labels "
                        + "array? are the images and labels swapped?)");
        Path flat = write("flat.npy", NpyWriter.npy("|u1", new int[] {2, 784}, new double[2 * 784]));
        assertThatThrownBy(() -> NumpyReader.readImages(flat, y))
                .hasMessageContaining("found shape (2, 784), one flat row per image; save them as images, e.g. "
                        + "x.reshape(-1, 28, 28)");
        Path channelsFirst = write("nchw.npy", NpyWriter.npy("|u1", new int[] {2, 1, 5, 5}, new double[50]));
        assertThatThrownBy(() -> NumpyReader.readImages(channelsFirst, y))
                .hasMessageContaining("found shape (2, 1, 5, 5), which looks channels first (N, C, H, W, as "
                        + "PyTorch stores images); save np.transpose(x, (0, 2, 3, 1)) instead");
        Path ints = write("ints.npy", NpyWriter.npy("<i8", new int[] {2, 1, 1}, 0, 255));
        assertThatThrownBy(() -> NumpyReader.readImages(ints, y))
                .hasMessageContaining("images of dtype int64 ('<i8') are not supported; expected uint8 ('|u1') or "
                        + "float32/float64 ('<f4', '<f8'); convert them, e.g. x.astype(np.uint8)");
        assertThatThrownBy(() -> NumpyReader.readImages(x, x))
                .hasMessageContaining("expected labels of shape (N,), (N, 1) or one-hot (N, K), found shape "
                        + "(2, 1, 1) (an images array? are the images and labels swapped?)");
    }

    @Test
    void truncatedDataIsRejectedWithTheOffsetWhereItEnds() throws IOException {
        byte[] full = NpyWriter.npy("<f4", GREY_2X3, new double[12]);
        Path x = write("x.npy", Arrays.copyOf(full, full.length - 10));
        Path y = write("y.npy", NpyWriter.npy("|u1", new int[] {2}, 0, 1));
        assertThatThrownBy(() -> NumpyReader.readImages(x, y))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage(x + ": byte offset 166: file ends after 38 data bytes, but the header promises shape "
                        + "(2, 2, 3) of float32 = 48 data bytes (expected a file of 176 bytes)");
    }

    @Test
    void trailingBytesAfterTheDataAreRejectedWithTheirOffset() throws IOException {
        byte[] full = NpyWriter.npy("|u1", new int[] {2}, 0, 1);
        Path y = write("y.npy", Arrays.copyOf(full, full.length + 3));
        Path x = write("x.npy", NpyWriter.npy("|u1", new int[] {2, 1, 1}, 0, 0));
        assertThatThrownBy(() -> NumpyReader.readImages(x, y))
                .hasMessage(y + ": byte offset 130: 3 unexpected bytes after the data; the header promises shape "
                        + "(2,) of uint8 = 2 data bytes");
    }

    @Test
    void aHeaderClaimingATrillionPixelsFailsAtOnceWithoutAllocating() throws IOException {
        Path lying = write("lying.npy", NpyWriter.npy(1, "|u1", false, new int[] {1_000_000, 1000, 1000},
                new byte[4096]));
        Path y = write("y.npy", NpyWriter.npy(1, "|u1", false, new int[] {1_000_000}, new byte[0]));
        assertThatThrownBy(() -> NumpyReader.readImages(lying, y))
                .hasMessage(lying + ": shape (1000000, 1000, 1000) holds 1000000000000 pixel values, more than one "
                        + "array can hold (2147483639)");
    }

    @Test
    void aHeaderPromisingMoreThanTheFileHoldsFailsBeforeReading() throws IOException {
        Path lying = write("lying.npy", NpyWriter.npy(2, "<f4", false, new int[] {500_000_000, 1, 1},
                new byte[4096]));
        Path y = write("y.npy", NpyWriter.npy(1, "|u1", false, new int[] {500_000_000}, new byte[0]));
        // The images fail first; their labels (just as short) are not read.
        assertThatThrownBy(() -> NumpyReader.readImages(lying, y))
                .hasMessage(lying + ": byte offset 4224: file ends after 4096 data bytes, but the header promises "
                        + "shape (500000000, 1, 1) of float32 = 2000000000 data bytes (expected a file of "
                        + "2000000128 bytes)");
    }

    @Test
    void missingFilesAndDirectoriesAreNamed() throws IOException {
        Path y = write("y.npy", NpyWriter.npy("|u1", new int[] {1}, 0));
        Path missing = dir.resolve("nope.npy");
        assertThatThrownBy(() -> NumpyReader.readImages(missing, y))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage(missing + ": NumPy .npy file not found");
        assertThatThrownBy(() -> NumpyReader.readImages(dir, y))
                .hasMessage(dir + ": is a directory; expected a NumPy .npy file");
    }

    @Test
    void anNpzGivenAsNpyPointsToTheNpzOption() throws IOException {
        Path npz = write("data.npy", NpyWriter.npz(false, Map.of("x_train.npy", new byte[1])));
        Path y = write("y.npy", NpyWriter.npy("|u1", new int[] {1}, 0));
        assertThatThrownBy(() -> NumpyReader.readImages(npz, y))
                .hasMessage(npz + ": byte offset 0: not a NumPy .npy file: expected magic bytes 93 4E 55 4D 50 59, "
                        + "found 50 4B 03 04 0A 00 (a zip archive: an .npz file? read it with --npz)");
    }

    @Test
    void readsArraysNumpyWroteWithEveryDtypeAndByteOrder() throws IOException {
        Map<String, Path> arrays = extract("dtypes.npz");
        Dataset rgb = NumpyReader.readImages(arrays.get("f4_rgb.npy"), write("y1.npy",
                NpyWriter.npy("|u1", new int[] {1}, 4)));
        assertThat(rgb.shape()).isEqualTo(new ImageShape(2, 2, 3));
        assertThat(rgb.pixelMax()).isEqualTo(1f);
        for (int i = 0; i < 12; i++) {
            assertThat(rgb.pixel(0, i)).isEqualTo(i / 11f);
        }
        Dataset big = NumpyReader.readImages(arrays.get("f8_big.npy"), write("y2.npy",
                NpyWriter.npy("|u1", new int[] {1}, 4)));
        assertThat(big.pixelsAsFloats()).containsExactly(0f, 0.5f, 1f, 0.25f);

        Path u1 = arrays.get("u1.npy");
        assertThat(NumpyReader.readImages(u1, arrays.get("b1.npy")).labels()).containsExactly(1, 0, 1);
        Dataset int64 = NumpyReader.readImages(u1, arrays.get("i8.npy"));
        assertThat(int64.classNames()).containsExactly("0", "5", "24");
        assertThat(int64.labels()).containsExactly(0, 2, 1);
        Dataset oneHot = NumpyReader.readImages(u1, arrays.get("one_hot.npy"));
        assertThat(oneHot.classNames()).containsExactly("0", "2", "3");
        assertThat(oneHot.labels()).containsExactly(1, 0, 2);
        assertThat(oneHot.pixelsAsFloats()).startsWith(0f, 1f, 2f, 255f, 10f);
        assertThat(NumpyReader.readImages(write("x2.npy", NpyWriter.npy("|u1", new int[] {2, 1, 1}, 0, 0)),
                arrays.get("i4_big.npy")).classNames()).containsExactly("1", "2");
    }

    @Test
    void npyWriterWritesTheBytesNumpyWrites() throws IOException {
        Map<String, Path> numpy = extract("dtypes.npz");
        Map<String, byte[]> ours = new LinkedHashMap<>();
        ours.put("u1.npy", NpyWriter.npy("|u1", new int[] {3, 2, 2}, 0, 1, 2, 255, 10, 20, 30, 40, 5, 6, 7, 8));
        ours.put("f8_big.npy", NpyWriter.npy(">f8", new int[] {1, 2, 2}, 0, 0.5, 1, 0.25));
        double[] rgb = new double[12];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = i / 11f;
        }
        ours.put("f4_rgb.npy", NpyWriter.npy("<f4", new int[] {1, 2, 2, 3}, rgb));
        ours.put("b1.npy", NpyWriter.npy("|b1", new int[] {3}, 1, 0, 1));
        ours.put("i8.npy", NpyWriter.npy("<i8", new int[] {3}, 0, 24, 5));
        ours.put("i4_big.npy", NpyWriter.npy(">i4", new int[] {2, 1}, 2, 1));
        ours.put("one_hot.npy", NpyWriter.oneHot("<f4", 4, 2, 0, 3));
        assertThat(numpy.keySet()).containsExactlyInAnyOrderElementsOf(ours.keySet());
        for (Map.Entry<String, byte[]> member : ours.entrySet()) {
            assertThat(member.getValue()).as(member.getKey()).isEqualTo(Files.readAllBytes(numpy.get(member.getKey())));
        }
    }

    /** Unpacks a NumPy-written archive from the test resources into files, by member name. */
    private Map<String, Path> extract(String resource) throws IOException {
        Path archive = write(resource, readResource(resource));
        Map<String, Path> files = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(entry)) {
                    files.put(entry.getName(), write(entry.getName(), in.readAllBytes()));
                }
            }
        }
        return files;
    }

    static byte[] readResource(String name) throws IOException {
        try (InputStream in = NumpyReaderTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }
}
