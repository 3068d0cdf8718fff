package org.digitlab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageConversionTest {
    @TempDir
    Path dir;

    private static int[] unsigned(byte[] pixels) {
        int[] out = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = pixels[i] & 0xFF;
        }
        return out;
    }

    @Test
    void rgbPngOfTheTargetSizeIsUnchangedBitForBit() {
        BufferedImage image = new BufferedImage(7, 5, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(3);
        int[] samples = new int[5 * 7 * 3];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = random.nextInt(256);
        }
        image.getRaster().setPixels(0, 0, 7, 5, samples);
        Path png = TestImages.write(image, "png", dir.resolve("noise.png"));

        assertThat(unsigned(ImageConversion.toPixels(png, new ImageShape(5, 7, 3)))).isEqualTo(samples);
    }

    @Test
    void greyUsesPilLumaAndRgbKeepsTheChannels() {
        BufferedImage image = new BufferedImage(5, 1, BufferedImage.TYPE_3BYTE_BGR);
        int[] colours = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF, 0x0A141E};
        for (int x = 0; x < colours.length; x++) {
            image.setRGB(x, 0, colours[x]);
        }
        Path png = TestImages.write(image, "png", dir.resolve("colours.png"));

        // (R·19595 + G·38470 + B·7471 + 32768) >> 16: 76.2, 149.7, 29.1, 255, 18.2 rounded
        assertThat(unsigned(ImageConversion.toPixels(png, ImageShape.grey(1, 5))))
                .containsExactly(76, 150, 29, 255, 18);
        assertThat(unsigned(ImageConversion.toPixels(png, new ImageShape(1, 5, 3)))).containsExactly(
                255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 10, 20, 30);
    }

    @Test
    void greyImageAsRgbHasItsValueInAllThreeChannels() {
        Path png = TestImages.write(TestImages.grey(new int[][] {{0, 77, 255}}), "png", dir.resolve("g.png"));

        assertThat(unsigned(ImageConversion.toPixels(png, new ImageShape(1, 3, 3))))
                .containsExactly(0, 0, 0, 77, 77, 77, 255, 255, 255);
    }

    @Test
    void alphaIsDroppedKeepingTheColourUnderIt() {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0x00102030); // fully transparent
        image.setRGB(1, 0, 0x80FF8000); // half transparent
        Path png = TestImages.write(image, "png", dir.resolve("rgba.png"));

        assertThat(unsigned(ImageConversion.toPixels(png, new ImageShape(1, 2, 3))))
                .containsExactly(0x10, 0x20, 0x30, 0xFF, 0x80, 0x00);
    }

    @Test
    void greyWithAlphaPngKeepsItsGreyValues() {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(3, 1);
        raster.setPixels(0, 0, 3, 1, new int[] {10, 0, 128, 255, 250, 7});
        Path png = TestImages.write(new BufferedImage(model, raster, false, null), "png", dir.resolve("ga.png"));

        assertThat(unsigned(ImageConversion.toPixels(png, ImageShape.grey(1, 3)))).containsExactly(10, 128, 250);
    }

    @Test
    void sixteenBitGreyIsScaledTo8BitsRounded() {
        BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setPixels(0, 0, 4, 1, new int[] {0, 32896, 65535, 1000});
        Path png = TestImages.write(image, "png", dir.resolve("deep.png"));

        // v · 255 / 65535: 0, 128, 255, 3.89 → 4
        assertThat(unsigned(ImageConversion.toPixels(png, ImageShape.grey(1, 4)))).containsExactly(0, 128, 255, 4);
    }

    @Test
    void palettePngAndGifGiveTheirColours() {
        byte[] reds = {(byte) 255, 0, 40};
        byte[] greens = {0, (byte) 200, 40};
        byte[] blues = {0, 0, 40};
        BufferedImage palette = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 3, reds, greens, blues));
        palette.getRaster().setPixels(0, 0, 3, 1, new int[] {2, 0, 1});
        int[] expected = {40, 40, 40, 255, 0, 0, 0, 200, 0};
        ImageShape shape = new ImageShape(1, 3, 3);

        // (Not BMP: Java's BMP writer stores this palette wrongly.)
        for (String format : new String[] {"png", "gif"}) {
            Path file = TestImages.write(palette, format, dir.resolve("palette." + format));
            assertThat(unsigned(ImageConversion.toPixels(file, shape))).as(format).containsExactly(expected);
        }
    }

    @Test
    void rgbBmpGivesItsColoursExactly() {
        BufferedImage image = TestImages.pattern(4, 6);
        Path bmp = TestImages.write(image, "bmp", dir.resolve("pattern.bmp"));

        assertThat(unsigned(ImageConversion.toPixels(bmp, new ImageShape(4, 6, 3))))
                .containsExactly(image.getRaster().getPixels(0, 0, 6, 4, (int[]) null));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void exifOrientationTurnsTheStoredPixelsUpright(int orientation) {
        byte[] jpeg = TestImages.jpeg(TestImages.pattern(16, 24), false);
        Path plain = TestImages.writeBytes(jpeg, dir.resolve("plain.jpg"));
        Path tagged = TestImages.writeBytes(TestImages.withExifOrientation(jpeg, orientation), dir.resolve("exif.jpg"));
        boolean swap = orientation >= 5;
        int height = swap ? 24 : 16;
        int width = swap ? 16 : 24;

        byte[] stored = ImageConversion.toPixels(plain, new ImageShape(16, 24, 3));
        byte[] upright = ImageConversion.toPixels(tagged, new ImageShape(height, width, 3));

        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                // Where displayed pixel (y, x) is stored, by the TIFF definition of each orientation.
                int[] source = switch (orientation) {
                    case 1 -> new int[] {y, x};
                    case 2 -> new int[] {y, 23 - x};
                    case 3 -> new int[] {15 - y, 23 - x};
                    case 4 -> new int[] {15 - y, x};
                    case 5 -> new int[] {x, y};
                    case 6 -> new int[] {15 - x, y};
                    case 7 -> new int[] {15 - x, 23 - y};
                    default -> new int[] {x, 23 - y};
                };
                for (int c = 0; c < 3; c++) {
                    assertThat(upright[(y * width + x) * 3 + c])
                            .as("orientation %d pixel (%d, %d) channel %d", orientation, y, x, c)
                            .isEqualTo(stored[(source[0] * 24 + source[1]) * 3 + c]);
                }
            }
        }
    }

    @Test
    void orientationSixShowsTheLeftEdgeOnTop() {
        // Stored: red top-left, green top-right, blue bottom-left, white bottom-right. Turned 90° clockwise,
        // blue comes to the top-left and red to the top-right.
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(TestImages.quadrants(32, 48), false), 6);
        Path file = TestImages.writeBytes(jpeg, dir.resolve("rotated.jpg"));

        int[] pixels = unsigned(ImageConversion.toPixels(file, new ImageShape(48, 32, 3)));

        assertThat(Arrays.copyOfRange(pixels, 0, 3)).satisfies(rgb -> assertClose(rgb, 0, 0, 255));
        assertThat(Arrays.copyOfRange(pixels, 31 * 3, 32 * 3)).satisfies(rgb -> assertClose(rgb, 255, 0, 0));
        int lastRow = 47 * 32 * 3;
        assertThat(Arrays.copyOfRange(pixels, lastRow, lastRow + 3)).satisfies(rgb -> assertClose(rgb, 255, 255, 255));
    }

    private static void assertClose(int[] rgb, int r, int g, int b) {
        assertThat(Math.abs(rgb[0] - r) + Math.abs(rgb[1] - g) + Math.abs(rgb[2] - b)).as(Arrays.toString(rgb))
                .isLessThan(30);
    }

    @Test
    void cmykJpegIsDecodedToRgb() {
        Path file = TestImages.writeBytes(TestImages.cmykJpeg(16, 16), dir.resolve("cmyk.jpg"));

        int[] pixels = unsigned(ImageConversion.toPixels(file, new ImageShape(16, 16, 3)));

        assertClose(Arrays.copyOfRange(pixels, 0, 3), 0, 255, 255);
        assertClose(Arrays.copyOfRange(pixels, 15 * 3, 16 * 3), 255, 255, 255);
    }

    @Test
    void jpegThatJavasOwnReaderRefusesIsDecodedByTwelveMonkeys() throws IOException {
        // An ICC profile chunk numbered 2 of 1, as some cameras write: Java's reader gives up on the whole file.
        byte[] chunk = new byte[4 + 12 + 2 + 64];
        chunk[0] = (byte) 0xFF;
        chunk[1] = (byte) 0xE2;
        chunk[3] = (byte) (chunk.length - 2);
        System.arraycopy("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII), 0, chunk, 4, 12);
        chunk[16] = 2;
        chunk[17] = 1;
        byte[] jpeg = TestImages.jpeg(TestImages.quadrants(16, 16), false);
        byte[] bad = new byte[jpeg.length + chunk.length];
        System.arraycopy(jpeg, 0, bad, 0, 2);
        System.arraycopy(chunk, 0, bad, 2, chunk.length);
        System.arraycopy(jpeg, 2, bad, 2 + chunk.length, jpeg.length - 2);
        Path file = TestImages.writeBytes(bad, dir.resolve("bad-icc.jpg"));
        ImageReader javas = javasOwnJpegReader();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            javas.setInput(in);
            assertThatThrownBy(() -> javas.read(0)).isInstanceOf(IOException.class).hasMessageContaining("icc");
        } finally {
            javas.dispose();
        }

        int[] pixels = unsigned(ImageConversion.toPixels(file, new ImageShape(16, 16, 3)));

        assertClose(Arrays.copyOfRange(pixels, 0, 3), 255, 0, 0);
        assertClose(Arrays.copyOfRange(pixels, 15 * 16 * 3, 15 * 16 * 3 + 3), 0, 0, 255);
    }

    private static ImageReader javasOwnJpegReader() {
        for (Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg"); readers.hasNext(); ) {
            ImageReader reader = readers.next();
            if (reader.getClass().getModule() == ImageIO.class.getModule()) {
                return reader;
            }
        }
        throw new AssertionError("Java has no JPEG reader of its own");
    }

    @Test
    void progressiveJpegDecodesLikeBaseline() {
        BufferedImage image = TestImages.quadrants(32, 32);
        byte[] progressive = TestImages.jpeg(image, true);
        // A progressive JPEG has an SOF2 frame marker (FF C2); without it this test would test nothing new.
        assertThat(indexOf(progressive, (byte) 0xFF, (byte) 0xC2)).isNotNegative();
        Path p = TestImages.writeBytes(progressive, dir.resolve("progressive.jpg"));
        Path b = TestImages.writeBytes(TestImages.jpeg(image, false), dir.resolve("baseline.jpg"));

        int[] fromProgressive = unsigned(ImageConversion.toPixels(p, new ImageShape(32, 32, 3)));
        int[] fromBaseline = unsigned(ImageConversion.toPixels(b, new ImageShape(32, 32, 3)));

        for (int i = 0; i < fromBaseline.length; i++) {
            assertThat(Math.abs(fromProgressive[i] - fromBaseline[i])).as("value %d", i).isLessThanOrEqualTo(8);
        }
    }

    private static int indexOf(byte[] bytes, byte first, byte second) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == first && bytes[i + 1] == second) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void resizingAFileCropsAndAveragesAsTheResamplerDoes() {
        int[][] values = {
            {9, 0, 10, 20, 30, 40, 9},
            {9, 50, 60, 70, 80, 90, 9},
            {9, 100, 110, 120, 130, 140, 9},
            {9, 150, 160, 170, 180, 190, 9}};
        Path png = TestImages.write(TestImages.grey(values), "png", dir.resolve("wide.png"));

        assertThat(unsigned(ImageConversion.toPixels(png, ImageShape.grey(2, 3))))
                .containsExactly(17, 40, 60, 67, 140, 160);
    }

    @Test
    void targetWithTwoChannelsIsRefused() {
        Path png = TestImages.write(TestImages.grey(2, 2, 0), "png", dir.resolve("x.png"));

        assertThatThrownBy(() -> ImageConversion.toPixels(png, new ImageShape(2, 2, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 (grey) or 3 (RGB) channels, got 2");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void jpegCutToAThirdIsAnErrorNamingTheFile(boolean progressive) {
        byte[] jpeg = TestImages.jpeg(TestImages.pattern(64, 64), progressive);
        Path cut = TestImages.writeBytes(Arrays.copyOf(jpeg, jpeg.length / 3), dir.resolve("cut.jpg"));

        assertThatThrownBy(() -> ImageConversion.toPixels(cut, new ImageShape(64, 64, 3)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith(cut.toString())
                .hasMessageContaining("cannot decode image (corrupt or truncated");
    }
}
