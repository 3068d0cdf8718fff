package org.digitlab.data.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EXIF orientation of a JPEG (1–8): how a camera's stored pixels must be flipped or turned to be seen upright.
 * Java's image readers ignore it; PIL's {@code ImageOps.exif_transpose} and browsers apply it, and so do we.
 */
final class ExifOrientation {
    private static final Logger LOG = LoggerFactory.getLogger(ExifOrientation.class);

    private ExifOrientation() {
    }

    /** The orientation stored in the EXIF segment of JPEG {@code bytes}; 1 (upright) when absent or unreadable. */
    static int of(byte[] bytes, Object source) {
        if (bytes.length < 2 || (bytes[0] & 0xFF) != 0xFF || (bytes[1] & 0xFF) != 0xD8) {
            return 1;
        }
        try {
            for (JPEGSegment exif : JPEGSegmentUtil.readSegments(new ByteArrayImageInputStream(bytes), JPEG.APP1,
                    "Exif")) {
                try (InputStream data = exif.data()) {
                    // The identifier "Exif" is followed by two zero bytes; the segment data starts after the first.
                    if (data.read() < 0) {
                        continue;
                    }
                    Directory tiff = new TIFFReader().read(new ByteArrayImageInputStream(data.readAllBytes()));
                    Entry entry = tiff.getEntryById(TIFF.TAG_ORIENTATION);
                    if (entry != null && entry.getValue() instanceof Number n && n.intValue() >= 1
                            && n.intValue() <= 8) {
                        return n.intValue();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // A damaged EXIF block does not make the pixels unreadable; decoding reports real damage.
            LOG.debug("{}: EXIF orientation unreadable, taken as upright: {}", source, e.toString());
        }
        return 1;
    }

    /** Whether {@code orientation} turns the image by 90° (5–8), so its height and width swap. */
    static boolean swapsSides(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /**
     * {@code image} turned upright: 2 mirror, 3 rotate 180°, 4 flip, 5 transpose, 6 rotate 90° clockwise,
     * 7 transverse, 8 rotate 90° counter-clockwise (the TIFF/EXIF definitions). Pixel values are copied exactly,
     * whatever the image type.
     */
    static BufferedImage apply(BufferedImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int h = image.getHeight();
        int w = image.getWidth();
        boolean swap = swapsSides(orientation);
        int outH = swap ? w : h;
        int outW = swap ? h : w;
        WritableRaster source = image.getRaster();
        WritableRaster target = source.createCompatibleWritableRaster(outW, outH);
        Object pixel = null;
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int sy = switch (orientation) {
                    case 2 -> y;
                    case 3, 4 -> h - 1 - y;
                    case 5, 8 -> x;
                    default -> h - 1 - x; // 6, 7
                };
                int sx = switch (orientation) {
                    case 2, 3 -> w - 1 - x;
                    case 4 -> x;
                    case 5, 6 -> y;
                    default -> w - 1 - y; // 7, 8
                };
                pixel = source.getDataElements(sx, sy, pixel);
                target.setDataElements(x, y, pixel);
            }
        }
        return new BufferedImage(image.getColorModel(), target, image.isAlphaPremultiplied(), null);
    }
}
