package org.digitlab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.idx.IdxReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePreprocessorTest {
    private static final String BUILTIN = "/org/digitlab/data/builtin/mnist-sample-";
    private static final ImagePreprocessor MNIST = ImagePreprocessor.of(ImageShape.grey(28, 28), Polarity.LIGHT_ON_DARK, 255f);

    private static Dataset mnist;

    @TempDir
    Path dir;

    @BeforeAll
    static void readSample() throws IOException {
        try (InputStream images = ImagePreprocessorTest.class.getResourceAsStream(BUILTIN + "images-idx3-ubyte.gz");
             InputStream labels = ImagePreprocessorTest.class.getResourceAsStream(BUILTIN + "labels-idx1-ubyte.gz")) {
            mnist = IdxReader.read("images", images, "labels", labels);
        }
    }

    @Test
    void mnistImagesWrittenAsPngPrepareToTheirExactDatasetPixels() {
        for (int i = 0; i < 10; i++) {
            Path png = dir.resolve("digit" + i + ".png");
            ImageFiles.writePng(mnist, i, png);

            PreparedImage prepared = MNIST.prepare(png);

            assertThat(prepared.pixels()).containsExactly(original(i));
            assertThat(prepared.inverted()).isFalse();
            assertThat(prepared.source()).isEqualTo(png.toString());
        }
    }

    @Test
    void detectsMnistAsLightOnDark() {
        assertThat(Polarity.detect(mnist)).isEqualTo(Polarity.LIGHT_ON_DARK);
        assertThat(ImagePreprocessor.matching(mnist).polarity()).isEqualTo(Polarity.LIGHT_ON_DARK);
    }

    @Test
    void darkOnLightJpegOnLargeCanvasIsInvertedCroppedAndCentred() {
        for (int i = 0; i < 10; i++) {
            float[] original = original(i);
            Path jpeg = dir.resolve("drawn" + i + ".jpg");
            draw(original, 5, 40, 4, Color.WHITE, Color.BLACK, "jpg", jpeg);

            PreparedImage prepared = MNIST.prepare(jpeg);

            assertThat(prepared.inverted()).isTrue();
            assertThat(prepared.note()).contains("dark-on-light image inverted to match light-on-dark training data");
            assertThat(correlation(prepared.pixels(), original)).as("digit %d", i).isGreaterThan(0.98);
            assertCentredByMass(prepared.pixels());
        }
    }

    @Test
    void blueInkOnCreamPaperInACornerComesOutLikeTheDataset() {
        for (int i = 10; i < 15; i++) {
            float[] original = original(i);
            Path png = dir.resolve("blue" + i + ".png");
            draw(original, 3, 110, 60, new Color(250, 240, 200), new Color(20, 30, 140), "png", png);

            PreparedImage prepared = MNIST.prepare(png);

            assertThat(prepared.inverted()).isTrue();
            assertThat(correlation(prepared.pixels(), original)).as("digit %d", i).isGreaterThan(0.9);
            assertCentredByMass(prepared.pixels());
        }
    }

    /** Draws a 28×28 light-on-dark digit as {@code ink} on {@code paper}, enlarged, on a 200×150 RGB canvas. */
    private static void draw(float[] digit, int zoom, int left, int top, Color paper, Color ink, String format,
                             Path file) {
        BufferedImage canvas = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 150; y++) {
            for (int x = 0; x < 200; x++) {
                int dy = (y - top) / zoom;
                int dx = (x - left) / zoom;
                boolean inside = y >= top && x >= left && dy < 28 && dx < 28;
                float a = inside ? digit[dy * 28 + dx] / 255f : 0f;
                canvas.setRGB(x, y, new Color(mix(paper.getRed(), ink.getRed(), a),
                        mix(paper.getGreen(), ink.getGreen(), a), mix(paper.getBlue(), ink.getBlue(), a)).getRGB());
            }
        }
        try {
            assertThat(ImageIO.write(canvas, format, file.toFile())).isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int mix(int from, int to, float amount) {
        return Math.round(from + (to - from) * amount);
    }

    @Test
    void transparentPngWithDarkStrokeIsTreatedAsDarkOnLight() throws IOException {
        Path png = dir.resolve("stroke.png");
        ImageIO.write(strokeOnTransparent(Color.BLACK), "png", png.toFile());

        PreparedImage prepared = MNIST.prepare(png);

        assertThat(prepared.inverted()).isTrue();
        assertVerticalBarCentred(prepared.pixels());
    }

    @Test
    void transparentPngWithLightStrokeNeedsNoInversion() throws IOException {
        Path png = dir.resolve("white-stroke.png");
        ImageIO.write(strokeOnTransparent(Color.WHITE), "png", png.toFile());

        PreparedImage prepared = MNIST.prepare(png);

        assertThat(prepared.inverted()).isFalse();
        assertVerticalBarCentred(prepared.pixels());
    }

    @Test
    void darkOnLightTrainingDataGetsDarkInkOnWhite() throws IOException {
        ImagePreprocessor paperLike = ImagePreprocessor.of(ImageShape.grey(28, 28), Polarity.DARK_ON_LIGHT, 1f);
        Path png = dir.resolve("stroke.png");
        ImageIO.write(strokeOnTransparent(Color.BLACK), "png", png.toFile());

        PreparedImage prepared = paperLike.prepare(png);

        float[] pixels = prepared.pixels();
        assertThat(prepared.inverted()).isFalse();
        assertThat(pixels[0]).isEqualTo(1f);
        assertThat(pixels[14 * 28 + 14]).isLessThan(0.2f);
    }

    @Test
    void targetSizeImageOfOtherPolarityIsOnlyInverted() {
        float[] original = original(3);
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < 784; p++) {
            image.getRaster().setSample(p % 28, p / 28, 0, 255 - (int) original[p]);
        }

        PreparedImage prepared = MNIST.prepare(image, "inverted-three");

        assertThat(prepared.inverted()).isTrue();
        assertThat(prepared.pixels()).containsExactly(original);
    }

    @Test
    void threeChannelTargetRepeatsGrey() {
        ImagePreprocessor rgb = ImagePreprocessor.of(new ImageShape(28, 28, 3), Polarity.LIGHT_ON_DARK, 255f);
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(10, 12, 0, 200);

        float[] pixels = rgb.prepare(image, "dot").pixels();

        assertThat(pixels).hasSize(28 * 28 * 3);
        int at = (12 * 28 + 10) * 3;
        assertThat(new float[] {pixels[at], pixels[at + 1], pixels[at + 2]}).containsExactly(200f, 200f, 200f);
    }

    @Test
    void blankImageFailsWithNoInkFound() throws IOException {
        BufferedImage white = new BufferedImage(120, 90, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = white.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 120, 90);
        g.dispose();
        Path png = dir.resolve("blank.png");
        ImageIO.write(white, "png", png.toFile());

        assertThatThrownBy(() -> MNIST.prepare(png))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("blank.png")
                .hasMessageContaining("no ink found");
    }

    @Test
    void fullyTransparentImageFailsWithNoInkFound() {
        BufferedImage clear = new BufferedImage(50, 50, BufferedImage.TYPE_INT_ARGB);

        assertThatThrownBy(() -> MNIST.prepare(clear, "clear.png"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("clear.png: no ink found");
    }

    @Test
    void rejectsNonPositivePixelMax() {
        assertThatThrownBy(() -> ImagePreprocessor.of(ImageShape.grey(28, 28), Polarity.LIGHT_ON_DARK, 0f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pixelMax");
    }

    private static float[] original(int index) {
        float[] pixels = new float[784];
        mnist.copyImage(index, pixels, 0);
        return pixels;
    }

    /** A thick vertical stroke, like a "1", on a transparent 300×200 canvas. */
    private static BufferedImage strokeOnTransparent(Color colour) {
        BufferedImage image = new BufferedImage(300, 200, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(colour);
        g.setStroke(new BasicStroke(14, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(60, 30, 60, 170);
        g.dispose();
        return image;
    }

    /** Ink fills a 20-pixel-tall box, the centre is bright, the corners dark, the mass centred. */
    private static void assertVerticalBarCentred(float[] pixels) {
        int rows = 0;
        for (int y = 0; y < 28; y++) {
            float rowMax = 0;
            for (int x = 0; x < 28; x++) {
                rowMax = Math.max(rowMax, pixels[y * 28 + x]);
            }
            rows += rowMax > 0 ? 1 : 0;
        }
        assertThat(rows).isEqualTo(20);
        assertThat(pixels[14 * 28 + 14]).isGreaterThan(200f);
        assertThat(pixels[0]).isZero();
        assertThat(pixels[27 * 28 + 27]).isZero();
        assertCentredByMass(pixels);
    }

    private static void assertCentredByMass(float[] pixels) {
        double mass = 0;
        double sumY = 0;
        double sumX = 0;
        for (int p = 0; p < pixels.length; p++) {
            mass += pixels[p];
            sumY += pixels[p] * (p / 28);
            sumX += pixels[p] * (p % 28);
        }
        assertThat(sumY / mass).isCloseTo(14.0, offset(1.0));
        assertThat(sumX / mass).isCloseTo(14.0, offset(1.0));
    }

    private static double correlation(float[] a, float[] b) {
        double meanA = 0;
        double meanB = 0;
        for (int i = 0; i < a.length; i++) {
            meanA += a[i];
            meanB += b[i];
        }
        meanA /= a.length;
        meanB /= b.length;
        double cov = 0;
        double varA = 0;
        double varB = 0;
        for (int i = 0; i < a.length; i++) {
            cov += (a[i] - meanA) * (b[i] - meanB);
            varA += (a[i] - meanA) * (a[i] - meanA);
            varB += (b[i] - meanB) * (b[i] - meanB);
        }
        return cov / Math.sqrt(varA * varB);
    }
}
