package org.digitlab.data.idx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
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

/**
 * Generated IDX files (idx3 and idx4, plain and gzip, from files and streams) read back exactly, and damaged ones
 * (see {@link Mutation}) end in a consistent dataset or one {@code InvalidDataException}, never anything else.
 */
class IdxReaderProperties {
    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("idx-properties");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        for (String name : List.of("images", "labels")) {
            Files.deleteIfExists(dir.resolve(name));
        }
        Files.delete(dir);
    }

    /** Images and labels as the IDX files hold them; {@code channels} 0 means an idx3 file (grey, no C axis). */
    record Idx(int count, int height, int width, int channels, byte[] pixels, byte[] labels) {
        byte[] imagesFile() {
            int[] dims = channels == 0 ? new int[] {count, height, width} : new int[] {count, height, width,
                channels};
            return file(dims, pixels);
        }

        @Override
        public String toString() {
            return count + " images of " + height + "×" + width + (channels == 0 ? "" : "×" + channels)
                    + ", labels " + java.util.Arrays.toString(labels);
        }

        byte[] labelsFile() {
            return file(new int[] {count}, labels);
        }

        private static byte[] file(int[] dims, byte[] data) {
            ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length).order(ByteOrder.BIG_ENDIAN);
            b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
            for (int d : dims) {
                b.putInt(d);
            }
            return b.put(data).array();
        }
    }

    @Provide
    Arbitrary<Idx> idx() {
        Arbitrary<int[]> dims = Combinators.combine(Arbitraries.integers().between(1, 12),
                Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 6),
                Arbitraries.of(0, 1, 3, 4), Arbitraries.integers().between(1, 256))
                .as((n, h, w, c, classes) -> new int[] {n, h, w, c, classes});
        return dims.flatMap(d -> Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofSize(d[0] * d[1] * d[2] * Math.max(1, d[3])),
                Arbitraries.integers().between(0, d[4] - 1).array(int[].class).ofSize(d[0]))
                .as((pixels, labels) -> {
                    byte[] labelBytes = new byte[labels.length];
                    for (int i = 0; i < labels.length; i++) {
                        labelBytes[i] = (byte) labels[i];
                    }
                    return new Idx(d[0], d[1], d[2], d[3], pixels, labelBytes);
                }));
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Mutation.bytes(20, ByteOrder.BIG_ENDIAN).list().ofMaxSize(3);
    }

    @Property(tries = 150)
    void generatedFilesReadBackExactly(@ForAll("idx") Idx idx, @ForAll boolean gzip, @ForAll boolean fromFiles)
            throws IOException {
        byte[] images = gzip ? Mutation.gzipped(idx.imagesFile()) : idx.imagesFile();
        byte[] labels = gzip ? Mutation.gzipped(idx.labelsFile()) : idx.labelsFile();

        Dataset data = read(images, labels, fromFiles);

        ReaderOutcome.assertConsistent(data);
        assertThat(data.shape()).isEqualTo(new ImageShape(idx.height(), idx.width(), Math.max(1, idx.channels())));
        assertThat(data.isBytePixels()).isTrue();
        for (int p = 0; p < idx.pixels().length; p++) {
            int perImage = data.shape().pixelsPerImage();
            assertThat(data.pixel(p / perImage, p % perImage)).isEqualTo(idx.pixels()[p] & 0xFF);
        }
        TreeSet<Integer> present = new TreeSet<>();
        for (byte label : idx.labels()) {
            present.add(label & 0xFF);
        }
        assertThat(data.classNames()).containsExactlyElementsOf(present.stream().map(String::valueOf).toList());
        for (int i = 0; i < idx.count(); i++) {
            assertThat(data.classNames().get(data.label(i))).isEqualTo(String.valueOf(idx.labels()[i] & 0xFF));
        }
    }

    @Property(tries = 700)
    void damagedFilesGiveADatasetOrOneInvalidDataException(@ForAll("idx") Idx idx,
            @ForAll("mutations") List<Mutation> imageDamage, @ForAll("mutations") List<Mutation> labelDamage,
            @ForAll boolean fromFiles) {
        byte[] images = Mutation.applyAll(idx.imagesFile(), imageDamage);
        byte[] labels = Mutation.applyAll(idx.labelsFile(), labelDamage);
        List<String> sources = fromFiles ? List.of(dir.resolve("images").toString(),
                dir.resolve("labels").toString()) : List.of("images", "labels");
        ReaderOutcome.of(sources, () -> read(images, labels, fromFiles));
    }

    private static Dataset read(byte[] images, byte[] labels, boolean fromFiles) throws IOException {
        if (!fromFiles) {
            return IdxReader.read("images", new ByteArrayInputStream(images), "labels",
                    new ByteArrayInputStream(labels));
        }
        Files.write(dir.resolve("images"), images);
        Files.write(dir.resolve("labels"), labels);
        return IdxReader.read(dir.resolve("images"), dir.resolve("labels"));
    }
}
