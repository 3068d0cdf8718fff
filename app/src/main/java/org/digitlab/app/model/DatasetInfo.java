package org.digitlab.app.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.image.ImageConversion;
import org.digitlab.data.image.ImagePreprocessor;
import org.digitlab.data.image.Polarity;

/**
 * What a model's training data looked like and how its images were prepared, so new inputs can be made to look
 * the same: stored as {@code dataset.json} in a model directory.
 *
 * @param height      image height in pixels
 * @param width       image width in pixels
 * @param channels    1 (grey) or 3 (RGB)
 * @param pixelMax    the raw value of a full-intensity pixel (255 for MNIST, 16 for the sklearn digits)
 * @param classNames  one name per label, in label order
 * @param polarity    light strokes on dark (MNIST) or dark on light
 * @param source      the kind of source trained on: a built-in dataset's name, image-folder, idx, csv, npz or npy
 * @param resize      how image files were resized to the model's size (for image folders), or null
 * @param preparation how {@code predict} prepares image files by default: {@code mnist} (crop to the ink, centre
 *                    by mass, match the polarity: for MNIST-style digits) or {@code plain} (the image as a whole,
 *                    converted and resized as the training images were)
 * @param selectedFrom the source's classes when the model was trained on a selection of them ({@code --classes}),
 *                    else null: data of those other classes is expected, and left out, by {@code evaluate}
 */
public record DatasetInfo(int height, int width, int channels, @JsonProperty("pixel_max") float pixelMax,
                          @JsonProperty("class_names") List<String> classNames, Polarity polarity, String source,
                          String resize, String preparation,
                          @JsonProperty("selected_from") List<String> selectedFrom) {
    /** MNIST's preparation of digit images. */
    public static final String MNIST = "mnist";
    /** The image as a whole, as the training images were read. */
    public static final String PLAIN = "plain";

    /** Validates; messages name the field. Runs recorded before {@code preparation} existed prepare MNIST-style. */
    public DatasetInfo {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("dataset info: image shape must be positive, got " + height + "×"
                    + width + "×" + channels);
        }
        if (!(pixelMax > 0) || Float.isInfinite(pixelMax)) {
            throw new IllegalArgumentException("dataset info: pixel_max must be positive and finite, got "
                    + pixelMax);
        }
        if (classNames == null || classNames.size() < 2) {
            throw new IllegalArgumentException("dataset info: class_names must list at least 2 classes, got "
                    + classNames);
        }
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(polarity, "dataset info: polarity");
        source = source == null ? "unknown" : source;
        preparation = checkPreparation(preparation == null ? MNIST : preparation);
        selectedFrom = selectedFrom == null ? null : List.copyOf(selectedFrom);
    }

    /**
     * The description of {@code train} from a source of kind {@code source} (its classes a selection of
     * {@code selectedFrom}, or null): its shape, pixel range, class names and polarity, and MNIST's preparation for
     * new images only when it looks like MNIST-style digits.
     */
    public static DatasetInfo of(Dataset train, String source, List<String> selectedFrom) {
        ImageShape shape = train.shape();
        return new DatasetInfo(shape.height(), shape.width(), shape.channels(), train.pixelMax(), train.classNames(),
                Polarity.detect(train), source, source.equals("image-folder") ? ImageConversion.RESIZE_METHOD : null,
                ImagePreprocessor.suits(train) ? MNIST : PLAIN, selectedFrom);
    }

    /**
     * {@code text} if it names a preparation ({@code mnist} or {@code plain}, any case), in lower case.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static String checkPreparation(String text) {
        String p = text.trim().toLowerCase(Locale.ROOT);
        if (!p.equals(MNIST) && !p.equals(PLAIN)) {
            throw new IllegalArgumentException("preparation '" + text + "': expected mnist or plain");
        }
        return p;
    }

    /** The image shape. */
    public ImageShape shape() {
        return new ImageShape(height, width, channels);
    }

    /** Number of classes. */
    public int numClasses() {
        return classNames.size();
    }

    /** A preprocessor turning image files into raw pixels like MNIST-style training data's. */
    public ImagePreprocessor preprocessor() {
        return ImagePreprocessor.of(shape(), polarity, pixelMax);
    }
}
