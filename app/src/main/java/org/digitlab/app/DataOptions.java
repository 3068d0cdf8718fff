package org.digitlab.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
import org.digitlab.data.image.ImageColor;
import org.digitlab.data.image.ImageConversion;
import org.digitlab.data.image.ImageFolder;
import org.digitlab.data.image.ImageFolderOptions;
import org.digitlab.data.image.ImageFolderReader;
import org.digitlab.data.image.ImageSize;
import org.digitlab.data.image.SkippedFile;
import org.digitlab.data.numpy.NumpyReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * Where a command's data comes from, shared by every subcommand as a picocli {@code @Mixin}: a built-in dataset
 * ({@code --dataset}), an IDX images/labels pair, a CSV file with its layout options, or NumPy arrays; then the
 * class names and the class selection. Exactly one source.
 */
public final class DataOptions {
    /** The data sources, for messages. */
    public static final String SOURCES = "--dataset NAME, --image-dir DIR, --images FILE --labels FILE, --csv FILE, "
            + "--npz FILE or --npy FILE --npy-labels FILE";
    private static final Logger LOG = LoggerFactory.getLogger(DataOptions.class);

    /** The image folder the last {@link #load()} read, or null for other sources. */
    private ImageFolder imageFolder;
    /** Size and colour to read image folders at when the user gives none (a model's own). */
    private ImageShape imageDefaults;
    /** The training classes of the last load as the source named them, and as the user renamed them. */
    private List<String> sourceNames;
    private List<String> givenNames;
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
            description = "DigitLab's cache: downloads of --dataset mnist and decoded copies of --image-dir "
                    + "folders (default: ~/.cache/digitlab).")
    Path cacheDir;

    @Option(names = "--image-dir", paramLabel = "DIR",
            description = "Image folder: one subfolder per class, named after it (natural order, so 2 before 10); "
                    + "PNG, JPEG (EXIF orientation applied), BMP and GIF files, nested folders included, hidden "
                    + "files ignored.")
    Path imageDir;

    @Option(names = "--image-size", paramLabel = "HxW",
            description = "Resize images to HxW: " + ImageConversion.RESIZE_METHOD + ". Default: keep the size "
                    + "when all images share it.")
    String imageSize;

    @Option(names = "--color", paramLabel = "grey|rgb",
            description = "Image colour. Default: grey when every image is grey, else rgb (alpha is dropped).")
    String color;

    @Option(names = "--skip-bad-images",
            description = "Skip corrupt or unreadable images of --image-dir, or of predict's files, and say which, "
                    + "instead of stopping at the first.")
    boolean skipBadImages;

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
        sourceNames = loaded.train().classNames();
        if (classNames != null) {
            loaded = renamed(loaded, ClassNamesOption.parse(classNames));
        }
        givenNames = loaded.train().classNames();
        if (classes != null) {
            Dataset train = ClassFilter.select(loaded.train(), classes, loaded.name());
            Dataset test = loaded.test() == null ? null : ClassFilter.restrictTo(loaded.test(), train.classNames());
            loaded = new LoadedData(loaded.name(), train, test, loaded.files());
        }
        return loaded;
    }

    /**
     * {@code other} (a test set from separate files) with the training data's class names: matched by the names
     * the source gave, then renamed as {@code --class-names} renamed the training classes.
     */
    public Dataset withTrainingClassNames(Dataset other, String what) {
        if (sourceNames.equals(givenNames)) {
            return other;
        }
        return ClassLabels.align(other, sourceNames, what).withClassNames(givenNames);
    }

    /** What kind of source the options name, for the run record: a built-in name, or image-folder, idx, csv…. */
    public String sourceKind() {
        return dataset != null ? builtinName(dataset) : imageDir != null ? "image-folder" : images != null ? "idx"
                : csv != null ? "csv" : npz != null ? "npz" : "npy";
    }

    /** Whether any data source option was given. */
    public boolean given() {
        return dataset != null || imageDir != null || images != null || labels != null || csv != null || npz != null
                || npy != null || npyLabels != null;
    }

    /** The image folder the last {@link #load()} read, or null when the data came from elsewhere. */
    public ImageFolder imageFolder() {
        return imageFolder;
    }

    /**
     * Reads image folders at {@code shape}'s size and colour unless {@code --image-size} or {@code --color} say
     * otherwise: a model's input, for evaluating it on a folder.
     */
    public void defaultImageShape(ImageShape shape) {
        imageDefaults = shape;
    }

    /** How image folders are read: the flags, the defaults, and the cache below {@code --cache-dir}. */
    public ImageFolderOptions imageOptions() {
        ImageFolderOptions options = ImageFolderOptions.defaults().withSkipBad(skipBadImages)
                .withCacheDir((cacheDir == null ? BuiltinDatasets.defaultCacheDir() : cacheDir).resolve("images"));
        if (imageSize != null) {
            options = options.withSize(parse("--image-size", imageSize, ImageSize::parse));
        } else if (imageDefaults != null) {
            options = options.withSize(new ImageSize(imageDefaults.height(), imageDefaults.width()));
        }
        if (color != null) {
            options = options.withColor(parse("--color", color, ImageColor::parse));
        } else if (imageDefaults != null) {
            options = options.withColor(ImageColor.ofChannels(imageDefaults.channels()));
        }
        return options;
    }

    /** Reads another image folder (a separate test set) as the training folder was read. */
    public ImageFolder readTestImages(Path dir) {
        if (imageFolder == null) {
            throw new IllegalArgumentException("--test-image-dir goes with --image-dir");
        }
        return logged(ImageFolderReader.readTest(dir, imageFolder, imageOptions()), dir);
    }

    private static <T> T parse(String flag, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
        }
    }

    /** Says on the console how the folder was read: decoded or from the cache, how fast, what was skipped. */
    private static ImageFolder logged(ImageFolder folder, Path dir) {
        int n = folder.data().size();
        if (folder.fromCache()) {
            LOG.info(String.format(Locale.ROOT, "%s: %,d images read from the decoded cache in %.2f s", dir, n,
                    folder.seconds()));
        } else {
            LOG.info(String.format(Locale.ROOT, "%s: decoded %,d images in %.1f s (%,.0f images/s), %s, %s", dir, n,
                    folder.seconds(), n / Math.max(folder.seconds(), 1e-9), folder.size(),
                    folder.color().name().toLowerCase(Locale.ROOT)));
        }
        if (!folder.skippedSummary().isEmpty()) {
            LOG.warn("{}: {}", dir, folder.skippedSummary());
        }
        for (SkippedFile bad : folder.skipped(SkippedFile.Reason.BAD_IMAGE)) {
            LOG.warn("skipped bad image {}: {}", bad.file(), bad.detail());
        }
        return folder;
    }

    /** The classes selected with {@code --classes}, or null when all are kept. */
    public List<String> classes() {
        return classes;
    }

    private LoadedData loadSource() {
        int sources = (dataset != null ? 1 : 0) + (images != null || labels != null ? 1 : 0) + (csv != null ? 1 : 0)
                + (npz != null ? 1 : 0) + (npy != null || npyLabels != null ? 1 : 0) + (imageDir != null ? 1 : 0);
        if (sources != 1) {
            throw new IllegalArgumentException((sources == 0 ? "no data given" : "more than one data source given")
                    + "; give exactly one of " + SOURCES);
        }
        if (dataset == null && dataDir != null) {
            throw new IllegalArgumentException("--data-dir goes with --dataset");
        }
        if (imageDir == null && (imageSize != null || color != null || skipBadImages)) {
            throw new IllegalArgumentException("--image-size, --color and --skip-bad-images go with --image-dir");
        }
        imageFolder = null;
        if (dataset != null) {
            return BuiltinDatasets.load(builtinName(dataset), dataDir, cacheDir);
        }
        if (imageDir != null) {
            imageFolder = logged(ImageFolderReader.read(imageDir, imageOptions()), imageDir);
            return new LoadedData(imageDir.toString(), imageFolder.data(), null, List.of());
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
        return parseShape("--shape", text);
    }

    /** Parses "HxW" (one channel) or "HxWxC" given to {@code option}. */
    static ImageShape parseShape(String option, String text) {
        Matcher m = SHAPE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " must be HxW or HxWxC, e.g. 28x28 or 32x32x3, got '"
                    + text + "'");
        }
        return new ImageShape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 1 : Integer.parseInt(m.group(3)));
    }
}
