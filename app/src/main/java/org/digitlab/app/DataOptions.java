package org.digitlab.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.digitlab.data.ClassFilter;
import org.digitlab.data.ClassLabels;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.builtin.BuiltinDatasets;
import org.digitlab.data.builtin.LoadedData;
import org.digitlab.data.csv.CsvOptions;
import org.digitlab.data.csv.CsvReader;
import org.digitlab.data.csv.HeaderMode;
import org.digitlab.data.csv.LabelColumn;
import org.digitlab.data.idx.IdxReader;
import org.digitlab.data.numpy.NumpyReader;
import picocli.CommandLine.Option;

/**
 * Where a command's data comes from, shared by every subcommand as a picocli {@code @Mixin}: a built-in dataset
 * ({@code --dataset}), an IDX images/labels pair, a CSV file with its layout options, or NumPy arrays; then the
 * class names and the class selection. Exactly one source.
 */
public final class DataOptions {
    /** The data sources, for messages. */
    public static final String SOURCES = "--dataset NAME, --images FILE --labels FILE, --csv FILE, --npz FILE or "
            + "--npy FILE --npy-labels FILE";
    private static final Pattern SHAPE = Pattern.compile("(\\d{1,9})[x×](\\d{1,9})(?:[x×](\\d{1,9}))?",
            Pattern.CASE_INSENSITIVE);

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Built-in dataset: mnist-sample, fashion-mnist or mnist.")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory holding the official files of --dataset fashion-mnist or mnist "
                    + "(default: /usr/share/datasets/fashion-mnist; for mnist: download into --cache-dir).")
    Path dataDir;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Download cache for --dataset mnist (default: ~/.cache/digitlab).")
    Path cacheDir;

    @Option(names = "--images", paramLabel = "FILE", description = "IDX images file (idx3, plain or gzipped).")
    Path images;

    @Option(names = "--labels", paramLabel = "FILE", description = "IDX labels file (idx1, plain or gzipped).")
    Path labels;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "CSV file, one image per row: a label cell and the pixel cells (plain or gzipped).")
    Path csv;

    @Option(names = "--npz", paramLabel = "FILE",
            description = "NumPy archive in Keras' mnist.npz layout: x_train, y_train and optionally x_test, y_test.")
    Path npz;

    @Option(names = "--npy", paramLabel = "FILE",
            description = "NumPy images: uint8, or float32/float64 in [0, 1] or [0, 255]; N×H×W or N×H×W×C.")
    Path npy;

    @Option(names = "--npy-labels", paramLabel = "FILE",
            description = "NumPy labels for --npy: integers (N) or one-hot rows (N×K).")
    Path npyLabels;

    @Option(names = "--label-column", paramLabel = "first|last|N", defaultValue = "first",
            description = "CSV column holding the label (0-based index for N). Default: ${DEFAULT-VALUE}.")
    String labelColumn;

    @Option(names = "--header", paramLabel = "auto|yes|no", defaultValue = "auto",
            description = "Whether the CSV's first row is a header. Default: ${DEFAULT-VALUE}.")
    String header;

    @Option(names = "--delimiter", paramLabel = "C", defaultValue = ",",
            description = "CSV cell separator. Default: '${DEFAULT-VALUE}'.")
    char delimiter;

    @Option(names = "--pixel-max", paramLabel = "V", defaultValue = "255",
            description = "Largest CSV pixel value, meaning full intensity (16 for the sklearn digits). "
                    + "Default: ${DEFAULT-VALUE}.")
    float pixelMax;

    @Option(names = "--shape", paramLabel = "HxW[xC]",
            description = "CSV image shape, e.g. 8x8 or 28x28x1 (default: square grey images from the pixel count).")
    String shape;

    @Option(names = "--class-names", paramLabel = "A,B,…|FILE",
            description = "Names for numbered classes, comma-separated or one per line in FILE: one per class in "
                    + "order, or one per label value 0…max (names of absent values go unused).")
    String classNames;

    @Option(names = "--classes", split = ",", paramLabel = "C",
            description = "Keep only these classes, by name (e.g. 6,8 or cat,dog), relabelled in this order.")
    List<String> classes;

    /**
     * Loads the chosen source. Built-in datasets with an official test split return it as
     * {@link LoadedData#test()}; IDX pairs and CSV files have none.
     *
     * @throws IllegalArgumentException when no source or more than one is given, or an option is malformed
     */
    public LoadedData load() {
        LoadedData loaded = loadSource();
        if (classNames != null) {
            loaded = renamed(loaded, ClassNamesOption.parse(classNames));
        }
        if (classes != null) {
            Dataset train = ClassFilter.select(loaded.train(), classes, loaded.name());
            Dataset test = loaded.test() == null ? null : ClassFilter.restrictTo(loaded.test(), train.classNames());
            loaded = new LoadedData(loaded.name(), train, test, loaded.files());
        }
        return loaded;
    }

    /** Whether any data source option was given. */
    public boolean given() {
        return dataset != null || images != null || labels != null || csv != null || npz != null || npy != null
                || npyLabels != null;
    }

    /** The classes selected with {@code --classes}, or null when all are kept. */
    public List<String> classes() {
        return classes;
    }

    private LoadedData loadSource() {
        int sources = (dataset != null ? 1 : 0) + (images != null || labels != null ? 1 : 0) + (csv != null ? 1 : 0)
                + (npz != null ? 1 : 0) + (npy != null || npyLabels != null ? 1 : 0);
        if (sources != 1) {
            throw new IllegalArgumentException((sources == 0 ? "no data given" : "more than one data source given")
                    + "; give exactly one of " + SOURCES);
        }
        if (dataset == null && (dataDir != null || cacheDir != null)) {
            throw new IllegalArgumentException("--data-dir and --cache-dir go with --dataset");
        }
        if (dataset != null) {
            return BuiltinDatasets.load(builtinName(dataset), dataDir, cacheDir);
        }
        if (images != null) {
            if (labels == null) {
                throw new IllegalArgumentException("--images needs --labels");
            }
            return new LoadedData(images.getFileName().toString(), IdxReader.read(images, labels), null,
                    List.of(images, labels));
        }
        if (labels != null) {
            throw new IllegalArgumentException("--labels needs --images");
        }
        if (npz != null) {
            return NumpyReader.readNpz(npz);
        }
        if (npy != null || npyLabels != null) {
            if (npy == null || npyLabels == null) {
                throw new IllegalArgumentException("--npy and --npy-labels go together");
            }
            return new LoadedData(npy.getFileName().toString(), NumpyReader.readImages(npy, npyLabels), null,
                    List.of(npy, npyLabels));
        }
        return new LoadedData(csv.getFileName().toString(), readCsv(csv), null, List.of(csv));
    }

    /** The built-in name {@code given} stands for (any case), or an error that keeps the user's spelling. */
    private static String builtinName(String given) {
        for (String name : BuiltinDatasets.NAMES) {
            if (name.equalsIgnoreCase(given.trim())) {
                return name;
            }
        }
        String hint = Files.isDirectory(Path.of(given))
                ? "; '" + given + "' is a directory: for a folder of images with one subfolder per class use "
                        + "--image-dir"
                : Files.exists(Path.of(given)) ? "; for data files use --images/--labels or --csv" : "";
        throw new IllegalArgumentException("--dataset '" + given + "' is not a built-in dataset (expected one of: "
                + String.join(", ", BuiltinDatasets.NAMES) + ")" + hint);
    }

    /** Renames the training classes, and the test classes by their original names to match. */
    private static LoadedData renamed(LoadedData loaded, List<String> names) {
        Dataset train = ClassLabels.rename(loaded.train(), names, "--class-names");
        Dataset test = loaded.test() == null ? null
                : ClassLabels.align(loaded.test(), loaded.train().classNames(), loaded.name() + " test split")
                        .withClassNames(train.classNames());
        return new LoadedData(loaded.name(), train, test, loaded.files());
    }

    /** Reads another CSV file (e.g. a separate test file) with the same layout options. */
    public Dataset readCsv(Path file) {
        return CsvReader.read(file, csvOptions());
    }

    /** The CSV layout these options describe. */
    public CsvOptions csvOptions() {
        return CsvOptions.defaults()
                .withLabelColumn(LabelColumn.parse(labelColumn))
                .withHeader(HeaderMode.parse(header))
                .withDelimiter(delimiter)
                .withPixelMax(pixelMax)
                .withShape(shape == null ? null : parseShape(shape));
    }

    /** Parses "HxW" (one channel) or "HxWxC". */
    static ImageShape parseShape(String text) {
        Matcher m = SHAPE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--shape must be HxW or HxWxC, e.g. 28x28 or 32x32x3, got '"
                    + text + "'");
        }
        return new ImageShape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 1 : Integer.parseInt(m.group(3)));
    }
}
