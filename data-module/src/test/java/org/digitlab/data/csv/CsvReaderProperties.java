package org.digitlab.data.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.Mutation;
import org.digitlab.data.ReaderOutcome;

/**
 * Generated CSV files (any label column, header mode, delimiter, number spelling, line end, BOM, gzip and buffer
 * size) read back exactly, and damaged ones end in a consistent dataset or one {@code InvalidDataException}.
 */
class CsvReaderProperties {
    /** What careless or hostile CSV files hold where numbers belong. */
    private static final List<String> TOKENS = List.of(",", ";", "\n", "\r\n", "\n\n", "-", "+", ".", "e", "E-",
            "1e999", "-0", "1e-999", "99999999999999999999", "65536", "2147483648", "NaN", "Infinity", " ", "\t",
            "\"", "\uFEFF", "\u0000", "ä", "0x1F", "1,2,3,4,5,6,7,8,9");

    private static Path file;

    @BeforeContainer
    static void createFile() throws IOException {
        file = Files.createTempFile("csv-properties", ".csv");
    }

    @AfterContainer
    static void deleteFile() throws IOException {
        Files.delete(file);
    }

    /**
     * A CSV file as generated: its text, the options to read it with, and what it holds.
     *
     * @param pixels pixel values in row order, without labels
     */
    record Csv(String text, CsvOptions options, ImageShape shape, int[] labels, double[] pixels) {
        @Override
        public String toString() {
            return options + ", " + labels.length + " rows of " + shape + ":\n" + text;
        }
    }

