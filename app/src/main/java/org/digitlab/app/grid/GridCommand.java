package org.digitlab.app.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.digitlab.app.AppFiles;
import org.digitlab.app.DataOptions;
import org.digitlab.app.model.ModelDirectory;
import org.digitlab.app.model.TestReportWriter;
import org.digitlab.app.train.DataArguments;
import org.digitlab.app.train.DataSplits;
import org.digitlab.app.train.ExperimentConfig;
import org.digitlab.app.train.Experiments;
import org.digitlab.data.Dataset;
import org.digitlab.evaluation.ClassificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code digitlab grid}: the cartesian product of learning rates, batch sizes, epochs and optimizers on one preset.
 * Every trial uses the same seed and therefore the same train/validation/test split; trials are ranked by their
 * best validation accuracy (ties: lower validation loss) and only the chosen trial sees the test set.
 */
@Command(name = "grid", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Grid search over a preset's hyper-parameters, chosen on validation accuracy.",
            "OUT receives grid.json (the resolved grid), trials/<name>/ per trial",
            "(config.json, history.csv, result.json, model/, checkpoints/), test/ (the",
            "test report of the chosen trial only), summary.csv and summary.md.",
            ""},
        footer = {"",
            "Every trial has the same seed, so the same train/validation/test split.",
            "Rerunning the same command skips finished trials (with result.json) and",
            "continues interrupted ones from their last checkpoint; a different grid",
            "in the same OUT is refused. A list flag left out keeps the preset's value."})
public final class GridCommand implements Callable<Integer> {
    static final String GRID_FILE = "grid.json";
    static final String TRIALS = "trials";
    static final String TEST = "test";

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--preset", required = true, paramLabel = "NAME", description = "Experiment preset to vary.")
    String preset;

    @Option(names = "--lr", split = ",", paramLabel = "X", description = "Learning rates, comma-separated.")
    List<Double> lr;

    @Option(names = "--batch-size", split = ",", paramLabel = "N", description = "Batch sizes, comma-separated.")
    List<Integer> batchSize;

    @Option(names = "--epochs", split = ",", paramLabel = "N", description = "Epoch counts, comma-separated.")
    List<Integer> epochs;

