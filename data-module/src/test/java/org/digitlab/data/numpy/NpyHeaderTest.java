package org.digitlab.data.numpy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.digitlab.data.InvalidDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpyHeaderTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void readsFormatVersions1To3AndStopsAtTheFirstDataByte(int version) {
        byte[] file = NpyWriter.npy(version, ">f8", false, new int[] {2, 3, 4}, new byte[2 * 3 * 4 * 8]);
        ByteArrayInputStream in = new ByteArrayInputStream(file);

        NpyHeader header = NpyHeader.read("x.npy", in);

        assertThat(header.dtype().name()).isEqualTo("float64");
        assertThat(header.dtype().order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(header.shape()).containsExactly(2, 3, 4);
        // NumPy pads the header so the data starts at a multiple of 64 bytes.
        assertThat(header.dataOffset()).isEqualTo(file.length - 192).isEqualTo(128);
        assertThat(in.available()).isEqualTo(192);
        assertThat(header.dataBytes()).isEqualTo(192);
        assertThat(header.promise()).isEqualTo("the header promises shape (2, 3, 4) of float64 = 192 data bytes");
    }

    @Test
    void readsHeadersOtherWritersProduceLikePython2LongsDoubleQuotesAndAnyKeyOrder() {
        byte[] file = NpyWriter.withHeader(1, "{\"shape\":(5L,), \"fortran_order\":False,\"descr\":\"|u1\"}",
                new byte[5]);
        NpyHeader header = NpyHeader.read("y.npy", new ByteArrayInputStream(file));
        assertThat(header.shape()).containsExactly(5);
        assertThat(header.shapeText()).isEqualTo("(5,)");
        assertThat(header.dtype().name()).isEqualTo("uint8");
    }

    @Test
    void indexNamesTheElementAtAFlatPositionAsNumpyWould() {
        NpyHeader header = NpyHeader.read("x.npy",
                new ByteArrayInputStream(NpyWriter.npy("|u1", new int[] {4, 3, 5}, new double[60])));
        assertThat(header.index(0)).isEqualTo("[0, 0, 0]");
        assertThat(header.index(2 * 15 + 1 * 5 + 4)).isEqualTo("[2, 1, 4]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "89 50 4E 47 0D 0A 1A 0A 00 00; found 89 50 4E 47 0D 0A (a PNG image: train on image files with "
            + "--image-dir DIR (one subfolder per class) or classify them with 'digitlab predict')",
        "FF D8 FF E0 00 10 4A 46 49 46; found FF D8 FF E0 00 10 (a JPEG image: train on image files with "
            + "--image-dir DIR (one subfolder per class) or classify them with 'digitlab predict')",
        "50 4B 03 04 14 00 00 00 00 00; found 50 4B 03 04 14 00 (a zip archive: an .npz file? read it with --npz)",
        "00 00 08 03 00 00 00 01 00 00; found 00 00 08 03 00 00 (an IDX file: read it with --images and --labels)",
        "1F 8B 08 00 00 00 00 00 00 03; found 1F 8B 08 00 00 00 (gzip-compressed data: decompress it first)",
        "6C 61 62 65 6C 2C 70 31 2C 70; found 6C 61 62 65 6C 2C (text: a CSV file? read it with --csv)",
        "93 4E 55 4D; found 93 4E 55 4D",
    })
    void rejectsFilesThatAreNotNpySayingWhatTheyLookLike(String bytes, String found) {
        String[] hex = bytes.split(" ");
        byte[] head = new byte[hex.length];
        for (int i = 0; i < hex.length; i++) {
            head[i] = (byte) Integer.parseInt(hex[i], 16);
        }
        assertThatThrownBy(() -> NpyHeader.read("x.npy", new ByteArrayInputStream(head)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage("x.npy: byte offset 0: not a NumPy .npy file: expected magic bytes 93 4E 55 4D 50 59, "
                        + found);
    }

    @Test
    void rejectsAnEmptyFile() {
        assertThatThrownBy(() -> NpyHeader.read("x.npy", new ByteArrayInputStream(new byte[0])))
                .hasMessage("x.npy: file is empty; expected a NumPy .npy file");
    }

    @Test
    void rejectsUnknownFormatVersions() {
        byte[] file = NpyWriter.npy("|u1", new int[] {1}, 0);
        file[6] = 4;
        assertThatThrownBy(() -> read(file)).hasMessage("x.npy: byte offset 6: format version 4.0 is not "
                + "supported; expected 1.0, 2.0 or 3.0");
        file[6] = 1;
        file[7] = 1;
        assertThatThrownBy(() -> read(file)).hasMessageContaining("format version 1.1 is not supported");
    }

    @Test
    void rejectsAHeaderLengthOverTheCapBeforeReadingIt() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).put(NpyHeader.MAGIC)
                .put((byte) 2).put((byte) 0).putInt(1 << 30);
        assertThatThrownBy(() -> read(b.array())).hasMessage("x.npy: byte offset 8: header length 1073741824 is "
                + "over 65536 bytes; expected a short dict of descr, fortran_order and shape");
    }

    @Test
    void rejectsFilesEndingInsideTheHeader() {
        byte[] file = NpyWriter.npy("|u1", new int[] {1}, 0);
        assertThatThrownBy(() -> read(Arrays.copyOf(file, 9))).hasMessage("x.npy: byte offset 9: file ends "
                + "inside the header");
        assertThatThrownBy(() -> read(Arrays.copyOf(file, 40))).hasMessage("x.npy: byte offset 40: file ends "
                + "inside the header, after 30 of its 118 bytes");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`'descr': '|u1', 'fortran_order': False, 'shape': (1,)`"
                + "| byte offset 10: header: expected the header dict to start with '{', found ''descr': '|u1', 'fo'",
        "`{'descr': '|u1', 'fortran_order': False, 'shape': (1,)} x`"
                + "| byte offset 66: header: expected only padding after the header dict, found 'x '",
        "`{'descr': '|u1, 'fortran_order': False, 'shape': (1,)}`"
                + "| header: expected ',' or '}' in the header dict, found 'fortran_order': Fals'",
        "`{'descr': '|u1', 'shape': (1,)}`"
                + "| byte offset 10: header lacks the key 'fortran_order'; expected exactly 'descr', "
                + "'fortran_order' and 'shape'",
        "`{'descr': '|u1', 'fortran_order': False, 'shape': (1,), 'extra': 1}`"
                + "| byte offset 75: header: header has the unexpected key 'extra'",
        "`{'descr': '|u1', 'descr': '|u1', 'fortran_order': False, 'shape': (1,)}`"
                + "| header: header has the key 'descr' twice",
        "`{'descr': '|u1', 'fortran_order': 0, 'shape': (1,)}`"
                + "| header: fortran_order is 0; expected True or False",
        "`{'descr': '|u1', 'fortran_order': False, 'shape': [1]}`"
                + "| header: shape is [1]; expected a tuple of integers",
        "`{'descr': '|u1', 'fortran_order': False, 'shape': (1.5,)}`"
                + "| header: expected ',' or ')', found '.5,)} '",
        "`{'descr': '|u1', 'fortran_order': False, 'shape': (None,)}`"
                + "| header: shape (None,) holds None; expected integers",
        "`{'descr': '|u1', 'fortran_order': False, 'shape': ((((((((((((((((((1,),),),),),),),),),),),),),),),),),)}`"
                + "| header: values nested more than 16 deep; expected a flat dict",
        "`{'descr': '|u1', 'fortran_order': False, 'shape': (1,)`"
                + "| byte offset 128: header: expected ',' or '}' in the header dict, found the end of the header",
        "`{'descr': '|u1', 'fortran_order': Maybe, 'shape': (1,)}`"
                + "| header: expected a value, found 'Maybe, 'shape': (1,)'",
    })
    void rejectsMalformedHeaderDictsSayingWhereAndWhat(String dict, String problem) {
        byte[] file = NpyWriter.withHeader(1, dict, new byte[1]);
        assertThatThrownBy(() -> read(file)).isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith("x.npy: byte offset ").hasMessageContaining(problem);
    }

    @Test
    void refusesObjectArraysWithoutUnpickling() {
        byte[] pickle = {(byte) 0x80, 4, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0, 0, '.'};
        byte[] file = NpyWriter.npy(1, "|O", false, new int[] {1}, pickle);
        assertThatThrownBy(() -> read(file)).hasMessageContaining("x.npy: byte offset 20: header: dtype '|O' "
                + "holds pickled Python objects, which are never unpickled");
    }

    @Test
    void refusesStructuredDtypes() {
        byte[] file = NpyWriter.withHeader(1, "{'descr': [('x', '<f4'), ('y', '<i8')], 'fortran_order': False, "
                + "'shape': (1,)}", new byte[12]);
        assertThatThrownBy(() -> read(file)).hasMessageContaining("descr is a list of fields (a structured "
                + "dtype), which is not supported");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "<c8; dtype '<c8' (complex64) is not supported; expected uint8 or float32/float64 for images",
        "<f2; dtype '<f2' (float16) is not supported",
        "<U5; dtype '<U5' (Unicode strings) is not supported",
        "<M8; dtype '<M8' (dates or times) is not supported",
        "=f4; dtype '=f4' does not say its byte order; expected '<' (little-endian) or '>' (big-endian)",
        "f4; dtype 'f4' does not say its byte order",
        "<f4 x; dtype '<f4 x' is not a NumPy type code",
    })
    void rejectsUnsupportedDtypesListingTheSupportedOnes(String descr, String problem) {
        byte[] file = NpyWriter.npy(1, descr, false, new int[] {1}, new byte[8]);
        assertThatThrownBy(() -> read(file)).hasMessageContaining(problem);
    }

    @Test
    void refusesFortranOrderSayingHowToFixIt() {
        byte[] file = NpyWriter.npy(1, "|u1", true, new int[] {2, 3}, new byte[6]);
        assertThatThrownBy(() -> read(file)).hasMessageContaining("Fortran (column-major) order, which is not "
                + "supported; save it in C order: np.save(file, np.ascontiguousarray(x))");
    }

    @Test
    void acceptsFortranOrderWhereItIsTheSameAsCOrder() {
        byte[] file = NpyWriter.npy(1, "|u1", true, new int[] {6, 1}, new byte[6]);
        assertThat(read(file).shape()).containsExactly(6, 1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "(); shape () is a single value, not an array",
        "(3, 0, 28); dimension 1 of shape (3, 0, 28) is 0; expected 1..2147483647 (the array is empty)",
        "(-1, 28); dimension 0 of shape (-1, 28) is -1; expected 1..2147483647",
        "(2147483648,); dimension 0 of shape (2147483648,) is 2147483648; expected 1..2147483647",
    })
    void rejectsEmptyNegativeAndOversizedShapes(String shape, String problem) {
        byte[] file = NpyWriter.withHeader(1, "{'descr': '|u1', 'fortran_order': False, 'shape': " + shape + "}",
                new byte[0]);
        assertThatThrownBy(() -> read(file)).hasMessageContaining(problem);
    }

    @Test
    void dataSizeOfAHugeShapeSaturatesInsteadOfOverflowing() {
        byte[] file = NpyWriter.withHeader(1, "{'descr': '<f8', 'fortran_order': False, "
                + "'shape': (2147483647, 2147483647, 2147483647)}", new byte[0]);
        assertThat(read(file).dataBytes()).isEqualTo(Long.MAX_VALUE);
    }

    private static NpyHeader read(byte[] file) {
        return NpyHeader.read("x.npy", new ByteArrayInputStream(file));
    }
}
