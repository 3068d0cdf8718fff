package org.digitlab.data.idx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxWriterTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void roundTripsGreyImagesPlainAndGzipped(boolean gzip) throws IOException {
        byte[] pixels = new byte[3 * 4 * 5];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        Dataset original = Dataset.ofBytes(ImageShape.grey(4, 5), pixels, new int[] {2, 0, 1},
                Dataset.numericClassNames(3), 255f);
        Path images = dir.resolve("out/images.idx");
        Path labels = dir.resolve("out/labels.idx");

        IdxWriter.write(original, images, labels, gzip);
        Dataset back = IdxReader.read(images, labels);

        assertThat(back.shape()).isEqualTo(original.shape());
        assertThat(back.labels()).containsExactly(2, 0, 1);
        assertThat(back.pixelsAsFloats()).isEqualTo(original.pixelsAsFloats());
        byte[] first = Files.readAllBytes(images);
        assertThat(first[0] == (byte) 0x1f && first[1] == (byte) 0x8b).isEqualTo(gzip);
        try (var files = Files.list(images.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("images.idx",
                    "labels.idx");
        }
    }

    @Test
    void roundTripsMultiChannelImagesAsIdx4() throws IOException {
        byte[] pixels = new byte[2 * 2 * 2 * 3];
        pixels[23] = (byte) 200;
        Dataset original = Dataset.ofBytes(new ImageShape(2, 2, 3), pixels, new int[] {0, 1},
                List.of("cat", "dog"), 255f);
        Path images = dir.resolve("i.idx");
        IdxWriter.write(original, images, dir.resolve("l.idx"), false);
        assertThat(Files.readAllBytes(images)[3]).isEqualTo((byte) 4);
        Dataset back = IdxReader.read(images, dir.resolve("l.idx"));
        assertThat(back.shape()).isEqualTo(new ImageShape(2, 2, 3));
        assertThat(back.pixel(1, 11)).isEqualTo(200f);
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path images = Files.writeString(dir.resolve("i.idx"), "old content");
        Dataset data = Dataset.ofBytes(ImageShape.grey(1, 1), new byte[] {9}, new int[] {0},
                Dataset.numericClassNames(1), 255f);
        IdxWriter.write(data, images, dir.resolve("l.idx"), false);
        assertThat(IdxReader.read(images, dir.resolve("l.idx")).pixel(0, 0)).isEqualTo(9f);
    }

    @Test
    void rejectsFloatPixelDatasets() {
        Dataset floats = Dataset.ofFloats(ImageShape.grey(1, 1), new float[] {0.5f}, new int[] {0},
                Dataset.numericClassNames(1), 1f);
        assertThatThrownBy(() -> IdxWriter.write(floats, dir.resolve("i"), dir.resolve("l"), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("float pixels");
        assertThat(dir.resolve("i")).doesNotExist();
    }

    @Test
    void rejectsMoreClassesThanAnUnsignedByteLabelHolds() {
        Dataset many = Dataset.ofBytes(ImageShape.grey(1, 1), new byte[1], new int[] {300},
                Dataset.numericClassNames(301), 255f);
        assertThatThrownBy(() -> IdxWriter.write(many, dir.resolve("i"), dir.resolve("l"), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("301 classes");
    }
}