    @Option(names = "--optimizer", split = ",", paramLabel = "NAME",
            description = "Optimizers (sgd, momentum, nesterov, adam, adamw, rmsprop), comma-separated.")
    List<String> optimizer;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
            description = "Trials run at once. Default: ${DEFAULT-VALUE}.")
    int parallel;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every trial (splits, initialisation, order).")
    Long seed;

    @Option(names = "--limit", paramLabel = "N", description = "Use only a stratified sample of N training (and test) samples.")
    Integer limit;

    @Option(names = "--val-fraction", paramLabel = "X",
            description = "Validation share of the training data (default: the preset's).")
    Double valFraction;

    @Option(names = "--device", paramLabel = "DEVICE", description = "cpu, gpu or auto.")
    String device;

    @Option(names = "--out", paramLabel = "DIR", description = "Grid directory (default runs/grid-<preset>).")
    Path out;

    @Override
    public Integer call() {
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be ≥ 1, got " + parallel);
        }
        ExperimentConfig base = base();
        if (base.valFraction() == 0) {
            throw new IllegalArgumentException("grid search selects on validation: preset " + preset
                    + " has val_fraction 0; give --val-fraction, e.g. 0.1");
        }
        List<Trial> trials = trials(base);
        Path dir = out != null ? out : Path.of("runs", "grid-" + preset);
        Map<String, Object> grid = gridSpec(base);
        checkSameGrid(dir, grid);
        PrintWriter printer = spec.commandLine().getOut();
        DataSplits splits = DataSplits.load(base);
        // Written once the data loaded, so a typo in a data flag leaves no grid behind to conflict with.
        if (!Files.isRegularFile(dir.resolve(GRID_FILE))) {
            AppFiles.writeJson(dir.resolve(GRID_FILE), grid);
        }
        printer.printf(Locale.ROOT, "%d trials on %s (%d train, %d validation samples) in %s%n", trials.size(),
                splits.name(), splits.train().size(), splits.validation().size(), dir);
        printer.flush();

        List<TrialResult> results = runAll(trials, dir.resolve(TRIALS), new TrialRunner(splits), printer);
        TrialResult chosen = results.stream().min(TrialResult::byValidation).orElseThrow();
        double testAccuracy = test(dir, chosen, splits);
        GridSummary summary = new GridSummary(results, testAccuracy);
        AppFiles.writeString(dir.resolve("summary.csv"), summary.toCsv());
        AppFiles.writeString(dir.resolve("summary.md"), summary.toMarkdown());

        printer.println();
        printer.print(summary.toMarkdown());
        printer.printf(Locale.ROOT, "%nchosen on validation accuracy: %s (val %.4f, test %.4f on %d samples, %s)%n",
                summary.chosen().trial(), summary.chosen().bestValAccuracy(), testAccuracy, splits.test().size(),
                splits.testSource());
        printer.printf("written to %s (summary.csv, summary.md, grid.json, trials/, test/)%n", dir);
        printer.flush();
        return 0;
    }

    /** The preset with the grid's fixed flags: data source, seed, limit and device. */
    private ExperimentConfig base() {
        Map<String, Object> flags = new LinkedHashMap<>();
        Map<String, String> dataFlags = DataArguments.matched(spec);
        flags.put("data", dataFlags.isEmpty() ? null : dataFlags);
        flags.put("seed", seed);
        flags.put("limit", limit);
        flags.put("val_fraction", valFraction);
        flags.put("device", device);
        return Experiments.preset(preset).with(flags);
    }

    /** Every combination, validated before any trial trains (so a bad optimizer name fails at once). */
    private List<Trial> trials(ExperimentConfig base) {
        List<Trial> trials = new ArrayList<>();
        for (double l : values("--lr", lr, base.lr())) {
            for (int b : values("--batch-size", batchSize, base.batchSize())) {
                for (int e : values("--epochs", epochs, base.epochs())) {
                    for (String o : values("--optimizer", optimizer, base.optimizer())) {
                        Map<String, Object> point = Map.of("lr", l, "batch_size", b, "epochs", e, "optimizer", o);
                        trials.add(Trial.of(base.with(point)));
                    }
                }
            }
        }
        return trials;
    }

    private static <T> List<T> values(String flag, List<T> given, T preset) {
        if (given == null) {
            return List.of(preset);
        }
        if (new HashSet<>(given).size() != given.size()) {
            throw new IllegalArgumentException(flag + " lists a value twice: " + given);
        }
        return given;
    }

    private Map<String, Object> gridSpec(ExperimentConfig base) {
        Map<String, Object> grid = new LinkedHashMap<>();
        grid.put("base", base);
        grid.put("lr", values("--lr", lr, base.lr()));
        grid.put("batch_size", values("--batch-size", batchSize, base.batchSize()));
        grid.put("epochs", values("--epochs", epochs, base.epochs()));
        grid.put("optimizer", values("--optimizer", optimizer, base.optimizer()));
        return grid;
    }

    /** Refuses when {@code dir} already holds a different grid. */
    private static void checkSameGrid(Path dir, Map<String, Object> grid) {
        Path file = dir.resolve(GRID_FILE);
        if (Files.isRegularFile(file)) {
            JsonNode wanted;
            try {
                // Through text, so both sides have the same number node types (7 is an int node either way).
                wanted = AppFiles.JSON.readTree(AppFiles.JSON.writeValueAsString(grid));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serialise the grid: " + e.getMessage(), e);
            }
            JsonNode saved = AppFiles.readJson(file, "grid file", JsonNode.class);
            if (!wanted.equals(saved)) {
                throw new IllegalArgumentException(dir + " holds a different grid (" + differences(saved, wanted)
                        + " differ from " + file + "); rerun it with the same flags or choose another --out");
            }
        }
    }

    private static String differences(JsonNode saved, JsonNode wanted) {
        List<String> keys = new ArrayList<>();
        wanted.fieldNames().forEachRemaining(key -> {
            if (key.equals("base") && saved.get(key) instanceof ObjectNode old) {
                wanted.get(key).fieldNames().forEachRemaining(k -> {
                    if (!wanted.get(key).get(k).equals(old.get(k))) {
                        keys.add(k);
                    }
                });
            } else if (!wanted.get(key).equals(saved.get(key))) {
                keys.add(key);
            }
        });
        return keys.isEmpty() ? "the settings" : String.join(", ", keys);
    }

    /** Runs the trials, {@code parallel} at a time, and returns their results in grid order. */
    private List<TrialResult> runAll(List<Trial> trials, Path trialsDir, TrialRunner runner, PrintWriter printer) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, trials.size()));
        try {
            List<Future<TrialResult>> futures = new ArrayList<>();
            for (int i = 0; i < trials.size(); i++) {
                Trial trial = trials.get(i);
                String counter = String.format(Locale.ROOT, "[%d/%d]", i + 1, trials.size());
                futures.add(pool.submit(() -> {
                    TrialRunner.Done done = runner.run(trial, trialsDir.resolve(trial.name()));
                    printer.println(String.format(Locale.ROOT, "%s %s: %s, best val accuracy %.4f (epoch %d)",
                            counter, trial.name(), done.outcome().toString().toLowerCase(Locale.ROOT),
                            done.result().bestValAccuracy(), done.result().bestEpoch()));
                    printer.flush();
                    return done.result();
                }));
            }
            List<TrialResult> results = new ArrayList<>();
            for (Future<TrialResult> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("grid interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The test accuracy of the chosen trial; evaluates its model on the test set once and writes the report to
     * {@code test/}, reusing that report when it is for the same trial.
     */
    private static double test(Path dir, TrialResult chosen, DataSplits splits) {
        Path testDir = dir.resolve(TEST);
        Path metricsFile = testDir.resolve(TestReportWriter.METRICS);
        if (Files.isRegularFile(metricsFile)) {
            JsonNode saved = AppFiles.readJson(metricsFile, "test metrics file", JsonNode.class);
            if (chosen.trial().equals(saved.path("trial").asText())) {
                return saved.path("test").path("accuracy").asDouble();
            }
        }
        double[] accuracy = new double[1];
        AppFiles.replaceDirectory(testDir, tmp -> {
            try (ModelDirectory model = ModelDirectory.open(dir.resolve(TRIALS).resolve(chosen.trial()))) {
                Dataset test = model.compatible(splits.test(), splits.testSource());
                ClassificationReport report = TestReportWriter.write(tmp, test, model.predict(test), null);
                Map<String, Object> testMetrics = new LinkedHashMap<>(report.toMap());
                testMetrics.put("samples", test.size());
                testMetrics.put("source", splits.testSource());
                Map<String, Object> metrics = new LinkedHashMap<>();
                metrics.put("trial", chosen.trial());
                metrics.put("chosen_by", "best validation accuracy, ties to lower validation loss");
                metrics.put("validation", chosen);
                metrics.put("test", testMetrics);
                TestReportWriter.writeMetrics(tmp, metrics);
                accuracy[0] = report.accuracy();
            }
        });
        return accuracy[0];
    }
}
