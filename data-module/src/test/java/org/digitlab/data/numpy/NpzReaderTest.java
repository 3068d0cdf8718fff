package org.digitlab.data.numpy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.builtin.LoadedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpzReaderTest {
    private static final int[] TWO_2X2 = {2, 2, 2};

    @TempDir
    Path dir;

    @Test
    void readsTheKerasLayoutAsNumpyWritesIt() throws IOException {
        Path npz = write("mnist.npz", NumpyReaderTest.readResource("mnist-layout.npz"));

        LoadedData data = NumpyReader.readNpz(npz);

        assertThat(data.name()).isEqualTo("mnist.npz");
        assertThat(data.files()).containsExactly(npz);
        Dataset train = data.train();
        assertThat(train.shape()).isEqualTo(ImageShape.grey(2, 2));
        assertThat(train.pixelMax()).isEqualTo(255f);
        assertThat(train.pixelsAsFloats()).containsExactly(0, 1, 2, 255, 10, 20, 30, 40, 5, 6, 7, 8);
        assertThat(train.classNames()).containsExactly("3", "7");
        assertThat(train.labels()).containsExactly(0, 1, 0);
        Dataset test = data.test();
        assertThat(test.classNames()).containsExactly("3", "7");
        assertThat(test.labels()).containsExactly(1, 1);
        assertThat(test.pixel(1, 3)).isEqualTo(128f);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsStoredAndDeflatedArchivesAlike(boolean deflate) throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("x_train.npy", NpyWriter.npy("<f4", TWO_2X2, 0, 0.25, 0.5, 1, 1, 0.5, 0.25, 0));
        members.put("y_train.npy", NpyWriter.oneHot("<f4", 3, 2, 0));
        members.put("x_test.npy", NpyWriter.npy("<f8", new int[] {1, 2, 2}, 0.75, 0, 0, 1));
        members.put("y_test.npy", NpyWriter.npy("<i8", new int[] {1}, 2));

        LoadedData data = NumpyReader.readNpz(write("data.npz", NpyWriter.npz(deflate, members)));

        assertThat(data.train().pixelMax()).isEqualTo(1f);
        assertThat(data.train().pixelsAsFloats()).containsExactly(0, 0.25f, 0.5f, 1, 1, 0.5f, 0.25f, 0);
        assertThat(data.train().classNames()).containsExactly("0", "2");
        assertThat(data.train().labels()).containsExactly(1, 0);
        assertThat(data.test().pixel(0, 0)).isEqualTo(0.75f);
        assertThat(data.test().labels()).containsExactly(1);
    }

    @Test
    void anArchiveWithOnlyTrainingArraysHasNoTestSet() throws IOException {
        Path npz = write("train.npz", NpyWriter.npz(true, trainOnly()));
        LoadedData data = NumpyReader.readNpz(npz);
        assertThat(data.test()).isNull();
        assertThat(data.train().size()).isEqualTo(2);
    }

    @Test
    void membersWithoutTheNpySuffixAreFoundAsNumpyFindsThem() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("x_train", NpyWriter.npy("|u1", TWO_2X2, 1, 2, 3, 4, 5, 6, 7, 8));
        members.put("y_train", NpyWriter.npy("|u1", new int[] {2}, 0, 1));
        assertThat(NumpyReader.readNpz(write("bare.npz", NpyWriter.npz(false, members))).train().size())
                .isEqualTo(2);
    }

    @Test
    void aMissingTrainingArrayListsTheMembersFound() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("arr_0.npy", NpyWriter.npy("|u1", TWO_2X2, new double[8]));
        members.put("arr_1.npy", NpyWriter.npy("|u1", new int[] {2}, 0, 1));
        Path npz = write("positional.npz", NpyWriter.npz(true, members));
        assertThatThrownBy(() -> NumpyReader.readNpz(npz))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage(npz + ": has no member x_train.npy; expected x_train.npy and y_train.npy, and optionally "
                        + "x_test.npy and y_test.npy, as in Keras' mnist.npz (np.savez(file, x_train=x, y_train=y) "
                        + "names them so); members found: arr_0.npy, arr_1.npy");
        Path empty = write("empty.npz", NpyWriter.npz(false, Map.of()));
        assertThatThrownBy(() -> NumpyReader.readNpz(empty))
                .hasMessageEndingWith("; the archive has no members");
    }

    @Test
    void halfATestPairIsRejected() throws IOException {
        Map<String, byte[]> members = trainOnly();
        members.put("x_test.npy", NpyWriter.npy("|u1", TWO_2X2, new double[8]));
        Path npz = write("half.npz", NpyWriter.npz(true, members));
        assertThatThrownBy(() -> NumpyReader.readNpz(npz))
                .hasMessage(npz + ": has x_test but no y_test; expected both test arrays or neither; members found: "
                        + "x_train.npy, y_train.npy, x_test.npy");
    }

    @Test
    void aTestClassUnknownToTrainingIsRejectedAndAMissingOneIsFine() throws IOException {
        Map<String, byte[]> unknown = trainOnly();
        unknown.put("x_test.npy", NpyWriter.npy("|u1", TWO_2X2, new double[8]));
        unknown.put("y_test.npy", NpyWriter.npy("|u1", new int[] {2}, 4, 9));
        Path npz = write("unknown.npz", NpyWriter.npz(true, unknown));
        assertThatThrownBy(() -> NumpyReader.readNpz(npz))
                .hasMessage(npz + ":y_test.npy: holds 1 class unknown to the training data (9); known classes: 4, 7");

        Map<String, byte[]> missing = trainOnly();
        missing.put("x_test.npy", NpyWriter.npy("|u1", new int[] {1, 2, 2}, new double[4]));
        missing.put("y_test.npy", NpyWriter.npy("|u1", new int[] {1}, 7));
        Dataset test = NumpyReader.readNpz(write("missing.npz", NpyWriter.npz(true, missing))).test();
        assertThat(test.classNames()).containsExactly("4", "7");
        assertThat(test.labels()).containsExactly(1);
    }

    @Test
    void errorsInsideAnArchiveNameTheArchiveAndTheMember() throws IOException {
        Map<String, byte[]> nan = trainOnly();
        nan.put("x_test.npy", NpyWriter.npy("<f4", TWO_2X2, 0, 0, 0, 0, 0, Double.NaN, 0, 0));
        nan.put("y_test.npy", NpyWriter.npy("|u1", new int[] {2}, 4, 7));
        Path npz = write("nan.npz", NpyWriter.npz(true, nan));
        assertThatThrownBy(() -> NumpyReader.readNpz(npz))
                .hasMessage(npz + ":x_test.npy: pixel [1, 0, 1] is NaN; expected finite values (this is the first)");

        Map<String, byte[]> counts = new LinkedHashMap<>();
        counts.put("x_train.npy", NpyWriter.npy("|u1", TWO_2X2, new double[8]));
        counts.put("y_train.npy", NpyWriter.npy("|u1", new int[] {3}, 0, 1, 1));
        Path mismatch = write("counts.npz", NpyWriter.npz(false, counts));
        assertThatThrownBy(() -> NumpyReader.readNpz(mismatch))
                .hasMessage(mismatch + ":y_train.npy: holds 3 labels, but " + mismatch + ":x_train.npy holds 2 "
                        + "images; expected one label per image");
    }

    @Test
    void testImagesMustShareTheTrainingShapeAndScale() throws IOException {
        Map<String, byte[]> shape = trainOnly();
        shape.put("x_test.npy", NpyWriter.npy("|u1", new int[] {1, 2, 2, 3}, new double[12]));
        shape.put("y_test.npy", NpyWriter.npy("|u1", new int[] {1}, 7));
        Path npz = write("shape.npz", NpyWriter.npz(true, shape));
        assertThatThrownBy(() -> NumpyReader.readNpz(npz))
                .hasMessage(npz + ":x_test.npy: holds images of 2×2×3, but " + npz + ":x_train.npy holds images of "
                        + "2×2×1; expected one image shape");

        Map<String, byte[]> scale = trainOnly();
        scale.put("x_test.npy", NpyWriter.npy("<f4", new int[] {1, 2, 2}, 0, 0.5, 1, 0));
        scale.put("y_test.npy", NpyWriter.npy("|u1", new int[] {1}, 7));
        Path scaled = write("scale.npz", NpyWriter.npz(true, scale));
        assertThatThrownBy(() -> NumpyReader.readNpz(scaled))
                .hasMessage(scaled + ":x_test.npy: pixel values lie in [0, 1], but " + scaled + ":x_train.npy's "
                        + "lie in [0, 255]; expected both on one scale");
    }

    @Test
    void filesThatAreNotNpzArchivesSayWhatTheyAre() throws IOException {
        Path npy = write("x.npz", NpyWriter.npy("|u1", new int[] {1}, 0));
        assertThatThrownBy(() -> NumpyReader.readNpz(npy))
                .hasMessage(npy + ": byte offset 0: not an .npz archive (a zip of .npy files): expected magic bytes "
                        + "50 4B 03 04, found 93 4E 55 4D 50 59 (a NumPy .npy file: read it with --npy)");
        Path empty = write("empty.npz", new byte[0]);
        assertThatThrownBy(() -> NumpyReader.readNpz(empty))
                .hasMessage(empty + ": file is empty; expected an .npz archive");
        byte[] archive = NpyWriter.npz(true, trainOnly());
        Path cut = write("cut.npz", Arrays.copyOf(archive, archive.length / 2));
        assertThatThrownBy(() -> NumpyReader.readNpz(cut))
                .hasMessageStartingWith(cut + ": not a readable zip archive (")
                .hasMessageEndingWith("); the .npz file is truncated or corrupt");
        assertThatThrownBy(() -> NumpyReader.readNpz(dir.resolve("nope.npz")))
                .hasMessage(dir.resolve("nope.npz") + ": NumPy .npz archive not found");
    }

    @Test
    void aMemberInflatingFarBeyondTheArchiveIsCountedThenRead() throws IOException {
        // A thousand black 32×32 images: 1 MB of data in an archive of a few KB.
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("x_train.npy", NpyWriter.npy(1, "|u1", false, new int[] {1000, 32, 32}, new byte[1000 * 32 * 32]));
        members.put("y_train.npy", NpyWriter.npy(1, "|u1", false, new int[] {1000}, new byte[1000]));
        Path npz = write("zeros.npz", NpyWriter.npz(true, members));
        assertThat(Files.size(npz)).isLessThan(1 << 14);

        Dataset train = NumpyReader.readNpz(npz).train();

        assertThat(train.size()).isEqualTo(1000);
        assertThat(train.classNames()).containsExactly("0");
    }

    @Test
    void aMemberInflatingShortOfItsPromiseFailsBeforeItsDataIsAllocated() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("x_train.npy", NpyWriter.npy(1, "|u1", false, new int[] {2_000_000_000, 1, 1}, new byte[10]));
        members.put("y_train.npy", NpyWriter.npy(1, "|u1", false, new int[] {2_000_000_000}, new byte[0]));
        byte[] archive = NpyWriter.npz(true, members);
        // The entry size claims what the header promises, as a crafted archive could.
        setCentralSize(archive, "x_train.npy", 128 + 2_000_000_000L);
        Path npz = write("short.npz", archive);
        assertThatThrownBy(() -> NumpyReader.readNpz(npz))
                .hasMessage(npz + ":x_train.npy: byte offset 138: data ends after 10 bytes, but the header promises "
                        + "shape (2000000000, 1, 1) of uint8 = 2000000000 data bytes");
    }

    @Test
    void aZipBombStopsInflatingOneByteAfterItsPromise() throws IOException {
        // The header promises 1 MB, the member inflates to 16 MB of zeros.
        byte[] bomb = NpyWriter.npy(1, "|u1", false, new int[] {1024, 32, 32}, new byte[16 << 20]);
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("x_train.npy", bomb);
        members.put("y_train.npy", NpyWriter.npy(1, "|u1", false, new int[] {1024}, new byte[1024]));
        byte[] archive = NpyWriter.npz(true, members);
        setCentralSize(archive, "x_train.npy", 128 + (1 << 20));
        Path npz = write("bomb.npz", archive);
        assertThatThrownBy(() -> NumpyReader.readNpz(npz))
                .hasMessage(npz + ":x_train.npy: byte offset " + (128 + (1 << 20)) + ": unexpected bytes after the "
                        + "data; the header promises shape (1024, 32, 32) of uint8 = 1048576 data bytes");
    }

    @Test
    void aMemberPromisingMoreThanTheCapIsRefusedWithoutInflating() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("x_train.npy", NpyWriter.npy(1, "<f8", false, new int[] {1_100_000_000, 1, 1}, new byte[0]));
        members.put("y_train.npy", NpyWriter.npy(1, "|u1", false, new int[] {1_100_000_000}, new byte[0]));
        Path npz = write("huge.npz", NpyWriter.npz(true, members));
        assertThatThrownBy(() -> NumpyReader.readNpz(npz))
                .hasMessage(npz + ":x_train.npy: the header promises shape (1100000000, 1, 1) of float64 = "
                        + "8800000000 data bytes, over the limit of 8589934592 bytes (8 GiB) for one member");
    }

    @Test
    void anEntrySizeDisagreeingWithTheHeaderIsRefusedBeforeInflating() throws IOException {
        byte[] archive = NpyWriter.npz(true, trainOnly());
        setCentralSize(archive, "y_train.npy", 5000);
        Path npz = write("lies.npz", archive);
        assertThatThrownBy(() -> NumpyReader.readNpz(npz))
                .hasMessage(npz + ":y_train.npy: the archive lists this member as 5000 bytes, but the header "
                        + "promises shape (2,) of uint8 = 2 data bytes after a 128-byte header (130 bytes); the "
                        + "archive is corrupt");
    }

    @Test
    void aFlippedPixelInAStoredMemberIsCaughtByItsChecksum() throws IOException {
        byte[] zip = NpyWriter.npz(false, trainOnly());
        byte[] pixels = {4, 5, 6, 7};
        int at = indexOf(zip, pixels);
        zip[at] ^= 0x10;

        Path npz = write("flipped.npz", zip);

        assertThatThrownBy(() -> NumpyReader.readNpz(npz))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith(npz + ":x_train.npy: ")
                .hasMessageContaining("CRC-32")
                .hasMessageEndingWith("the .npz file is corrupt");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    private static Map<String, byte[]> trainOnly() {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("x_train.npy", NpyWriter.npy("|u1", TWO_2X2, 0, 1, 2, 3, 4, 5, 6, 7));
        members.put("y_train.npy", NpyWriter.npy("|u1", new int[] {2}, 7, 4));
        return members;
    }

    /** Rewrites the uncompressed size that the central directory gives for {@code name}, as a crafted zip could. */
    private static void setCentralSize(byte[] zip, String name, long size) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at + 46 <= zip.length; at++) {
            if (b.getInt(at) != 0x02014b50) {
                continue;
            }
            int nameLength = b.getShort(at + 28) & 0xFFFF;
            if (Arrays.equals(zip, at + 46, at + 46 + nameLength, wanted, 0, wanted.length)) {
                b.putInt(at + 24, (int) size);
                return;
            }
        }
        throw new AssertionError("no central directory entry " + name);
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }
}
