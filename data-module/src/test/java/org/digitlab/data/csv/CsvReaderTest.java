package org.digitlab.data.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CsvReaderTest {
    private static final CsvOptions DEFAULTS = CsvOptions.defaults();

    @TempDir
    Path dir;

    @Test
    void readsSklearnDigitsWithLabelLastAndPixelMax16() throws IOException {
        CsvOptions digitsOptions = DEFAULTS.withLabelColumn(LabelColumn.last()).withPixelMax(16);
        Dataset digits;
        try (InputStream in = getClass().getResourceAsStream("/org/digitlab/data/digits.csv.gz")) {
            digits = CsvReader.read("digits.csv.gz", in, digitsOptions);
        }
        assertThat(digits.size()).isEqualTo(1797);
        assertThat(digits.shape()).isEqualTo(ImageShape.grey(8, 8));
        assertThat(digits.isBytePixels()).isTrue();
        assertThat(digits.pixelMax()).isEqualTo(16f);
        assertThat(digits.numClasses()).isEqualTo(10);
        assertThat(Arrays.stream(digits.classCounts()).sum()).isEqualTo(1797);
        assertThat(digits.classCounts()).containsExactly(178, 182, 177, 183, 181, 182, 181, 179, 174, 180);
        // First row: 0,0,5,13,9,1,0,0, … ,0 (label 0).
        assertThat(digits.label(0)).isEqualTo(0);
        assertThat(digits.pixel(0, 2)).isEqualTo(5f);
        assertThat(digits.pixel(0, 3)).isEqualTo(13f);
        assertThat(digits.label(1796)).isEqualTo(8);
    }

    @Test
    void readsKaggleLayoutWithHeaderDetectedAutomatically() throws IOException {
        Dataset data = CsvReader.read(write("sign.csv", kaggle(3, 2)), DEFAULTS);
        assertThat(data.size()).isEqualTo(3);
        assertThat(data.shape()).isEqualTo(ImageShape.grey(2, 2));
        assertThat(data.labels()).containsExactly(0, 1, 2);
        assertThat(data.numClasses()).isEqualTo(3);
        assertThat(data.pixel(2, 3)).isEqualTo(23f);
        assertThat(data.isBytePixels()).isTrue();
    }

    @Test
    void headerYesSkipsANumericFirstRow() throws IOException {
        Path file = write("h.csv", "9,9,9,9,9\n1,1,2,3,4\n");
        Dataset data = CsvReader.read(file, DEFAULTS.withHeader(HeaderMode.YES));
        assertThat(data.size()).isEqualTo(1);
        assertThat(labelNames(data)).containsExactly("1");
        assertThat(CsvReader.read(file, DEFAULTS.withHeader(HeaderMode.AUTO)).size()).isEqualTo(2);
    }

    @Test
    void headerNoRejectsATextFirstRow() throws IOException {
        Path file = write("h.csv", kaggle(1, 2));
        assertThatThrownBy(() -> CsvReader.read(file, DEFAULTS.withHeader(HeaderMode.NO)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("h.csv: line 1, column 1: expected a number, found 'label'");
    }

    @Test
    void readsLabelFromAGivenColumnIndex() throws IOException {
        Dataset data = CsvReader.read(write("mid.csv", "10,20,3,30,40\n11,21,4,31,41\n"),
                DEFAULTS.withLabelColumn(LabelColumn.index(2)));
        assertThat(labelNames(data)).containsExactly("3", "4");
        assertThat(data.pixel(1, 0)).isEqualTo(11f);
        assertThat(data.pixel(1, 2)).isEqualTo(31f);
    }

    @ParameterizedTest
    @ValueSource(chars = {';', '\t', '|'})
    void readsOtherDelimiters(char delimiter) throws IOException {
        String text = "1,2,3,4,5\n0,6,7,8,9\n".replace(',', delimiter);
        Dataset data = CsvReader.read(write("d.csv", text), DEFAULTS.withDelimiter(delimiter));
        assertThat(data.labels()).containsExactly(1, 0);
        assertThat(data.pixel(1, 3)).isEqualTo(9f);
    }

    @Test
    void readsGivenNonSquareAndMultiChannelShapes() throws IOException {
        Path file = write("s.csv", "1,0,1,2,3,4,5\n");
        assertThat(CsvReader.read(file, DEFAULTS.withShape(ImageShape.grey(2, 3))).shape())
                .isEqualTo(ImageShape.grey(2, 3));
        assertThat(CsvReader.read(file, DEFAULTS.withShape(new ImageShape(1, 2, 3))).shape())
                .isEqualTo(new ImageShape(1, 2, 3));
    }

    @Test
    void rejectsNonSquarePixelCountWithoutShape() throws IOException {
        assertThatThrownBy(() -> CsvReader.read(write("s.csv", "1,0,1,2,3,4,5\n"), DEFAULTS))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("rows have 6 pixel values, not a square image; give the image shape");
    }

    @Test
    void rejectsShapeThatDoesNotMatchThePixelCount() throws IOException {
        assertThatThrownBy(() -> CsvReader.read(write("s.csv", "1,0,1,2,3\n"),
                DEFAULTS.withShape(ImageShape.grey(3, 3))))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("expected a label and 3×3×1 = 9 pixel values per row, found 4");
    }

    @Test
    void storesDecimalPixelsAsFloatsAndIntegralOnesAsBytes() throws IOException {
        Dataset decimals = CsvReader.read(write("f.csv", "1,0,12.0,0.5,255\n0,1,2,3,4\n"), DEFAULTS);
        assertThat(decimals.isBytePixels()).isFalse();
        assertThat(decimals.pixelsAsFloats()).containsExactly(0f, 12f, 0.5f, 255f, 1f, 2f, 3f, 4f);

        Dataset integral = CsvReader.read(write("i.csv", "1,0,12.0,1.6e1,255\n"), DEFAULTS);
        assertThat(integral.isBytePixels()).isTrue();
        assertThat(integral.pixelsAsFloats()).containsExactly(0f, 12f, 16f, 255f);
    }

    @Test
    void readsNumpyScientificNotation() throws IOException {
        String row = "8.000000000000000000e+00,0.000000000000000000e+00,1.600000000000000000e+01,"
                + "2.500000000000000000e-01,1.000000000000000000e+00\n";
        Dataset data = CsvReader.read(write("np.csv", row), DEFAULTS.withPixelMax(16));
        assertThat(labelNames(data)).containsExactly("8");
        assertThat(data.pixelsAsFloats()).containsExactly(0f, 16f, 0.25f, 1f);
    }

    @Test
    void storesFloatsWhenPixelMaxExceedsAByte() throws IOException {
        Dataset data = CsvReader.read(write("w.csv", "0,1000,0,65535,2\n"), DEFAULTS.withPixelMax(65535));
        assertThat(data.isBytePixels()).isFalse();
        assertThat(data.pixel(0, 2)).isEqualTo(65535f);
    }

    @Test
    void switchesToFloatsMidFileKeepingEarlierRows() throws IOException {
        Dataset data = CsvReader.read(write("m.csv", "0,1,2,3,4\n1,5,6,7,8\n2,9,10,11,12.5\n"), DEFAULTS);
        assertThat(data.isBytePixels()).isFalse();
        assertThat(data.pixelsAsFloats()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12.5f);
    }

    @Test
    void detectsGzipByMagicBytesNotByFileName() throws IOException {
        Path gzippedButNamedCsv = Files.write(dir.resolve("data.csv"), gzip(kaggle(2, 2)));
        Path plainButNamedGz = write("data.gz", kaggle(2, 2));
        Dataset a = CsvReader.read(gzippedButNamedCsv, DEFAULTS);
        Dataset b = CsvReader.read(plainButNamedGz, DEFAULTS);
        assertThat(a.size()).isEqualTo(2);
        assertThat(a.pixelsAsFloats()).isEqualTo(b.pixelsAsFloats());
    }

    @Test
    void toleratesBomCrlfSpacesAndTrailingBlankLines() throws IOException {
        String text = "\uFEFFlabel,p1,p2,p3,p4\r\n3, 1,2 ,3,4\r\n0,5,6,7,8\r\n\r\n\n";
        Dataset data = CsvReader.read(write("bom.csv", text), DEFAULTS);
        assertThat(labelNames(data)).containsExactly("3", "0");
        assertThat(data.classNames()).containsExactly("0", "3");
        assertThat(data.pixelsAsFloats()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f);
    }

    @Test
    void readsLastRowWithoutNewline() throws IOException {
        assertThat(labelNames(CsvReader.read(write("n.csv", "1,1,1,1,1\n2,2,2,2,2"), DEFAULTS)))
                .containsExactly("1", "2");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 7, 16, 100})
    void givesTheSameResultWhateverTheBufferSize(int bufferSize) throws IOException {
        byte[] text = kaggle(50, 3).getBytes(StandardCharsets.UTF_8);
        Dataset expected = CsvReader.read("big", new ByteArrayInputStream(text), DEFAULTS);
        Dataset chunked = CsvReader.read("small", new ByteArrayInputStream(text), DEFAULTS, bufferSize);
        assertThat(chunked.labels()).isEqualTo(expected.labels());
        assertThat(chunked.pixelsAsFloats()).isEqualTo(expected.pixelsAsFloats());
        assertThat(expected.size()).isEqualTo(50);
    }

    @Test
    void acceptsIntegralLabelWrittenAsDecimal() throws IOException {
        assertThat(labelNames(CsvReader.read(write("l.csv", "3.0,1,2,3,4\n"), DEFAULTS))).containsExactly("3");
    }

    @Test
    void rejectsMissingFileNamingIt() {
        Path missing = dir.resolve("absent.csv");
        assertThatThrownBy(() -> CsvReader.read(missing, DEFAULTS))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage(missing + ": CSV file not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "\uFEFF"})
    void rejectsEmptyFile(String content) throws IOException {
        assertThatThrownBy(() -> CsvReader.read(write("e.csv", content), DEFAULTS))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("e.csv: file is empty");
    }

    @Test
    void rejectsHeaderOnly() throws IOException {
        assertThatThrownBy(() -> CsvReader.read(write("h.csv", "label,pixel1,pixel2,pixel3,pixel4\n"), DEFAULTS))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("h.csv: has a header on line 1 but no data rows");
    }

    @Test
    void rejectsRaggedRowNamingLineAndCounts() throws IOException {
        assertThatThrownBy(() -> CsvReader.read(write("r.csv", "label,a,b,c,d\n1,2,3,4,5\n1,2,3,4\n"), DEFAULTS))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("r.csv: line 3: ragged row: expected 5 values (as on line 1), found 4");
    }

    @Test
    void rejectsBlankLineInsideTheData() throws IOException {
        assertThatThrownBy(() -> CsvReader.read(write("b.csv", "1,2,3,4,5\n\n1,2,3,4,5\n"), DEFAULTS))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("b.csv: line 2: blank line inside the data");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "|", value = {
        "1,2,x3,4,5         | column 3: expected a number, found 'x3'",
        "1,2,NaN,4,5        | column 3: expected a number, found 'NaN'",
        "1,2,3,Infinity,5   | column 4: expected a number, found 'Infinity'",
        "1,2,,4,5           | column 3: expected a number, found ''",
        "1,2,3 4,4,5        | column 3: expected a number, found '3 4'",
        "1,2,1e,4,5         | column 3: expected a number, found '1e'",
        "1,2,.,4,5          | column 3: expected a number, found '.'",
        "1,2,256,4,5        | column 3: expected a pixel value in [0, 255], found 256",
        "1,2,-1,4,5         | column 3: expected a pixel value in [0, 255], found -1",
        "-1,2,3,4,5         | column 1: expected a non-negative integer label, found '-1'",
        "3.5,2,3,4,5        | column 1: expected a non-negative integer label, found '3.5'",
        "70000,2,3,4,5      | column 1: expected a class index 0..65535 as label, found 70000",
    })
    void rejectsBadValuesNamingLineColumnAndWhatWasFound(String badRow, String expectedMessage) throws IOException {
        Path file = write("bad.csv", "0,1,2,3,4\n" + badRow + "\n");
        assertThatThrownBy(() -> CsvReader.read(file, DEFAULTS))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("bad.csv: line 2, " + expectedMessage);
    }

    @Test
    void rejectsPixelAbovePixelMax() throws IOException {
        assertThatThrownBy(() -> CsvReader.read(write("p.csv", "0,1,2,17,4\n"), DEFAULTS.withPixelMax(16)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("p.csv: line 1, column 4: expected a pixel value in [0, 16], found 17");
    }

    @Test
    void rejectsLabelColumnOutOfRange() throws IOException {
        assertThatThrownBy(() -> CsvReader.read(write("c.csv", "0,1,2,3,4\n"),
                DEFAULTS.withLabelColumn(LabelColumn.index(5))))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("c.csv: line 1: label column 5 is out of range: rows have 5 columns");
    }

    @Test
    void rejectsRowsWithoutPixels() throws IOException {
        assertThatThrownBy(() -> CsvReader.read(write("one.csv", "1\n2\n"), DEFAULTS))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("one.csv: line 1: expected a label and pixel values separated by ','");
    }

    @Test
    void rejectsTruncatedGzip() throws IOException {
        byte[] gz = gzip(kaggle(200, 4));
        Path cut = Files.write(dir.resolve("cut.csv.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> CsvReader.read(cut, DEFAULTS))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("cut.csv.gz: byte offset")
                .hasMessageContaining("truncated or corrupt");
    }

    /** Kaggle layout: header, then label i % 10 and pixels 10·i + p. */
    private static String kaggle(int rows, int side) {
        StringBuilder sb = new StringBuilder("label");
        for (int p = 1; p <= side * side; p++) {
            sb.append(",pixel").append(p);
        }
        sb.append('\n');
        for (int i = 0; i < rows; i++) {
            sb.append(i % 10);
            for (int p = 0; p < side * side; p++) {
                sb.append(',').append((10 * i + p) % 256);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Test
    void aGzipFileCutBeforeItsEndSaysTheDataEndsRatherThanNull() throws IOException {
        byte[] gz = gzip("label,a,b,c,d\n3,0,1,2,3\n7,4,5,6,7\n");
        Path cut = dir.resolve("cut.csv.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length - 3));

        assertThatThrownBy(() -> CsvReader.read(cut, CsvOptions.defaults()))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith(cut + ": byte offset ")
                .hasMessageEndingWith(": cannot read further (the data ends unexpectedly); the file is truncated "
                        + "or corrupt");
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void anImageGivenAsCsvSaysWhatItIsAndWhereItBelongs() throws IOException {
        Path jpeg = Files.write(dir.resolve("photo.csv"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF,
            (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F'});
        assertThatThrownBy(() -> CsvReader.read(jpeg, DEFAULTS))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("photo.csv: byte offset 0: not a CSV text file: found bytes FF D8 FF E0")
                .hasMessageContaining("a JPEG image: train on image files with --image-dir DIR");
    }

    /** Each sample's class name: the label value as written in the file. */
    private static List<String> labelNames(Dataset data) {
        return java.util.Arrays.stream(data.labels()).mapToObj(data.classNames()::get).toList();
    }
}
