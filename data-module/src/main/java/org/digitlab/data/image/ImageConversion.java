package org.digitlab.data.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.nio.file.Path;
import org.digitlab.data.ImageShape;

/**
 * Turns one decoded image into the pixels a model takes, exactly as {@link ImageFolderReader} does for each file
 * of a folder, so predictions on files match evaluation on the folder: upright by EXIF orientation, alpha dropped
 * (as PIL's {@code convert("RGB")} and Keras' {@code load_img}: the colour under a transparent pixel is kept),
 * converted to grey (PIL's "L": luma 0.299 R + 0.587 G + 0.114 B) or RGB, then centre-cropped and resized as
 * {@link #RESIZE_METHOD} says. Grey images are converted from their stored samples (no gamma change); 16-bit and
 * 1/2/4-bit samples are scaled to 0..255 and rounded.
 */
public final class ImageConversion {
    /** How images are resized, in words, for run records and help texts. */
    public static final String RESIZE_METHOD = "centre crop to the target aspect ratio, then area averaging to "
            + "shrink and bilinear interpolation (half-pixel centres) to enlarge";

    private ImageConversion() {
    }

    /**
     * Pixels of one converted image.
     *
     * @param pixels   height·width·channels values 0..255 as unsigned bytes, channels last
     * @param channels 1 (grey) or 3 (RGB)
     */
    record Converted(byte[] pixels, int channels) {
    }

    /**
     * Reads {@code file} and converts it to {@code target}: its height and width, grey for 1 channel, RGB for 3.
     *
     * @return height·width·channels values 0..255 as unsigned bytes, channels last (as {@code Dataset.ofBytes})
     * @throws org.digitlab.data.InvalidDataException naming the file when it cannot be decoded
     */
    public static byte[] toPixels(Path file, ImageShape target) {
        ImageColor color = ImageColor.ofChannels(target.channels());
        return convert(ImageFiles.read(file), new ImageSize(target.height(), target.width()), color).pixels();
    }

    /**
     * Converts {@code image} to {@code size} in {@code color}; a null colour keeps grey images grey (1 channel)
     * and makes the others RGB (3 channels).
     */
    static Converted convert(BufferedImage image, ImageSize size, ImageColor color) {
        int height = image.getHeight();
        int width = image.getWidth();
        int[] rgb = new int[height * width];
        boolean grey = readRgb(image, rgb) || allGrey(rgb);
        ImageColor out = color != null ? color : grey ? ImageColor.GREY : ImageColor.RGB;
        int channels = out.channels();
        byte[] pixels = new byte[size.height() * size.width() * channels];
        Resampler resampler = Resampler.of(height, width, size.height(), size.width());
        float[] plane = new float[rgb.length];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < rgb.length; i++) {
                plane[i] = out == ImageColor.GREY ? luma(rgb[i]) : (rgb[i] >> (16 - 8 * c)) & 0xFF;
            }
            resampler.resample(plane, width, pixels, c, channels);
        }
        return new Converted(pixels, channels);
    }

    /** PIL's integer luma: exact for grey pixels (the weights 19595 + 38470 + 7471 sum to 65536). */
    private static int luma(int rgb) {
        return (((rgb >> 16) & 0xFF) * 19595 + ((rgb >> 8) & 0xFF) * 38470 + (rgb & 0xFF) * 7471 + 0x8000) >> 16;
    }

    private static boolean allGrey(int[] rgb) {
        for (int p : rgb) {
            int r = (p >> 16) & 0xFF;
            if (r != ((p >> 8) & 0xFF) || r != (p & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Fills {@code rgb} with 0xRRGGBB per pixel, without alpha; true when the image has a grey colour model. Grey
     * and sRGB samples are read as stored (Java's {@code getRGB} would pass grey through a gamma conversion);
     * palettes and other colour spaces (CMYK, ICC profiles) are converted by the image's colour model.
     */
    private static boolean readRgb(BufferedImage image, int[] rgb) {
        int height = image.getHeight();
        int width = image.getWidth();
        ColorModel model = image.getColorModel();
        ColorSpace space = model.getColorSpace();
        boolean greySpace = space.getType() == ColorSpace.TYPE_GRAY;
        int type = model.getTransferType();
        if (!(model instanceof ComponentColorModel) || !(greySpace || space.isCS_sRGB())
                || !(type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT || type == DataBuffer.TYPE_INT)) {
            for (int y = 0; y < height; y++) {
                image.getRGB(0, y, width, 1, rgb, y * width, width);
            }
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] &= 0xFFFFFF;
            }
            return false;
        }
        Raster raster = image.getRaster();
        int colours = greySpace ? 1 : 3;
        if (!readBytes(raster, colours, rgb)) {
            int bands = raster.getNumBands();
            long[] max = new long[colours];
            for (int b = 0; b < colours; b++) {
                max[b] = (1L << model.getComponentSize(b)) - 1;
            }
            int[] row = new int[width * bands];
            for (int y = 0; y < height; y++) {
                raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
                for (int x = 0; x < width; x++) {
                    int r = to8Bits(row[x * bands], max[0]);
                    rgb[y * width + x] = colours == 1 ? r * 0x010101 : r << 16
                            | to8Bits(row[x * bands + 1], max[1]) << 8 | to8Bits(row[x * bands + 2], max[2]);
                }
            }
        }
        return greySpace;
    }

    /**
     * The fast path for 8-bit interleaved samples (what JPEG, 8-bit PNG and BMP decode to): reads the bytes
     * directly, as the general path would, only several times faster. False when the raster is laid out otherwise.
     */
    private static boolean readBytes(Raster raster, int colours, int[] rgb) {
        if (!(raster.getDataBuffer() instanceof DataBufferByte buffer) || buffer.getNumBanks() != 1
                || !(raster.getSampleModel() instanceof ComponentSampleModel layout)
                || raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0) {
            return false;
        }
        byte[] data = buffer.getData();
        int[] offsets = layout.getBandOffsets();
        int pixelStride = layout.getPixelStride();
        int scanline = layout.getScanlineStride();
        int width = raster.getWidth();
        int first = offsets[0] + buffer.getOffset();
        int second = colours == 1 ? first : offsets[1] + buffer.getOffset();
        int third = colours == 1 ? first : offsets[2] + buffer.getOffset();
        for (int y = 0; y < raster.getHeight(); y++) {
            int row = y * scanline;
            for (int x = 0; x < width; x++) {
                int at = row + x * pixelStride;
                rgb[y * width + x] = (data[at + first] & 0xFF) << 16 | (data[at + second] & 0xFF) << 8
                        | (data[at + third] & 0xFF);
            }
        }
        return true;
    }

    /** A sample of 0..max scaled to 0..255, rounded half up. */
    private static int to8Bits(int sample, long max) {
        return max == 255 ? sample : (int) ((sample * 510L + max) / (2 * max));
    }
}
