package org.digitlab.app.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.digitlab.app.DataOptions;
import org.digitlab.data.Dataset;
import org.digitlab.data.builtin.BuiltinDatasets;
import org.digitlab.data.builtin.LoadedData;
import org.digitlab.data.idx.IdxReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The data options of a run recorded as plain strings ({@code {"dataset": "mnist-sample"}}, file paths made
 * absolute) so {@code config.json} says where the data came from and {@code --resume} loads it again through the
 * same {@link DataOptions} the command line uses.
 */
public final class DataArguments {
    static final String TEST_IMAGES = "test-images";
    static final String TEST_LABELS = "test-labels";
    static final String TEST_CSV = "test-csv";
    static final String TEST_IMAGE_DIR = "test-image-dir";

    /**
     * What was loaded: the training data and the test set, if the data has one or test files were given.
     *
     * @param sources every data file read, as a path or, for the built-in sample, {@code classpath:/…}
     */
    record Loaded(String name, String kind, Dataset train, Dataset test, String testSource, List<String> sources) {
    }

    /** The classpath resources behind {@code mnist-sample} (it reads them, but names no files). */
    private static final List<String> MNIST_SAMPLE_RESOURCES =
            BuiltinDatasets.MNIST_SAMPLE_RESOURCES.stream().map(resource -> "classpath:" + resource).toList();

    private DataArguments() {
    }

    /** The data options given on {@code command}'s line, as {@code name → value} without dashes. */
    public static Map<String, String> matched(CommandSpec command) {
        Map<String, String> values = new LinkedHashMap<>();
        ParseResult parsed = command.commandLine().getParseResult();
        CommandSpec mixin = command.mixins().get("data");
        for (OptionSpec option : mixin.options()) {
            OptionSpec matched = parsed.matchedOption(option.longestName());
            // The class selection is the experiment's own "classes" key, not part of where the data comes from.
            if (matched == null || option.longestName().equals("--classes")) {
                continue;
            }
            List<String> given = matched.originalStringValues();
            String value = option.arity().max() == 0 ? "true" : given.get(given.size() - 1);
            boolean existingFile = option.longestName().equals("--class-names") && Files.isRegularFile(Path.of(value));
            if (Path.class.equals(option.type()) || existingFile) {
                value = Path.of(value).toAbsolutePath().normalize().toString();
            }
            values.put(option.longestName().replaceFirst("^-+", ""), value);
        }
        return values;
    }

    /** The test-file flags as entries, paths made absolute. */
    static Map<String, String> testFiles(Path images, Path labels, Path csv, Path imageDir) {
        if ((images == null) != (labels == null)) {
            throw new IllegalArgumentException("--test-images and --test-labels go together");
        }
        if ((images != null ? 1 : 0) + (csv != null ? 1 : 0) + (imageDir != null ? 1 : 0) > 1) {
            throw new IllegalArgumentException("give one test set: --test-images/--test-labels, --test-csv or "
                    + "--test-image-dir");
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (images != null) {
            values.put(TEST_IMAGES, absolute(images));
            values.put(TEST_LABELS, absolute(labels));
        } else if (csv != null) {
            values.put(TEST_CSV, absolute(csv));
        } else if (imageDir != null) {
            values.put(TEST_IMAGE_DIR, absolute(imageDir));
        }
        return values;
    }

    /** Loads the data an experiment names. */
    static Loaded load(ExperimentConfig experiment) {
        List<String> args = new ArrayList<>();
        Holder holder = new Holder();
        CommandLine line = new CommandLine(holder);
        experiment.data().forEach((key, value) -> {
            if (key.startsWith("test-")) {
                return;
            }
            OptionSpec option = line.getCommandSpec().findOption("--" + key);
            if (option == null) {
                throw new IllegalArgumentException("data option '" + key + "' is not a data option of this version");
            }
            args.add("--" + key);
            if (option.arity().max() > 0) {
                args.add(value);
            }
        });
        line.parseArgs(args.toArray(String[]::new));
        LoadedData data = holder.data.load();
        List<String> sources = new ArrayList<>();
        if (data.files().isEmpty() && data.name().equals(BuiltinDatasets.MNIST_SAMPLE)) {
            sources.addAll(MNIST_SAMPLE_RESOURCES);
        }
        data.files().forEach(file -> sources.add(absolute(file)));
        Map<String, String> d = experiment.data();
        String kind = holder.data.sourceKind();
        if (d.containsKey(TEST_IMAGES)) {
            Path images = Path.of(d.get(TEST_IMAGES));
            Path labels = Path.of(d.get(TEST_LABELS));
            sources.add(absolute(images));
            sources.add(absolute(labels));
            String what = "files " + images.getFileName() + ", " + labels.getFileName();
            return new Loaded(data.name(), kind, data.train(),
                    holder.data.withTrainingClassNames(IdxReader.read(images, labels), what), what, sources);
        }
        if (d.containsKey(TEST_CSV)) {
            Path csv = Path.of(d.get(TEST_CSV));
            sources.add(absolute(csv));
            String what = "file " + csv.getFileName();
            return new Loaded(data.name(), kind, data.train(),
                    holder.data.withTrainingClassNames(holder.data.readCsv(csv), what), what, sources);
        }
        if (d.containsKey(TEST_IMAGE_DIR)) {
            Path dir = Path.of(d.get(TEST_IMAGE_DIR));
            String what = "image folder " + dir;
            return new Loaded(data.name(), kind, data.train(),
                    holder.data.withTrainingClassNames(holder.data.readTestImages(dir).data(), what), what, sources);
        }
        String testSource = data.test() == null ? null
                : BuiltinDatasets.NAMES.contains(data.name()) ? "official test split" : "test part of " + data.name();
        return new Loaded(data.name(), kind, data.train(), data.test(), testSource, sources);
    }

    private static String absolute(Path file) {
        return file.toAbsolutePath().normalize().toString();
    }

    /** A command with only the data options, to parse recorded arguments. */
    @Command(name = "data")
    static final class Holder {
        @Mixin
        DataOptions data;
    }
}
