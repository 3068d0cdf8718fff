package org.digitlab.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.builtin.BuiltinDatasets;
import org.digitlab.data.builtin.LoadedData;
import org.digitlab.data.csv.CsvOptions;
import org.digitlab.data.csv.CsvReader;
import org.digitlab.data.csv.HeaderMode;
import org.digitlab.data.csv.LabelColumn;
import org.digitlab.data.idx.IdxReader;
import picocli.CommandLine.Option;

/**
 * Where a command's data comes from, shared by every subcommand as a picocli {@code @Mixin}: a built-in dataset
 * ({@code --dataset}), an IDX images/labels pair, or a CSV file with its layout options. Exactly one source.
 */
public final class DataOptions {
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

    /**
     * Loads the chosen source. Built-in datasets with an official test split return it as
     * {@link LoadedData#test()}; IDX pairs and CSV files have none.
     *
     * @throws IllegalArgumentException when no source or more than one is given, or an option is malformed
     */
    public LoadedData load() {
        int sources = (dataset != null ? 1 : 0) + (images != null || labels != null ? 1 : 0) + (csv != null ? 1 : 0);
        if (sources != 1) {
            throw new IllegalArgumentException((sources == 0 ? "no data given" : "more than one data source given")
                    + "; give exactly one of --dataset NAME, --images FILE --labels FILE, or --csv FILE");
        }
        if (dataset == null && (dataDir != null || cacheDir != null)) {
            throw new IllegalArgumentException("--data-dir and --cache-dir go with --dataset");
        }
        if (dataset != null) {
            return BuiltinDatasets.load(dataset.toLowerCase(Locale.ROOT), dataDir, cacheDir);
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
        return new LoadedData(csv.getFileName().toString(), readCsv(csv), null, List.of(csv));
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
