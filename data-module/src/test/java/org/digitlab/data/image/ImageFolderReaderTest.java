package org.digitlab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
    private static final ImageFolderOptions ONE_THREAD = ImageFolderOptions.defaults().withThreads(1);

    @TempDir
    Path root;

    private static int[] image(Dataset data, int index) {
        int[] out = new int[data.shape().pixelsPerImage()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) data.pixel(index, i);
        }
        return out;
    }

    private static Path png(Path file, int value) {
        return TestImages.write(TestImages.grey(2, 2, value), "png", file);
    }

    @Test
    void classesAndFilesComeInNaturalOrderWithNestedFoldersRead() {
        Path dir = root.resolve("digits");
        png(dir.resolve("10/b.png"), 100);
        png(dir.resolve("2/img10.png"), 210);
        png(dir.resolve("2/img2.png"), 202);
        png(dir.resolve("2/sub/deeper/x.PNG"), 203);
        png(dir.resolve("1/only.png"), 1);

        ImageFolder folder = ImageFolderReader.read(dir, ONE_THREAD);
        Dataset data = folder.data();

        assertThat(data.classNames()).containsExactly("1", "2", "10");
        assertThat(data.labels()).containsExactly(0, 1, 1, 1, 2);
        assertThat(data.file(0)).isEqualTo(dir.resolve("1/only.png").toString());
        assertThat(List.of(data.file(1), data.file(2), data.file(3))).containsExactly(
                dir.resolve("2/img2.png").toString(), dir.resolve("2/img10.png").toString(),
                dir.resolve("2/sub/deeper/x.PNG").toString());
        assertThat(image(data, 2)).containsExactly(210, 210, 210, 210);
        assertThat(image(data, 3)).containsExactly(203, 203, 203, 203);
        assertThat(folder.size()).isEqualTo(new ImageSize(2, 2));
        assertThat(folder.color()).isEqualTo(ImageColor.GREY);
        assertThat(folder.shape()).isEqualTo(ImageShape.grey(2, 2));
        assertThat(data.pixelMax()).isEqualTo(255f);
        assertThat(folder.fromCache()).isFalse();
        assertThat(folder.skipped()).isEmpty();
        assertThat(folder.skippedSummary()).isEmpty();
    }

    @Test
    void filesKeepTheFolderAsTheUserSpeltIt() {
        png(root.resolve("spelt/a/1.png"), 5);
        // A relative spelling with ".." in it, as a user might type: it stays as typed, not made absolute or normal.
        Path relative = Path.of("").toAbsolutePath().relativize(root.resolve("spelt/a")).resolve("..");

        ImageFolder folder = ImageFolderReader.read(relative, ONE_THREAD);

        assertThat(relative.isAbsolute()).isFalse();
        assertThat(folder.data().file(0)).isEqualTo(relative + "/a/1.png");
    }

    @Test
    void hiddenEntriesAreIgnoredAndOtherFilesAreCountedAsSkipped() throws IOException {
        Path dir = root.resolve("pets");
        png(dir.resolve("cat/1.png"), 1);
        png(dir.resolve("cat/.hidden.png"), 2);
        png(dir.resolve("cat/.thumbs/3.png"), 3);
        png(dir.resolve(".git/4.png"), 4);
        png(dir.resolve("dog/1.png"), 5);
        Files.writeString(dir.resolve("cat/notes.txt"), "not a picture");
        Files.writeString(dir.resolve("dog/scan.pdf"), "%PDF");
        png(dir.resolve("stray.png"), 6);
        Files.writeString(dir.resolve("README.md"), "# pets");

        ImageFolder folder = ImageFolderReader.read(dir, ONE_THREAD);

        assertThat(folder.data().classNames()).containsExactly("cat", "dog");
        assertThat(folder.data().size()).isEqualTo(2);
        assertThat(folder.skipped(SkippedFile.Reason.NOT_AN_IMAGE)).extracting(SkippedFile::file)
                .containsExactly(dir.resolve("cat/notes.txt").toString(), dir.resolve("dog/scan.pdf").toString());
        assertThat(folder.skipped(SkippedFile.Reason.OUTSIDE_CLASS_FOLDER)).extracting(SkippedFile::file)
                .containsExactly(dir.resolve("README.md").toString(), dir.resolve("stray.png").toString());
        assertThat(folder.skippedSummary()).isEqualTo("skipped 4 files: 2 not images (" + dir.resolve("cat/notes.txt")
                + ", " + dir.resolve("dog/scan.pdf") + "), 2 outside class folders (" + dir.resolve("README.md")
                + ", " + dir.resolve("stray.png") + ")");
    }

    @Test
    void classFolderWithoutImagesIsAnErrorNamingIt() throws IOException {
        Path dir = root.resolve("d");
        png(dir.resolve("a/1.png"), 1);
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("empty/readme.txt"), "nothing here");

        assertThatThrownBy(() -> ImageFolderReader.read(dir, ONE_THREAD))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith(dir.resolve("empty").toString())
                .hasMessageContaining("class folder holds no images")
                .hasMessageContaining("found 1 other files");
    }

    @Test
    void folderWithoutClassFoldersOrMissingIsAnError() {
        Path dir = root.resolve("flat");
        png(dir.resolve("1.png"), 1);

        assertThatThrownBy(() -> ImageFolderReader.read(dir, ONE_THREAD))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("no class folders; expected one subfolder per class");
        assertThatThrownBy(() -> ImageFolderReader.read(root.resolve("nope"), ONE_THREAD))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("nope: folder not found");
        assertThatThrownBy(() -> ImageFolderReader.read(dir.resolve("1.png"), ONE_THREAD))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("not a folder");
    }

    @Test
    void colourIsGreyWhenEveryImageIsGreyEvenIfStoredAsRgb() {
        Path dir = root.resolve("g");
        png(dir.resolve("a/grey.png"), 40);
        TestImages.write(TestImages.rgb(2, 2, 0x505050), "png", dir.resolve("b/rgb-but-grey.png"));
        TestImages.write(TestImages.rgb(2, 2, 0x606060), "jpg", dir.resolve("b/grey.jpg"));

        ImageFolder folder = ImageFolderReader.read(dir, ONE_THREAD);

        assertThat(folder.color()).isEqualTo(ImageColor.GREY);
        assertThat(folder.shape().channels()).isEqualTo(1);
        assertThat(image(folder.data(), 1)).containsExactly(0x60, 0x60, 0x60, 0x60); // b/grey.jpg
        assertThat(image(folder.data(), 2)).containsExactly(0x50, 0x50, 0x50, 0x50); // b/rgb-but-grey.png
    }

    @Test
    void oneColourImageMakesTheFolderRgbWithGreyImagesInAllThreeChannels() {
        Path dir = root.resolve("c");
        png(dir.resolve("a/grey.png"), 40);
        TestImages.write(TestImages.rgb(2, 2, 0x102030), "png", dir.resolve("b/colour.png"));

        ImageFolder folder = ImageFolderReader.read(dir, ONE_THREAD);

        assertThat(folder.color()).isEqualTo(ImageColor.RGB);
        assertThat(image(folder.data(), 0)).containsExactly(40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40);
        assertThat(Arrays.copyOf(image(folder.data(), 1), 3)).containsExactly(0x10, 0x20, 0x30);
        // Asked for grey, the colour image becomes its luma: (16·19595 + 32·38470 + 48·7471 + 32768) >> 16 = 29
        ImageFolder grey = ImageFolderReader.read(dir, ONE_THREAD.withColor(ImageColor.GREY));
        assertThat(image(grey.data(), 1)).containsExactly(29, 29, 29, 29);
    }

    @Test
    void differentSizesWithoutASizeAreAnErrorNamingTwoFiles() {
        Path dir = root.resolve("mixed");
        png(dir.resolve("a/small.png"), 1);
        TestImages.write(TestImages.grey(3, 5, 9), "png", dir.resolve("b/wide.png"));

        assertThatThrownBy(() -> ImageFolderReader.read(dir, ONE_THREAD))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("images differ in size: " + dir.resolve("a/small.png") + " is 2x2, "
                        + dir.resolve("b/wide.png") + " is 3x5")
                .hasMessageContaining("--image-size HxW");
    }

    @Test
    void givenSizeResizesEveryImage() {
        Path dir = root.resolve("mixed");
        png(dir.resolve("a/small.png"), 100);
        TestImages.write(TestImages.grey(new int[][] {{0, 10, 20, 30}, {40, 50, 60, 70}}), "png",
                dir.resolve("b/wide.png"));

        ImageFolder folder = ImageFolderReader.read(dir, ONE_THREAD.withSize(new ImageSize(1, 1)));

        assertThat(folder.shape()).isEqualTo(ImageShape.grey(1, 1));
        assertThat(image(folder.data(), 0)).containsExactly(100);
        // 2×4 → 1×1: centre crop to columns 1–2, then the mean of 10, 20, 50, 60
        assertThat(image(folder.data(), 1)).containsExactly(35);
    }

    /** A folder with a good image, a JPEG cut to a third ("a/2-cut.jpg") and a corrupt file ("b/corrupt.png"). */
    private Path badFolder() {
        Path dir = root.resolve("bad");
        png(dir.resolve("a/1.png"), 1);
        byte[] jpeg = TestImages.jpeg(TestImages.pattern(64, 64), false);
        TestImages.writeBytes(Arrays.copyOf(jpeg, jpeg.length / 3), dir.resolve("a/2-cut.jpg"));
        TestImages.writeBytes("garbage, not a PNG".getBytes(), dir.resolve("b/corrupt.png"));
        return dir;
    }

    @Test
    void corruptAndTruncatedImagesAreErrorsNamingTheFirstBadFile() {
        Path dir = badFolder();

        for (int threads : new int[] {1, 4}) {
            assertThatThrownBy(() -> ImageFolderReader.read(dir, ImageFolderOptions.defaults()
                    .withSize(new ImageSize(2, 2)).withThreads(threads)))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageStartingWith(dir.resolve("a/2-cut.jpg").toString())
                    .hasMessageContaining("corrupt or truncated");
        }
    }

    @Test
    void skippingBadImagesListsThemWithTheReason() {
        Path dir = badFolder();
        png(dir.resolve("b/fine.png"), 7);

        ImageFolder folder = ImageFolderReader.read(dir, ONE_THREAD.withSkipBad(true).withSize(new ImageSize(2, 2)));

        assertThat(folder.data().size()).isEqualTo(2);
        assertThat(folder.data().labels()).containsExactly(0, 1);
        assertThat(image(folder.data(), 1)).containsExactly(7, 7, 7, 7);
        List<SkippedFile> bad = folder.skipped(SkippedFile.Reason.BAD_IMAGE);
        assertThat(bad).extracting(SkippedFile::file).containsExactly(dir.resolve("a/2-cut.jpg").toString(),
                dir.resolve("b/corrupt.png").toString());
        assertThat(bad.get(0).detail()).contains("corrupt or truncated");
        assertThat(bad.get(1).detail()).contains("not a supported image format");
        assertThat(folder.skippedSummary()).startsWith("skipped 2 files: 2 bad images (");
    }

    @Test
    void classWhoseImagesAreAllBadIsAnErrorEvenWhenSkipping() {
        Path dir = root.resolve("bad");
        png(dir.resolve("a/1.png"), 1);
        TestImages.writeBytes("garbage".getBytes(), dir.resolve("b/corrupt.png"));

        assertThatThrownBy(() -> ImageFolderReader.read(dir, ONE_THREAD.withSkipBad(true)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith(dir.resolve("b").toString())
                .hasMessageContaining("no readable image");
    }

    @Test
    void resultIsTheSameWithOneAndFourThreads() {
        Path dir = root.resolve("many");
        for (int i = 0; i < 40; i++) {
            String name = "c" + (i % 3) + "/img" + i;
            if (i % 2 == 0) {
                TestImages.write(TestImages.pattern(9 + i % 5, 11), "png", dir.resolve(name + ".png"));
            } else {
                TestImages.writeBytes(TestImages.jpeg(TestImages.pattern(12, 7 + i % 4), i % 4 == 1),
                        dir.resolve(name + ".jpg"));
            }
        }
        ImageFolderOptions options = ImageFolderOptions.defaults().withSize(new ImageSize(6, 5));

        Dataset one = ImageFolderReader.read(dir, options.withThreads(1)).data();
        Dataset four = ImageFolderReader.read(dir, options.withThreads(4)).data();

        assertThat(four.pixelsAsFloats()).isEqualTo(one.pixelsAsFloats());
        assertThat(four.labels()).isEqualTo(one.labels());
        assertThat(four.classNames()).isEqualTo(one.classNames());
        for (int i = 0; i < one.size(); i++) {
            assertThat(four.file(i)).isEqualTo(one.file(i));
        }
        assertThat(one.shape()).isEqualTo(new ImageShape(6, 5, 3));
    }

    @Test
    void singleImageConversionMatchesTheFolderReader() {
        Path dir = root.resolve("photos");
        TestImages.writeBytes(TestImages.withExifOrientation(TestImages.jpeg(TestImages.quadrants(24, 40), false), 6),
                dir.resolve("a/rotated.jpg"));
        TestImages.writeBytes(TestImages.jpeg(TestImages.pattern(30, 30), true), dir.resolve("a/progressive.jpg"));
        png(dir.resolve("b/grey.png"), 90);
        TestImages.write(TestImages.pattern(5, 17), "bmp", dir.resolve("b/wide.bmp"));

        ImageFolder folder = ImageFolderReader.read(dir, ONE_THREAD.withSize(new ImageSize(8, 6)));

        assertThat(folder.shape()).isEqualTo(new ImageShape(8, 6, 3));
        for (int i = 0; i < folder.data().size(); i++) {
            byte[] single = ImageConversion.toPixels(Path.of(folder.data().file(i)), folder.shape());
            int[] expected = new int[single.length];
            for (int p = 0; p < single.length; p++) {
                expected[p] = single[p] & 0xFF;
            }
            assertThat(image(folder.data(), i)).as(folder.data().file(i)).isEqualTo(expected);
        }
    }

    @Test
    void testFolderIsReadAtTheTrainingSizeAndColourAndLabelledByClassName() {
        Path train = root.resolve("train");
        TestImages.write(TestImages.rgb(4, 4, 0x112233), "png", train.resolve("ant/1.png"));
        TestImages.write(TestImages.grey(4, 4, 3), "png", train.resolve("bee/1.png"));
        TestImages.write(TestImages.grey(4, 4, 5), "png", train.resolve("cow/1.png"));
        Path test = root.resolve("test");
        TestImages.write(TestImages.grey(8, 8, 200), "png", test.resolve("cow/big.png"));
        ImageFolder trained = ImageFolderReader.read(train, ONE_THREAD);

        ImageFolder tested = ImageFolderReader.readTest(test, trained, ONE_THREAD);

        assertThat(tested.shape()).isEqualTo(new ImageShape(4, 4, 3));
        assertThat(tested.data().classNames()).containsExactly("ant", "bee", "cow");
        assertThat(tested.data().labels()).containsExactly(2);
        assertThat(image(tested.data(), 0)).containsOnly(200);
        assertThat(tested.data().file(0)).isEqualTo(test.resolve("cow/big.png").toString());
    }

    @Test
    void testFolderWithAClassUnknownToTrainingIsAnErrorNamingIt() {
        Path train = root.resolve("train");
        png(train.resolve("ant/1.png"), 1);
        Path test = root.resolve("test");
        png(test.resolve("ant/1.png"), 1);
        png(test.resolve("zebra/1.png"), 1);
        ImageFolder trained = ImageFolderReader.read(train, ONE_THREAD);

        assertThatThrownBy(() -> ImageFolderReader.readTest(test, trained, ONE_THREAD))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("test image folder " + test)
                .hasMessageContaining("unknown to the training data (zebra)");
    }

    @Test
    void optionsParseTheirFlagValues() {
        assertThat(ImageSize.parse("28x28")).isEqualTo(new ImageSize(28, 28));
        assertThat(ImageSize.parse("64X48")).isEqualTo(new ImageSize(64, 48));
        assertThat(ImageSize.parse("32×16").toString()).isEqualTo("32x16");
        assertThatThrownBy(() -> ImageSize.parse("28")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HxW").hasMessageContaining("'28'");
        assertThatThrownBy(() -> ImageSize.parse("0x5")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1x1 and 8192x8192, got 0x5");
        assertThat(ImageColor.parse("Grey")).isEqualTo(ImageColor.GREY);
        assertThat(ImageColor.parse("gray")).isEqualTo(ImageColor.GREY);
        assertThat(ImageColor.parse("rgb")).isEqualTo(ImageColor.RGB);
        assertThatThrownBy(() -> ImageColor.parse("cmyk")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("grey or rgb, got 'cmyk'");
        assertThatThrownBy(() -> ImageFolderOptions.defaults().withThreads(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
