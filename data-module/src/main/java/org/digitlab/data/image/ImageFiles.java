package org.digitlab.data.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.UserFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads image files (PNG, JPEG, BMP, GIF) and writes dataset images as PNG. JPEGs are turned upright by their
 * EXIF orientation; those Java's own reader refuses are decoded by TwelveMonkeys ImageIO.
 */
public final class ImageFiles {
    /** 8192×8192: larger is not a photo to classify, and decoding it would allocate gigabytes. */
    static final long MAX_PIXELS = 1L << 26;
    /** The largest file read: an uncompressed 16-bit RGBA image of {@link #MAX_PIXELS} pixels. */
    static final long MAX_FILE_BYTES = MAX_PIXELS * 8;
    /** File name extensions of the images read from folders, lower case. */
    public static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");
    private static final Logger LOG = LoggerFactory.getLogger(ImageFiles.class);

    private ImageFiles() {
    }

    /**
     * Decodes {@code file} (the first frame of a GIF), turned upright by its EXIF orientation. A missing,
     * unreadable, corrupt, truncated or unsupported file, or one whose header claims more than
     * {@value #MAX_PIXELS} pixels, ends in an {@link InvalidDataException} naming the file.
     */
    public static BufferedImage read(Path file) {
        return read(file, (height, width) -> true);
    }

    /**
     * Like {@link #read(Path)}, but first shows {@code wanted} the height and width (as seen upright) from the
     * file's header, and returns null without decoding the pixels when it answers false.
     */
    static BufferedImage read(Path file, BiPredicate<Integer, Integer> wanted) {
        byte[] bytes = readBytes(file);
        List<ImageReaderSpi> decoders = decodersFor(bytes);
        if (decoders.isEmpty()) {
            throw InvalidDataException.of(file, "not a supported image format; expected PNG, JPEG, BMP or GIF");
        }
        InvalidDataException firstFailure = null;
        for (ImageReaderSpi decoder : decoders) {
            try {
                return decode(decoder, bytes, file, wanted);
            } catch (InvalidDataException e) {
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        throw firstFailure;
    }

    /**
     * The readers that claim {@code bytes}, Java's own first: for JPEG that is libjpeg, about twice as fast as
     * TwelveMonkeys on small images, which then decodes what Java's refuses (broken ICC profile chunks, lossless
     * JPEG, odd markers).
     */
    private static List<ImageReaderSpi> decodersFor(byte[] bytes) {
        List<ImageReaderSpi> decoders = new ArrayList<>();
        Iterator<ImageReaderSpi> all = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class,
                true);
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            while (all.hasNext()) {
                ImageReaderSpi spi = all.next();
                try {
                    if (spi.canDecodeInput(in)) {
                        decoders.add(spi);
                    }
                } catch (IOException e) {
                    // Too short for this format's signature: not this format.
                    LOG.trace("{} cannot decode input: {}", spi.getDescription(Locale.ROOT), e.toString());
                }
                in.seek(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("seeking in memory cannot fail", e);
        }
        decoders.sort(Comparator.comparing(spi -> spi.getClass().getModule() != ImageIO.class.getModule()));
        return decoders;
    }

    private static BufferedImage decode(ImageReaderSpi decoder, byte[] bytes, Path file,
                                        BiPredicate<Integer, Integer> wanted) {
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            ImageReader reader = decoder.createReaderInstance();
            List<String> damage = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> {
                if (isDamage(warning)) {
                    damage.add(warning);
                } else {
                    LOG.debug("{}: {}", file, warning);
                }
            });
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > MAX_PIXELS) {
                    throw InvalidDataException.of(file, "image of " + width + "×" + height
                            + " pixels is too large; expected at most " + MAX_PIXELS + " pixels");
                }
                int orientation = ExifOrientation.of(bytes, file);
                boolean swap = ExifOrientation.swapsSides(orientation);
                if (!wanted.test(swap ? width : height, swap ? height : width)) {
                    return null;
                }
                BufferedImage image = reader.read(0);
                if (!damage.isEmpty()) {
                    // The JPEG decoder fills what is missing with grey and only warns; a third of a photo is no photo.
                    throw InvalidDataException.of(file, "cannot decode image (corrupt or truncated): " + damage.get(0));
                }
                return ExifOrientation.apply(image, orientation);
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

    /**
     * Reader warnings that mean pixel data is missing or garbled (libjpeg's wording: "Premature end of JPEG file",
     * "Corrupt JPEG data: premature end of data segment", "… bad Huffman code"; Java's "Truncated File - Missing
     * EOI marker"). Warnings about metadata (a broken ICC profile, ignored) and stray bytes between segments are not.
     */
    private static boolean isDamage(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("missing eoi") || w.contains("premature end")
                || (w.contains("corrupt jpeg data") && !w.contains("extraneous bytes"));
    }

    private static byte[] readBytes(Path file) {
        UserFiles.checkRegularFile(file, "image file");
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw InvalidDataException.of(file, "empty file; expected a PNG, JPEG, BMP or GIF image");
            }
            if (size > MAX_FILE_BYTES) {
                throw InvalidDataException.of(file, "file of " + size + " bytes is too large for an image; expected "
                        + "at most " + MAX_FILE_BYTES + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw InvalidDataException.of(file, "cannot read file: " + e, e);
        }
    }

    /** Whether {@code file}'s name ends in one of {@link #IMAGE_EXTENSIONS} (any case). */
    public static boolean isImageFile(Path file) {
        Path name = file.getFileName();
        String text = name == null ? "" : name.toString();
        int dot = text.lastIndexOf('.');
        return dot >= 0 && IMAGE_EXTENSIONS.contains(text.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * The image files under {@code folder} and its subfolders, in natural order of their paths below it ("2.png"
     * before "10.png"), spelt as {@code folder} is; hidden files and folders (name starting with ".") and files
     * that are not images by their extension are left out.
     *
     * @throws InvalidDataException when the folder does not exist, is not a folder or cannot be listed
     */
    public static List<Path> listImages(Path folder) {
        List<Path> images = new ArrayList<>();
        for (FolderListing.FileEntry entry : FolderListing.walk(folder)) {
            if (isImageFile(entry.relative())) {
                images.add(folder.resolve(entry.relative()));
            }
        }
        return images;
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
