package org.digitlab.app.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.image.ImagePreprocessor;
import org.digitlab.data.image.Polarity;

/**
 * What a model's training data looked like, so new inputs can be made to look the same: stored as
 * {@code dataset.json} in a model directory.
 *
 * @param height     image height in pixels
 * @param width      image width in pixels
 * @param channels   1 (grey) or 3 (RGB)
 * @param pixelMax   the raw value of a full-intensity pixel (255 for MNIST, 16 for the sklearn digits)
 * @param classNames one name per label, in label order
 * @param polarity   light strokes on dark (MNIST) or dark on light
 */
public record DatasetInfo(int height, int width, int channels, @JsonProperty("pixel_max") float pixelMax,
                          @JsonProperty("class_names") List<String> classNames, Polarity polarity) {

    /** Validates; messages name the field. */
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
    }

    /** The description of {@code train}: its shape, pixel range, class names and detected polarity. */
    public static DatasetInfo of(Dataset train) {
        ImageShape shape = train.shape();
        return new DatasetInfo(shape.height(), shape.width(), shape.channels(), train.pixelMax(), train.classNames(),
                Polarity.detect(train));
    }

    /** The image shape. */
    public ImageShape shape() {
        return new ImageShape(height, width, channels);
    }

    /** Number of classes. */
    public int numClasses() {
        return classNames.size();
    }

    /** A preprocessor turning image files into raw pixels like the training data's. */
    public ImagePreprocessor preprocessor() {
        return ImagePreprocessor.of(shape(), polarity, pixelMax);
    }
}
