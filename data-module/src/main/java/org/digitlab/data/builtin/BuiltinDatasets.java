package org.digitlab.data.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.digitlab.data.ClassLabels;
import org.digitlab.data.Dataset;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.idx.IdxReader;

/**
 * Datasets known by name:
 * <ul>
 *   <li>{@code mnist-sample}: 10,000 real MNIST digits shipped inside the jar (no test split);</li>
 *   <li>{@code fashion-mnist}: the official IDX train and test files, from {@value #FASHION_MNIST_DIR} (Debian
 *       package {@code dataset-fashion-mnist}) or a given directory;</li>
 *   <li>{@code mnist}: the official IDX files from a given directory, or downloaded once into a cache
 *       directory (see {@link MnistDownloader}).</li>
 * </ul>
 */
public final class BuiltinDatasets {
    /** 10,000 MNIST digits bundled in the jar; train split only. */
    public static final String MNIST_SAMPLE = "mnist-sample";
    /** Fashion-MNIST from its official IDX train and test files. */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** MNIST from its official IDX files, downloaded into the cache when no directory is given. */
    public static final String MNIST = "mnist";
    /** The known names, for help texts and error messages. */
    public static final List<String> NAMES = List.of(MNIST_SAMPLE, FASHION_MNIST, MNIST);

    /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
    public static final String FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";
    /** Fashion-MNIST's class names, index = label (from the dataset's README). */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final String RESOURCES = "/org/digitlab/data/builtin/";
    /** The classpath resources {@code mnist-sample} is read from: images, then labels. */
    public static final List<String> MNIST_SAMPLE_RESOURCES = List.of(
            RESOURCES + "mnist-sample-images-idx3-ubyte.gz", RESOURCES + "mnist-sample-labels-idx1-ubyte.gz");
    private static final String TRAIN = "train";
    private static final String TEST = "t10k";

    private BuiltinDatasets() {
    }

    /** The default cache directory for downloads: {@code ~/.cache/digitlab}. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "digitlab");
    }

    /**
     * Loads a dataset by name.
     *
     * @param name      one of {@link #NAMES}
     * @param directory where the official files are, or null for the default place (fashion-mnist) or the
     *                  download cache (mnist); ignored by mnist-sample
     * @param cacheDir  the download cache for mnist, or null for {@link #defaultCacheDir()}
     * @throws IllegalArgumentException for an unknown name
     * @throws InvalidDataException     when files are missing, cannot be downloaded, or are invalid
     */
    public static LoadedData load(String name, Path directory, Path cacheDir) {
        return switch (name) {
            case MNIST_SAMPLE -> mnistSample();
            case FASHION_MNIST -> fashionMnist(directory == null ? Path.of(FASHION_MNIST_DIR) : directory);
            case MNIST -> mnist(directory, cacheDir, MnistDownloader.standard());
            default -> throw new IllegalArgumentException("unknown dataset '" + name + "'; known datasets: "
                    + String.join(", ", NAMES));
        };
    }

    /** The 10,000 MNIST digits shipped as a classpath resource. */
    public static LoadedData mnistSample() {
        String images = MNIST_SAMPLE_RESOURCES.get(0);
        String labels = MNIST_SAMPLE_RESOURCES.get(1);
        try (InputStream imageStream = resource(images); InputStream labelStream = resource(labels)) {
            return new LoadedData(MNIST_SAMPLE, IdxReader.read(images, imageStream, labels, labelStream), null,
                    List.of());
        } catch (IOException e) {
            throw InvalidDataException.of(images, "cannot read the built-in dataset: " + e, e);
        }
    }

    /** Fashion-MNIST's official train and test files from {@code directory}, with the class names. */
    public static LoadedData fashionMnist(Path directory) {
        List<Path> files = requireFiles(directory, FASHION_MNIST,
                "install them with 'apt-get install dataset-fashion-mnist' (into " + FASHION_MNIST_DIR
                        + ") or pass the directory that holds them");
        return new LoadedData(FASHION_MNIST,
                named(IdxReader.read(files.get(0), files.get(1)), FASHION_MNIST_CLASSES),
                named(IdxReader.read(files.get(2), files.get(3)), FASHION_MNIST_CLASSES), files);
    }

    /**
     * MNIST's official train and test files: from {@code directory} when given, else from
     * {@code cacheDir/mnist}, downloading what is missing there with {@code downloader}.
     */
    public static LoadedData mnist(Path directory, Path cacheDir, MnistDownloader downloader) {
        List<Path> files;
        if (directory != null) {
            files = requireFiles(directory, MNIST, "download them from a MNIST mirror, or leave out the directory "
                    + "to download them into the cache");
        } else {
            Path cache = (cacheDir == null ? defaultCacheDir() : cacheDir).resolve(MNIST);
            files = new ArrayList<>();
            for (String base : officialNames()) {
                files.add(downloader.fetch(base + ".gz", cache));
            }
        }
        return new LoadedData(MNIST, IdxReader.read(files.get(0), files.get(1)),
                IdxReader.read(files.get(2), files.get(3)), files);
    }

    /** Base names of the official files: train images, train labels, test images, test labels. */
    private static List<String> officialNames() {
        return List.of(TRAIN + "-images-idx3-ubyte", TRAIN + "-labels-idx1-ubyte",
                TEST + "-images-idx3-ubyte", TEST + "-labels-idx1-ubyte");
    }

    // Each official file may be kept gzipped (as distributed) or unpacked; the reader detects which by content.
    private static List<Path> requireFiles(Path directory, String dataset, String hint) {
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String base : officialNames()) {
            Path gz = directory.resolve(base + ".gz");
            Path plain = directory.resolve(base);
            if (Files.isRegularFile(gz)) {
                found.add(gz);
            } else if (Files.isRegularFile(plain)) {
                found.add(plain);
            } else {
                missing.add(base + ".gz");
            }
        }
        if (!missing.isEmpty()) {
            throw InvalidDataException.of(directory, dataset + " files missing: " + String.join(", ", missing)
                    + " (looked in " + directory.toAbsolutePath() + "); " + hint);
        }
        return found;
    }

    private static Dataset named(Dataset dataset, List<String> names) {
        return ClassLabels.rename(dataset, names, FASHION_MNIST);
    }

    private static InputStream resource(String name) {
        InputStream in = BuiltinDatasets.class.getResourceAsStream(name);
        if (in == null) {
            throw InvalidDataException.of(name, "built-in dataset resource missing from the classpath");
        }
        return in;
    }
}
