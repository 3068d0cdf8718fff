package org.digitlab.data.image;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;

/** Reads image files (PNG, JPEG, BMP, GIF — whatever {@link ImageIO} decodes) and writes dataset images as PNG. */
public final class ImageFiles {
    /** 8192×8192: larger is not a digit photo, and decoding it would allocate gigabytes. */
    static final long MAX_PIXELS = 1L << 26;

    private ImageFiles() {
    }

    /**
     * Decodes {@code file}. A missing, unreadable, corrupt or unsupported file, or one whose header claims more
     * than {@value #MAX_PIXELS} pixels, ends in an {@link InvalidDataException} naming the file.
     */
    public static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InvalidDataException.of(file, Files.exists(file) ? "not a regular file" : "file not found");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw InvalidDataException.of(file, "cannot open file for reading");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw InvalidDataException.of(file, "not a supported image format; expected PNG, JPEG, BMP or GIF");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw InvalidDataException.of(file, "image of " + reader.getWidth(0) + "×" + reader.getHeight(0)
                            + " pixels is too large; expected at most " + MAX_PIXELS + " pixels");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidDataException invalid) {
                throw invalid;
            }
            // Decoders throw assorted runtime exceptions on malformed data; the user needs only the file and why.
            String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw InvalidDataException.of(file, "cannot decode image (corrupt or truncated?): " + reason, e);
        }
    }

    /** Writes image {@code index} of {@code dataset} as a grey (or RGB) PNG. */
    public static void writePng(Dataset dataset, int index, Path file) {
        float[] pixels = new float[dataset.shape().pixelsPerImage()];
        dataset.copyImage(index, pixels, 0);
        writePng(pixels, dataset.shape(), dataset.pixelMax(), file);
    }

    /** Writes unsigned byte pixels (0..255, channels last) as a grey (1 channel) or RGB (3 channels) PNG. */
    public static void writePng(byte[] pixels, ImageShape shape, Path file) {
        float[] values = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            values[i] = pixels[i] & 0xFF;
        }
        writePng(values, shape, 255f, file);
    }

    /**
     * Writes pixels in 0..{@code pixelMax} (channels last) as an 8-bit grey (1 channel) or RGB (3 channels) PNG,
     * atomically: a temporary file in the same directory, then a rename.
     */
    public static void writePng(float[] pixels, ImageShape shape, float pixelMax, Path file) {
        if (pixels.length != shape.pixelsPerImage()) {
            throw new IllegalArgumentException("expected " + shape.pixelsPerImage() + " pixels for " + shape
                    + ", got " + pixels.length);
        }
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException("PNG needs 1 or 3 channels, got " + shape);
        }
        if (!(pixelMax > 0)) {
            throw new IllegalArgumentException("pixelMax must be positive, got " + pixelMax);
        }
        BufferedImage image = new BufferedImage(shape.width(), shape.height(),
                shape.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = image.getRaster();
        int[] samples = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            samples[i] = Math.round(Math.max(0f, Math.min(1f, pixels[i] / pixelMax)) * 255f);
        }
        // Raster samples are in band order R, G, B whatever the storage order, so channels-last copies over.
        raster.setPixels(0, 0, shape.width(), shape.height(), samples);
        Path target = file.toAbsolutePath();
        try {
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                if (!ImageIO.write(image, "png", temp.toFile())) {
                    throw new IOException("no PNG writer available");
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
