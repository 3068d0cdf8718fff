package org.digitlab.data.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.idx.IdxWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltinDatasetsTest {
    @TempDir
    Path temp;

    @Test
    void mnistSampleLoadsTenThousandDigitsWithKnownClassCounts() {
        LoadedData data = BuiltinDatasets.load("mnist-sample", null, null);
        assertThat(data.name()).isEqualTo("mnist-sample");
        assertThat(data.train().size()).isEqualTo(10_000);
        assertThat(data.train().shape()).isEqualTo(ImageShape.grey(28, 28));
        assertThat(data.train().classCounts())
                .containsExactly(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
        assertThat(data.test()).isNull();
        assertThat(data.files()).isEmpty();
    }

    @Test
    void fashionMnistLoadsTrainAndTestFromADirectoryWithClassNames() {
        Dataset train = tiny(10, 3);
        Dataset test = tiny(10, 1);
        IdxWriter.write(train, temp.resolve("train-images-idx3-ubyte.gz"), temp.resolve("train-labels-idx1-ubyte.gz"),
                true);
        // Unpacked files are accepted too: the reader detects gzip by content, not by name.
        IdxWriter.write(test, temp.resolve("t10k-images-idx3-ubyte"), temp.resolve("t10k-labels-idx1-ubyte"), false);

        LoadedData data = BuiltinDatasets.load("fashion-mnist", temp, null);

        assertThat(data.train().size()).isEqualTo(30);
        assertThat(data.test().size()).isEqualTo(10);
        assertThat(data.train().classNames()).containsExactlyElementsOf(BuiltinDatasets.FASHION_MNIST_CLASSES);
        assertThat(data.train().classNames().get(9)).isEqualTo("Ankle boot");
        assertThat(data.test().classNames()).containsExactlyElementsOf(BuiltinDatasets.FASHION_MNIST_CLASSES);
        assertThat(data.train().labels()).containsExactly(train.labels());
        assertThat(data.train().pixel(7, 3)).isEqualTo(train.pixel(7, 3));
        assertThat(data.files()).hasSize(4);
    }

    @Test
    void missingFashionMnistFilesSayWhereItLookedAndHowToInstall() {
        assertThatThrownBy(() -> BuiltinDatasets.load("fashion-mnist", temp, null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining(temp.toString())
                .hasMessageContaining("train-images-idx3-ubyte.gz")
                .hasMessageContaining("apt-get install dataset-fashion-mnist");
    }

    @Test
    void mnistFromAGivenDirectoryReadsItsFilesWithoutDownloading() {
        IdxWriter.write(tiny(10, 2), temp.resolve("train-images-idx3-ubyte.gz"),
                temp.resolve("train-labels-idx1-ubyte.gz"), true);
        IdxWriter.write(tiny(10, 1), temp.resolve("t10k-images-idx3-ubyte.gz"),
                temp.resolve("t10k-labels-idx1-ubyte.gz"), true);

        LoadedData data = BuiltinDatasets.load("mnist", temp, temp.resolve("unused-cache"));

        assertThat(data.train().size()).isEqualTo(20);
        assertThat(data.test().size()).isEqualTo(10);
        assertThat(temp.resolve("unused-cache")).doesNotExist();
    }

    @Test
    void unknownNameListsTheKnownNames() {
        assertThatThrownBy(() -> BuiltinDatasets.load("cifar10", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cifar10")
                .hasMessageContaining("mnist-sample, fashion-mnist, mnist");
    }

    /** {@code perClass} 2×3 images of each of {@code classes} classes, pixels varying with the index. */
    static Dataset tiny(int classes, int perClass) {
        int n = classes * perClass;
        ImageShape shape = ImageShape.grey(2, 3);
        byte[] pixels = new byte[n * shape.pixelsPerImage()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int p = 0; p < shape.pixelsPerImage(); p++) {
                pixels[i * shape.pixelsPerImage() + p] = (byte) (i * 7 + p * 31);
            }
        }
        return Dataset.ofBytes(shape, pixels, labels, Dataset.numericClassNames(classes), 255f);
    }
}