    @Provide
    Arbitrary<Csv> csv() {
        Arbitrary<int[]> layout = Combinators.combine(Arbitraries.integers().between(1, 12),
                Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 5),
                Arbitraries.of(0, 1, 3), Arbitraries.of(2, 10, 300, 65_536), Arbitraries.integers().between(0, 3))
                .as((n, h, w, c, classes, labelAt) -> new int[] {n, h, w, c, classes, labelAt});
        return layout.flatMap(l -> Combinators.combine(
                Arbitraries.integers().between(0, l[4] - 1).array(int[].class).ofSize(l[0]),
                Arbitraries.doubles().between(0, 1).array(double[].class)
                        .ofSize(l[0] * l[1] * (l[3] == 0 ? l[1] : l[2] * l[3])),
                Arbitraries.of(',', ';', '\t', '|'), Arbitraries.of(255f, 16f, 1f),
                Arbitraries.of("\n", "\r\n"), Arbitraries.integers().between(0, 63))
                .as((labels, unit, delimiter, max, newline, flags) -> csv(l, labels, unit, delimiter, max,
                        newline, flags)));
    }

    /** {@code flags} bits: 1 header row, 2 header mode explicit, 4 BOM, 8 final newline, 16/32 number spelling. */
    private static Csv csv(int[] l, int[] labels, double[] unit, char delimiter, float max, String newline,
                           int flags) {
        int n = l[0];
        ImageShape shape = l[3] == 0 ? ImageShape.grey(l[1], l[1]) : new ImageShape(l[1], l[2], l[3]);
        int perImage = shape.pixelsPerImage();
        int labelColumn = switch (l[5]) {
            case 0 -> 0;
            case 1 -> perImage;
            default -> Math.min(perImage, l[5] * perImage / 3);
        };
        boolean header = (flags & 1) != 0;
        HeaderMode mode = (flags & 2) == 0 ? HeaderMode.AUTO : header ? HeaderMode.YES : HeaderMode.NO;
        LabelColumn column = l[5] == 1 ? LabelColumn.last() : LabelColumn.index(labelColumn);
        CsvOptions options = new CsvOptions(column, mode, delimiter, max, l[3] == 0 ? null : shape);
        double[] pixels = new double[unit.length];
        StringBuilder text = new StringBuilder((flags & 4) != 0 ? "\uFEFF" : "");
        if (header) {
            for (int c = 0; c <= perImage; c++) {
                text.append(c == 0 ? "" : delimiter).append(c == labelColumn ? "label" : "pixel" + c);
            }
            text.append(newline);
        }
        for (int i = 0; i < n; i++) {
            int p = 0;
            for (int c = 0; c <= perImage; c++) {
                text.append(c == 0 ? "" : delimiter);
                if (c == labelColumn) {
                    text.append(labels[i]);
                    continue;
                }
                int k = i * perImage + p++;
                double value = max == 1f ? unit[k] : Math.floor(unit[k] * (max + 1) * 0.999);
                pixels[k] = value;
                text.append(spell(value, flags >> 4));
            }
            text.append(i < n - 1 || (flags & 8) != 0 ? newline : "");
        }
        return new Csv(text.toString(), options, shape, labels, pixels);
    }

    /** A number as files spell it: plain, with a sign or spaces, as a decimal, or with an exponent. */
    private static String spell(double value, int style) {
        boolean whole = value == Math.rint(value);
        return switch (style) {
            case 1 -> whole ? " +" + (long) value + " " : String.format(Locale.ROOT, "%.6f", value);
            case 2 -> String.format(Locale.ROOT, "%.5e", value);
            case 3 -> whole ? (long) value + ".0" : Double.toString(value);
            default -> whole ? Long.toString((long) value) : Double.toString(value);
        };
    }

    @Provide
    Arbitrary<List<Mutation>> damage() {
        return Arbitraries.oneOf(Mutation.bytes(16, ByteOrder.BIG_ENDIAN), Mutation.text(TOKENS))
                .list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<Integer> bufferSize() {
        return Arbitraries.of(4, 7, 64, 1 << 20);
    }

    @Property(tries = 200)
    void generatedFilesReadBackExactly(@ForAll("csv") Csv csv, @ForAll boolean gzip,
                                       @ForAll("bufferSize") int bufferSize) {
        byte[] bytes = csv.text().getBytes(StandardCharsets.UTF_8);
        Dataset data = CsvReader.read("generated.csv", new ByteArrayInputStream(gzip ? Mutation.gzipped(bytes)
                : bytes), csv.options(), bufferSize);

        ReaderOutcome.assertConsistent(data);
        assertThat(data.shape()).isEqualTo(csv.shape());
        assertThat(data.pixelMax()).isEqualTo(csv.options().pixelMax());
        int perImage = csv.shape().pixelsPerImage();
        for (int k = 0; k < csv.pixels().length; k++) {
            assertThat(data.pixel(k / perImage, k % perImage)).isCloseTo((float) csv.pixels()[k], within(1e-5f));
        }
        TreeSet<Integer> present = new TreeSet<>();
        for (int label : csv.labels()) {
            present.add(label);
        }
        assertThat(data.classNames()).containsExactlyElementsOf(present.stream().map(String::valueOf).toList());
        for (int i = 0; i < csv.labels().length; i++) {
            assertThat(data.classNames().get(data.label(i))).isEqualTo(String.valueOf(csv.labels()[i]));
        }
    }

    @Property(tries = 800)
    void damagedFilesGiveADatasetOrOneInvalidDataException(@ForAll("csv") Csv csv,
            @ForAll("damage") List<Mutation> damage, @ForAll("bufferSize") int bufferSize, @ForAll boolean fromFile)
            throws IOException {
        byte[] bytes = Mutation.applyAll(csv.text().getBytes(StandardCharsets.UTF_8), damage);
        if (fromFile) {
            Files.write(file, bytes);
            ReaderOutcome.of(List.of(file.toString()), () -> CsvReader.read(file, csv.options()));
        } else {
            ReaderOutcome.of(List.of("damaged.csv"), () -> CsvReader.read("damaged.csv",
                    new ByteArrayInputStream(bytes), csv.options(), bufferSize));
        }
    }

    /** One very wide row: what is allocated must follow the rows that arrive, not a guess of a thousand rows. */
    @Property(tries = 6)
    void wideRowsAreReadInBoundedMemory(@ForAll @IntRange(min = 300, max = 600) int side,
                                        @ForAll boolean floatPixels) {
        StringBuilder row = new StringBuilder("7");
        row.append(",0".repeat(side * side)).append('\n');
        CsvOptions options = CsvOptions.defaults().withPixelMax(floatPixels ? 1000f : 255f);

        Dataset data = CsvReader.read("wide.csv", new ByteArrayInputStream(row.toString()
                .getBytes(StandardCharsets.US_ASCII)), options);

        assertThat(data.size()).isEqualTo(1);
        assertThat(data.shape()).isEqualTo(ImageShape.grey(side, side));
    }
}
