package org.digitlab.data.numpy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.Mutation;
import org.digitlab.data.ReaderOutcome;
import org.digitlab.data.builtin.LoadedData;

/**
 * Generated .npy pairs and .npz archives (every supported dtype, byte order and format version; class numbers
 * and one-hot labels) read back exactly; damaged files and headers that lie about shape or dtype end in a
 * consistent dataset or one {@code InvalidDataException}.
 */
class NumpyReaderProperties {
    /** Dimensions a lying header claims: empty, negative, the int limit and past it, far past a long. */
    private static final List<String> LYING_DIMS = List.of("0", "-1", "2147483647", "2147483648", "65536",
            "1099511627776", "1" + "0".repeat(39), "1" + "0".repeat(45), "3L", "None", "'7'", "(2, 2)");
    /** Element types a header may name: supported ones with the wrong size or order, and unsupported ones. */
    private static final List<String> DESCRS = List.of("|u1", "<u1", "|i1", "<f4", ">f8", "<f2", "<f16", "|b1",
            "<i8", ">u8", "|O", "<U10", "|S3", "<c8", "|V4", "<M8[ns]", "f4", "", "x", "<u1000");

    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("numpy-properties");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        for (String name : List.of("x.npy", "y.npy", "data.npz")) {
            Files.deleteIfExists(dir.resolve(name));
        }
        Files.delete(dir);
    }

    /**
     * Images and labels as generated, and how they are encoded.
     *
     * @param shape      N, H, W and optionally C
     * @param pixels     pixel values in C order
     * @param labels     class numbers
     * @param labelDescr the labels' dtype; {@code oneHot} columns when positive
     */
    record NpyPair(int version, String imageDescr, int[] shape, double[] pixels, String labelDescr, int oneHot,
                   boolean columnLabels, int[] labels) {
        byte[] imagesFile() {
            return NpyWriter.npy(version, imageDescr, false, shape, NpyWriter.values(imageDescr, pixels));
        }

        byte[] labelsFile() {
            if (oneHot > 0) {
                return NpyWriter.oneHot(labelDescr, oneHot, labels);
            }
            double[] values = Arrays.stream(labels).asDoubleStream().toArray();
            int[] labelShape = columnLabels ? new int[] {labels.length, 1} : new int[] {labels.length};
            return NpyWriter.npy(version, labelDescr, false, labelShape, NpyWriter.values(labelDescr, values));
        }

        /** The header dict of the images file with {@code field} ("descr", "shape") spelt {@code value}. */
        String imagesDict(String field, String value) {
            String dims = Arrays.stream(shape).mapToObj(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
            return "{'descr': '" + (field.equals("descr") ? value : imageDescr) + "', 'fortran_order': "
                    + (field.equals("fortran_order") ? value : "False") + ", 'shape': "
                    + (field.equals("shape") ? value : dims) + ", }";
        }

        @Override
        public String toString() {
            return "v" + version + " images " + imageDescr + " " + Arrays.toString(shape) + ", labels "
                    + labelDescr + (oneHot > 0 ? " one-hot " + oneHot : columnLabels ? " (N, 1)" : " (N,)") + " "
                    + Arrays.toString(labels);
        }
    }

    @Provide
    Arbitrary<NpyPair> arrays() {
        Arbitrary<int[]> layout = Combinators.combine(Arbitraries.integers().between(1, 10),
                Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 5), Arbitraries.of(0, 1, 3, 4),
                Arbitraries.integers().between(0, 6), Arbitraries.integers().between(1, 3))
                .as((n, h, w, c, labelKind, version) -> new int[] {n, h, w, c, labelKind, version});
        return layout.flatMap(l -> {
            int[] shape = l[3] == 0 ? new int[] {l[0], l[1], l[2]} : new int[] {l[0], l[1], l[2], l[3]};
            int values = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            String labelDescr = List.of("|u1", "<i8", ">i4", "<u2", "|b1", "<f4", "|u1").get(l[4]);
            int oneHot = l[4] >= 5 ? 2 + l[0] % 4 : 0;
            int classes = oneHot > 0 ? oneHot : labelDescr.equals("|b1") ? 2 : labelDescr.equals("|u1") ? 256 : 300;
            return Combinators.combine(Arbitraries.of("|u1", "<f4", ">f4", "<f8"), Arbitraries.of(1.0, 255.0),
                    Arbitraries.doubles().between(0, 1).array(double[].class).ofSize(values),
                    Arbitraries.integers().between(0, classes - 1).array(int[].class).ofSize(l[0]),
                    Arbitraries.of(false, true))
                    .as((descr, scale, unit, labels, column) -> {
                        double[] pixels = Arrays.stream(unit).map(u -> descr.equals("|u1") ? Math.floor(u * 255.999)
                                : u * scale).toArray();
                        return new NpyPair(l[5], descr, shape, pixels, labelDescr, oneHot, column, labels);
                    });
        });
    }

    @Provide
    Arbitrary<List<Mutation>> damage() {
        return Mutation.bytes(80, ByteOrder.LITTLE_ENDIAN).list().ofMaxSize(3);
    }

    @Property(tries = 150)
    void generatedPairsAndArchivesReadBackExactly(@ForAll("arrays") NpyPair arrays, @ForAll boolean archive,
                                                  @ForAll boolean deflate) throws IOException {
        Dataset data;
        if (archive) {
            Map<String, byte[]> members = new LinkedHashMap<>();
            members.put("x_train.npy", arrays.imagesFile());
            members.put("y_train.npy", arrays.labelsFile());
            Files.write(dir.resolve("data.npz"), NpyWriter.npz(deflate, members));
            LoadedData loaded = NumpyReader.readNpz(dir.resolve("data.npz"));
            assertThat(loaded.test()).isNull();
            data = loaded.train();
        } else {
            data = NumpyReader.readImages(write("x.npy", arrays.imagesFile()), write("y.npy", arrays.labelsFile()));
        }

        ReaderOutcome.assertConsistent(data);
        int[] shape = arrays.shape();
        assertThat(data.shape()).isEqualTo(new ImageShape(shape[1], shape[2], shape.length == 4 ? shape[3] : 1));
        boolean scaled = !arrays.imageDescr().equals("|u1") && Arrays.stream(arrays.pixels()).allMatch(v -> v <= 1);
        assertThat(data.pixelMax()).isEqualTo(scaled ? 1f : 255f);
        int perImage = data.shape().pixelsPerImage();
        for (int k = 0; k < arrays.pixels().length; k++) {
            assertThat(data.pixel(k / perImage, k % perImage)).isCloseTo((float) arrays.pixels()[k], within(1e-4f));
        }
        TreeSet<Integer> present = new TreeSet<>();
        Arrays.stream(arrays.labels()).forEach(present::add);
        assertThat(data.classNames()).containsExactlyElementsOf(present.stream().map(String::valueOf).toList());
        for (int i = 0; i < arrays.labels().length; i++) {
            assertThat(data.classNames().get(data.label(i))).isEqualTo(String.valueOf(arrays.labels()[i]));
        }
    }

    @Property(tries = 500)
    void damagedPairsGiveADatasetOrOneInvalidDataException(@ForAll("arrays") NpyPair arrays,
            @ForAll("damage") List<Mutation> imageDamage, @ForAll("damage") List<Mutation> labelDamage)
            throws IOException {
        Path x = write("x.npy", Mutation.applyAll(arrays.imagesFile(), imageDamage));
        Path y = write("y.npy", Mutation.applyAll(arrays.labelsFile(), labelDamage));
        ReaderOutcome.of(List.of(x.toString(), y.toString()), () -> NumpyReader.readImages(x, y));
    }

    @Property(tries = 300)
    void lyingHeadersGiveADatasetOrOneInvalidDataException(@ForAll("arrays") NpyPair arrays,
            @ForAll("lie") String[] lie, @ForAll boolean archive) throws IOException {
        byte[] data = NpyWriter.values(arrays.imageDescr(), arrays.pixels());
        String dict = arrays.imagesDict(lie[0], lie[1]);
        byte[] images = NpyWriter.withHeader(arrays.version(), dict, data);
        if (archive) {
            Map<String, byte[]> members = new LinkedHashMap<>();
            members.put("x_train.npy", images);
            members.put("y_train.npy", arrays.labelsFile());
            Path npz = write("data.npz", NpyWriter.npz(arrays.labels().length % 2 == 0, members));
            ReaderOutcome.of(List.of(npz.toString()), () -> NumpyReader.readNpz(npz).train());
        } else {
            Path x = write("x.npy", images);
            Path y = write("y.npy", arrays.labelsFile());
            ReaderOutcome.of(List.of(x.toString(), y.toString()), () -> NumpyReader.readImages(x, y));
        }
    }

    @Provide
    Arbitrary<String[]> lie() {
        Arbitrary<String[]> shape = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.of(LYING_DIMS)).as((at, dim) -> {
                    List<String> dims = new java.util.ArrayList<>(List.of("3", "4", "4"));
                    dims.add(Math.min(at, dims.size()), dim);
                    return new String[] {"shape", "(" + String.join(", ", dims) + ")"};
                });
        return Arbitraries.oneOf(shape,
                Arbitraries.of(DESCRS).map(d -> new String[] {"descr", d}),
                Arbitraries.of("True", "None", "1", "'False'").map(f -> new String[] {"fortran_order", f}));
    }

    @Property(tries = 300)
    void damagedArchivesGiveADatasetOrOneInvalidDataException(@ForAll("arrays") NpyPair arrays,
            @ForAll boolean deflate, @ForAll boolean withTest, @ForAll("damage") List<Mutation> damage)
            throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("x_train.npy", arrays.imagesFile());
        members.put("y_train.npy", arrays.labelsFile());
        if (withTest) {
            members.put("x_test.npy", arrays.imagesFile());
            members.put("y_test.npy", arrays.labelsFile());
        }
        Path npz = write("data.npz", Mutation.applyAll(NpyWriter.npz(deflate, members), damage));
        ReaderOutcome.of(List.of(npz.toString()), () -> {
            LoadedData loaded = NumpyReader.readNpz(npz);
            if (loaded.test() != null) {
                ReaderOutcome.assertConsistent(loaded.test());
            }
            return loaded.train();
        });
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
