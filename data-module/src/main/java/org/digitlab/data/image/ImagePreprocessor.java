package org.digitlab.data.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.nio.file.Path;
import java.util.Objects;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an arbitrary photo or drawing of a digit into what the training data looked like, the way MNIST itself
 * was made (LeCun et al.): grey; inverted when its polarity differs from the training data's; cropped to the
 * ink; scaled with area averaging so the longer side fills 20/28 of the target; pasted so its centre of mass
 * sits at the centre. An image already of the target size is kept as it is (only inverted if needed), so
 * images written out from a dataset prepare to exactly their dataset pixels.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImagePreprocessor {
    private static final Logger LOG = LoggerFactory.getLogger(ImagePreprocessor.class);
    /** MNIST fits each digit into a 20×20 box inside the 28×28 field. */
    private static final double BOX_FRACTION = 20.0 / 28.0;
    /** Ink must stand out from the background by this much (of 255) to count; below that is paper and noise. */
    private static final float INK_THRESHOLD = 0.1f * 255f;

    /** How many images {@link #suits} looks at. */
    private static final int STYLE_SAMPLE = 1000;
    /** A margin may vary by this share of full intensity and still count as blank. */
    private static final double MARGIN_TOLERANCE = 0.1;
    /** The share of images that must have a blank margin. */
    private static final double MNIST_STYLE_SHARE = 0.9;

    private final ImageShape target;
    private final Polarity polarity;
    private final float pixelMax;

    private ImagePreprocessor(ImageShape target, Polarity polarity, float pixelMax) {
        this.target = Objects.requireNonNull(target, "target");
        this.polarity = Objects.requireNonNull(polarity, "polarity");
        if (target.channels() != 1 && target.channels() != 3) {
            throw new IllegalArgumentException("target must have 1 (grey) or 3 channels, got " + target);
        }
        if (!(pixelMax > 0) || Float.isInfinite(pixelMax)) {
            throw new IllegalArgumentException("pixelMax must be positive and finite, got " + pixelMax);
        }
        this.pixelMax = pixelMax;
    }

    /**
     * A preprocessor producing images of {@code target} shape with values in 0..{@code pixelMax} and the given
     * polarity. A 3-channel target gets the grey image in every channel.
     */
    public static ImagePreprocessor of(ImageShape target, Polarity trainingPolarity, float pixelMax) {
        return new ImagePreprocessor(target, trainingPolarity, pixelMax);
    }

    /**
     * Whether {@code training} looks like MNIST-style digits, the only data this preparation suits: grey images
     * framed by a blank margin (the outermost ring of pixels within {@value #MARGIN_TOLERANCE} of full intensity
     * of each other) in at least {@value #MNIST_STYLE_SHARE} of the first images. MNIST passes (98.5%);
     * Fashion-MNIST (0.5%), scikit-learn's 8×8 digits (0%) and photos do not.
     */
    public static boolean suits(Dataset training) {
        ImageShape shape = training.shape();
        if (shape.channels() != 1 || training.size() == 0) {
            return false;
        }
        int height = shape.height();
        int width = shape.width();
        float[] image = new float[height * width];
        int count = Math.min(training.size(), STYLE_SAMPLE);
        int framed = 0;
        for (int i = 0; i < count; i++) {
            training.copyImage(i, image, 0);
            float low = Float.POSITIVE_INFINITY;
            float high = Float.NEGATIVE_INFINITY;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x += y == 0 || y == height - 1 ? 1 : Math.max(1, width - 1)) {
                    low = Math.min(low, image[y * width + x]);
                    high = Math.max(high, image[y * width + x]);
                }
            }
            if (high - low <= MARGIN_TOLERANCE * training.pixelMax()) {
                framed++;
            }
        }
        return framed >= MNIST_STYLE_SHARE * count;
    }

    /** A preprocessor matching {@code training}: its shape, pixel range and detected polarity. */
    public static ImagePreprocessor matching(Dataset training) {
        return of(training.shape(), Polarity.detect(training), training.pixelMax());
    }

    /** The shape of the prepared images, as the model takes them. */
    public ImageShape target() {
        return target;
    }

    /** The training data's polarity, which every prepared image is made to match. */
    public Polarity polarity() {
        return polarity;
    }

    /** The value of full-intensity ink in prepared images, whose values lie in 0..pixelMax. */
    public float pixelMax() {
        return pixelMax;
    }

    /** Reads and prepares {@code file}; bad files and blank images end in {@link InvalidDataException}. */
    public PreparedImage prepare(Path file) {
        return prepare(ImageFiles.read(file), file.toString());
    }

    /** Prepares a decoded image; {@code sourceName} names it in the result and in errors. */
    public PreparedImage prepare(BufferedImage image, String sourceName) {
        int height = image.getHeight();
        int width = image.getWidth();
        float[] grey = toGrey(image);
        Polarity found = Polarity.of(grey, height, width);
        float[] ink = found == Polarity.LIGHT_ON_DARK ? grey : invert(grey);
        float background = Polarity.borderMedian(ink, height, width);
        float peak = max(ink);
        if (peak - background < INK_THRESHOLD) {
            throw InvalidDataException.of(sourceName, "no ink found: the image is blank (contrast "
                    + Math.round(peak - background) + " of 255, expected at least " + Math.round(INK_THRESHOLD) + ")");
        }
        boolean inverted = found != polarity;
        String polarityNote = inverted
                ? describe(found) + " image inverted to match " + describe(polarity) + " training data"
                : describe(found) + " image, as the training data";

        float[] out;
        String geometryNote;
        if (height == target.height() && width == target.width()) {
            out = inverted ? invert(grey) : grey;
            geometryNote = "already " + height + "×" + width + ", used as is";
        } else {
            float[] centred = normalise(stretch(ink, background, peak), height, width);
            out = polarity == Polarity.LIGHT_ON_DARK ? centred : invert(centred);
            geometryNote = "ink cropped, scaled and centred by mass into " + target.height() + "×" + target.width();
        }
        String note = polarityNote + "; " + geometryNote;
        LOG.debug("{}: {}", sourceName, note);
        return new PreparedImage(sourceName, toTarget(out), inverted, note);
    }

    /** Luminance in 0..255; transparency shows the background, taken as the opposite of the opaque strokes. */
    private static float[] toGrey(BufferedImage image) {
        int height = image.getHeight();
        int width = image.getWidth();
        float[] grey = new float[height * width];
        float[] alpha = new float[height * width];
        ColorModel model = image.getColorModel();
        boolean hasAlpha = model.hasAlpha();
        if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(model instanceof IndexColorModel)) {
            // Raw samples: getRGB would pass grey through a gamma conversion and change the values.
            Raster raster = image.getRaster();
            float greyScale = 255f / ((1 << model.getComponentSize(0)) - 1);
            float alphaScale = hasAlpha ? 1f / ((1 << model.getComponentSize(1)) - 1) : 0f;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    grey[y * width + x] = raster.getSample(x, y, 0) * greyScale;
                    alpha[y * width + x] = hasAlpha ? raster.getSample(x, y, 1) * alphaScale : 1f;
                }
            }
        } else {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int argb = image.getRGB(x, y);
                    grey[y * width + x] = 0.299f * ((argb >> 16) & 0xFF) + 0.587f * ((argb >> 8) & 0xFF)
                            + 0.114f * (argb & 0xFF);
                    alpha[y * width + x] = (argb >>> 24) / 255f;
                }
            }
        }
        if (hasAlpha) {
            composite(grey, alpha);
        }
        return grey;
    }

    /** Drawings often have strokes on a transparent background: put them on paper of the opposite shade. */
    private static void composite(float[] grey, float[] alpha) {
        double strokeSum = 0;
        double strokeWeight = 0;
        for (int i = 0; i < grey.length; i++) {
            strokeSum += alpha[i] * grey[i];
            strokeWeight += alpha[i];
        }
        float paper = strokeWeight == 0 || strokeSum / strokeWeight < 127.5 ? 255f : 0f;
        for (int i = 0; i < grey.length; i++) {
            grey[i] = alpha[i] * grey[i] + (1 - alpha[i]) * paper;
        }
    }

    /** Background to 0, strongest ink to 255, faint noise (JPEG artefacts, paper texture) to 0. */
    private static float[] stretch(float[] ink, float background, float peak) {
        float[] out = new float[ink.length];
        float scale = 255f / (peak - background);
        for (int i = 0; i < ink.length; i++) {
            float v = (ink[i] - background) * scale;
            out[i] = v < INK_THRESHOLD ? 0f : Math.min(255f, v);
        }
        return out;
    }

    /** Crop to the ink, scale into the box, paste centred by centre of mass (light ink on 0). */
    private float[] normalise(float[] ink, int height, int width) {
        int top = height;
        int bottom = -1;
        int left = width;
        int right = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (ink[y * width + x] > 0) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
            }
        }
        int cropHeight = bottom - top + 1;
        int cropWidth = right - left + 1;
        float[] crop = new float[cropHeight * cropWidth];
        for (int y = 0; y < cropHeight; y++) {
            System.arraycopy(ink, (top + y) * width + left, crop, y * cropWidth, cropWidth);
        }
        int boxHeight = Math.max(1, (int) Math.round(target.height() * BOX_FRACTION));
        int boxWidth = Math.max(1, (int) Math.round(target.width() * BOX_FRACTION));
        double scale = Math.min((double) boxHeight / cropHeight, (double) boxWidth / cropWidth);
        int scaledHeight = clamp((int) Math.round(cropHeight * scale), 1, boxHeight);
        int scaledWidth = clamp((int) Math.round(cropWidth * scale), 1, boxWidth);
        float[] scaled = resize(crop, cropHeight, cropWidth, scaledHeight, scaledWidth);
        return centreByMass(scaled, scaledHeight, scaledWidth);
    }

    /** Area-averaging resize: each output pixel is the mean of the source area it covers (separable). */
    private static float[] resize(float[] src, int height, int width, int newHeight, int newWidth) {
        float[] rows = new float[height * newWidth];
        for (int y = 0; y < height; y++) {
            resample1d(src, y * width, 1, width, rows, y * newWidth, 1, newWidth);
        }
        float[] out = new float[newHeight * newWidth];
        for (int x = 0; x < newWidth; x++) {
            resample1d(rows, x, newWidth, height, out, x, newWidth, newHeight);
        }
        return out;
    }

    private static void resample1d(float[] src, int srcStart, int srcStride, int n,
                                   float[] dst, int dstStart, int dstStride, int m) {
        double span = (double) n / m;
        for (int j = 0; j < m; j++) {
            double from = j * span;
            double to = from + span;
            double sum = 0;
            for (int i = (int) Math.floor(from); i < Math.min(n, (int) Math.ceil(to)); i++) {
                double overlap = Math.min(to, i + 1) - Math.max(from, i);
                sum += overlap * src[srcStart + i * srcStride];
            }
            dst[dstStart + j * dstStride] = (float) (sum / span);
        }
    }

    private float[] centreByMass(float[] image, int height, int width) {
        double mass = 0;
        double sumY = 0;
        double sumX = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float v = image[y * width + x];
                mass += v;
                sumY += v * y;
                sumX += v * x;
            }
        }
        // MNIST puts the centre of mass at pixel index 14 of 28 (measured: 14.00 ± 0.29), not at 13.5.
        int offsetY = (int) Math.round(target.height() / 2.0 - sumY / mass);
        int offsetX = (int) Math.round(target.width() / 2.0 - sumX / mass);
        float[] canvas = new float[target.height() * target.width()];
        for (int y = 0; y < height; y++) {
            int ty = y + offsetY;
            for (int x = 0; x < width; x++) {
                int tx = x + offsetX;
                // A lopsided digit's box can be pushed past the edge; its far, light side is clipped as in MNIST.
                if (ty >= 0 && ty < target.height() && tx >= 0 && tx < target.width()) {
                    canvas[ty * target.width() + tx] = image[y * width + x];
                }
            }
        }
        return canvas;
    }

    /** Grey 0..255 to the target's range and channels. */
    private float[] toTarget(float[] grey) {
        int channels = target.channels();
        float[] out = new float[grey.length * channels];
        // Exactly 1 for byte data, so dataset images come back bit for bit.
        float scale = pixelMax / 255f;
        for (int i = 0; i < grey.length; i++) {
            for (int c = 0; c < channels; c++) {
                out[i * channels + c] = grey[i] * scale;
            }
        }
        return out;
    }

    private static float[] invert(float[] grey) {
        float[] out = new float[grey.length];
        for (int i = 0; i < grey.length; i++) {
            out[i] = 255f - grey[i];
        }
        return out;
    }

    private static float max(float[] values) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }

    private static String describe(Polarity polarity) {
        return polarity == Polarity.LIGHT_ON_DARK ? "light-on-dark" : "dark-on-light";
    }

    @Override
    public String toString() {
        return "ImagePreprocessor[" + target + ", " + describe(polarity) + ", pixelMax " + pixelMax + "]";
    }
}
