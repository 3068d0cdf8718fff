package org.digitlab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir
    Path dir;

    @Test
    void greyPngRoundTripsBytesExactly() {
        byte[] pixels = new byte[6 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 11);
        }
        Path png = dir.resolve("grey.png");

        ImageFiles.writePng(pixels, ImageShape.grey(6, 4), png);
        BufferedImage read = ImageFiles.read(png);

        assertThat(read.getWidth()).isEqualTo(4);
        assertThat(read.getHeight()).isEqualTo(6);
        int[] samples = read.getRaster().getPixels(0, 0, 4, 6, (int[]) null);
        for (int i = 0; i < pixels.length; i++) {
            assertThat(samples[i]).isEqualTo(pixels[i] & 0xFF);
        }
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(png);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void rgbPngKeepsChannelsInOrder() {
        float[] pixels = {1f, 0.5f, 0f};
        Path png = dir.resolve("rgb.png");

        ImageFiles.writePng(pixels, new ImageShape(1, 1, 3), 1f, png);

        assertThat(ImageFiles.read(png).getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF8000);
    }

    @Test
    void writeRejectsPixelCountNotMatchingShape() {
        assertThatThrownBy(() -> ImageFiles.writePng(new float[5], ImageShape.grey(2, 2), 255f, dir.resolve("x.png")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 4 pixels");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.png");

        assertThatThrownBy(() -> ImageFiles.read(missing))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("nope.png")
                .hasMessageContaining("file not found");
    }

    @Test
    void textFileIsNotASupportedImage() throws IOException {
        Path text = Files.writeString(dir.resolve("digit.png"), "this is not a picture\n");

        assertThatThrownBy(() -> ImageFiles.read(text))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("digit.png")
                .hasMessageContaining("not a supported image format");
    }

    @Test
    void truncatedPngFailsNamingTheFile() throws IOException {
        Path png = dir.resolve("whole.png");
        byte[] pixels = new byte[64 * 64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7919 >>> 3);
        }
        ImageFiles.writePng(pixels, ImageShape.grey(64, 64), png);
        byte[] bytes = Files.readAllBytes(png);
        Path truncated = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> ImageFiles.read(truncated))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("truncated.png")
                .hasMessageContaining("cannot decode image");
    }

    @Test
    void pngHeaderClaimingHugeImageFailsBeforeDecoding() throws IOException {
        Path png = Files.write(dir.resolve("huge.png"), pngHeader(100_000, 100_000));

        assertThatThrownBy(() -> ImageFiles.read(png))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("huge.png")
                .hasMessageContaining("100000×100000 pixels is too large");
    }

    @Test
    void emptyFileIsNamedAsEmpty() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.jpg"));

        assertThatThrownBy(() -> ImageFiles.read(empty))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("empty.jpg: empty file");
    }

    @Test
    void listImagesFindsImagesRecursivelyInNaturalOrderSkippingHiddenAndOtherFiles() throws IOException {
        Path folder = dir.resolve("new photos");
        byte[] pixel = {0};
        for (String name : new String[] {"10.png", "2.JPG", "b/1.gif", "a/9.bmp", "a/.hidden.png", ".cache/x.png",
            "notes.txt", "a/deeper/3.jpeg"}) {
            Path file = folder.resolve(name);
            Files.createDirectories(file.getParent());
            ImageFiles.writePng(pixel, ImageShape.grey(1, 1), file);
        }

        assertThat(ImageFiles.listImages(folder)).containsExactly(folder.resolve("2.JPG"), folder.resolve("10.png"),
                folder.resolve("a/9.bmp"), folder.resolve("a/deeper/3.jpeg"), folder.resolve("b/1.gif"));
        assertThat(ImageFiles.isImageFile(Path.of("x.Jpeg"))).isTrue();
        assertThat(ImageFiles.isImageFile(Path.of("x.tiff"))).isFalse();
        assertThatThrownBy(() -> ImageFiles.listImages(folder.resolve("10.png")))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("not a folder");
    }

    @Test
    void directoryIsNotAnImage() {
        assertThatThrownBy(() -> ImageFiles.read(dir))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("is a directory; expected an image file");
    }

    /** PNG signature and an IHDR chunk (8-bit grey) with a valid CRC, no image data. */
    private static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
        out.writeBytes(ihdr.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return out.toByteArray();
    }
}
