package org.digitlab.data.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;

/**
 * An image folder as read: the images with their labels, class names and files, and how they were read.
 *
 * @param data      the images (unsigned bytes 0..255, channels last), class names = class folder names, and the
 *                  file of each image
 * @param size      the size every image has now (given, or the one they shared)
 * @param color     the colour every image has now (given, or found)
 * @param skipped   the files not read, and why (not images, outside class folders, bad images when skipped)
 * @param fromCache whether the pixels came from the cache instead of being decoded
 * @param seconds   the time taken to list the folder and decode the images (or read the cache)
 */
public record ImageFolder(Dataset data, ImageSize size, ImageColor color, List<SkippedFile> skipped,
                          boolean fromCache, double seconds) {
    /** Copies the list of skipped files. */
    public ImageFolder {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(color, "color");
        skipped = List.copyOf(skipped);
    }

    /** The shape of every image: the size, and 1 channel for grey or 3 for RGB. */
    public ImageShape shape() {
        return new ImageShape(size.height(), size.width(), color.channels());
    }

    /** These results with other data (a test set relabelled to the training classes). */
    ImageFolder withData(Dataset other) {
        return new ImageFolder(other, size, color, skipped, fromCache, seconds);
    }

    /** The skipped files left out for {@code reason}. */
    public List<SkippedFile> skipped(SkippedFile.Reason reason) {
        return skipped.stream().filter(file -> file.reason() == reason).toList();
    }

    /**
     * The skipped files in one line, e.g. "skipped 3 files: 2 not images (notes.txt, a.pdf), 1 outside class
     * folders (README.md)"; empty when none was skipped. Up to three files are named per reason.
     */
    public String skippedSummary() {
        if (skipped.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        addPart(parts, SkippedFile.Reason.NOT_AN_IMAGE, "not an image", "not images");
        addPart(parts, SkippedFile.Reason.OUTSIDE_CLASS_FOLDER, "outside class folders", "outside class folders");
        addPart(parts, SkippedFile.Reason.BAD_IMAGE, "bad image", "bad images");
        return "skipped " + skipped.size() + (skipped.size() == 1 ? " file: " : " files: ") + String.join(", ", parts);
    }

    private void addPart(List<String> parts, SkippedFile.Reason reason, String one, String many) {
        List<SkippedFile> files = skipped(reason);
        if (files.isEmpty()) {
            return;
        }
        List<String> names = files.stream().limit(3).map(SkippedFile::file).toList();
        parts.add(files.size() + " " + (files.size() == 1 ? one : many) + " (" + String.join(", ", names)
                + (files.size() > 3 ? ", …" : "") + ")");
    }
}
