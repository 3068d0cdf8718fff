package org.digitlab.data.builtin;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.digitlab.data.Dataset;

/**
 * A dataset as loaded by name or from files: its training part, its official test part if it has one, and the
 * files read (for provenance; empty for data read from the classpath).
 *
 * @param name  the dataset's name (e.g. {@code mnist-sample}) or a short description of the files
 * @param train the training part (all of the data when there is no official test split)
 * @param test  the official test split, or null
 * @param files the files read
 */
public record LoadedData(String name, Dataset train, Dataset test, List<Path> files) {
    /** Requires a name and a training part; copies {@code files}. */
    public LoadedData {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(train, "train");
        files = List.copyOf(files);
    }
}
