package org.digitlab.app.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.digitlab.app.AppFiles;
import org.digitlab.app.model.ModelDirectory;
import org.digitlab.app.model.TestReportWriter;
import org.digitlab.data.ChannelStatistics;
import org.digitlab.data.Dataset;
import org.digitlab.data.Normalization;
import org.digitlab.evaluation.ClassificationReport;
import org.digitlab.evaluation.Plots;
import org.digitlab.model.LayerSpec;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.ModelSpecs;
import org.digitlab.model.Presets;
import org.digitlab.training.EvaluationResult;
import org.digitlab.training.KeepWeights;
import org.digitlab.training.ProgressBarListener;
import org.digitlab.training.TensorBoardListener;
import org.digitlab.training.Trainer;
import org.digitlab.training.TrainingConfig;
import org.digitlab.training.TrainingResult;

/** One {@code train} invocation: fit (or resume), test, and write the run directory. */
public final class TrainingRun {
    /** Where {@code --tensorboard} writes its event files, inside the run directory. */
    static final String TENSORBOARD = "tensorboard";

    private final ExperimentConfig experiment;
    private final RunDirectory run;
    private final DataSplits data;
    private final PrintWriter out;
    private final PrintWriter err;

    TrainingRun(ExperimentConfig experiment, RunDirectory run, DataSplits data, PrintWriter out, PrintWriter err) {
        this.experiment = experiment;
        this.run = run;
        this.data = data;
        this.out = out;
        this.err = err;
    }

    /**
     * A new run: checks everything that can be checked (data, model, device, graph) before it writes anything, then
     * locks the directory (clearing a run there that never completed an epoch) and writes the resolved config, model
     * spec, normalisation and manifest first, so a killed run can resume.
     */
    int start() {
        ModelSpec spec = model(experiment, data.train());
        Normalization normalization = normalization(experiment, data.train(), warning -> {
            err.println("warning: " + warning);
            err.flush();
        });
        TrainingConfig training = experiment.training();
        printSetup(spec, normalization, training);
        try (Trainer trainer = new Trainer(spec, normalization, training, run.dir())) {
            checkDevice(trainer);
            trainer.prepare(data.train(), data.validation(), data.test());
            run.prepareForNewRun(err);
            experiment.write(run);
            AppFiles.writeString(run.resolve(ModelDirectory.MODEL_SPEC), ModelSpecs.toJson(spec));
            run.writeJson(ModelDirectory.NORMALIZATION, normalization);
            ModelDirectory.writeDatasetInfo(run.dir(), data.train(), data.kind(), data.selectedFrom());
            Manifest.write(run.dir(), experiment, data, trainer.device(), Instant.now(), null, null);
            return finish(trainer);
        }
    }

    /**
     * The experiment's pixel normalisation for {@code train}: fitted on it, or the fixed one given, with a warning
     * to {@code warn} when a fixed standardisation is far from the data's own statistics (the MNIST constants on
     * photos, say).
     */
    public static Normalization normalization(ExperimentConfig experiment, Dataset train, Consumer<String> warn) {
        if (experiment.fitsNormalization()) {
            return Normalization.fitStandardize(train);
        }
        Normalization fixed = ExperimentConfig.normalization(experiment.normalization(), train.pixelMax());
        fixed.checkChannels(train.shape().channels());
        if (fixed.kind() == Normalization.Kind.STANDARDIZE) {
            ChannelStatistics stats = ChannelStatistics.of(train);
            for (int c = 0; c < stats.channels(); c++) {
                int k = fixed.channels() == 1 ? 0 : c;
                double mean = (stats.mean(c) / train.pixelMax() - fixed.mean().get(k)) / fixed.std().get(k);
                double std = stats.std(c) / train.pixelMax() / fixed.std().get(k);
                if (Math.abs(mean) > 1 || std < 0.2 || std > 5) {
                    warn.accept(String.format(Locale.ROOT, "normalization %s is far from this data's statistics: "
                            + "standardised, its training pixels%s have mean %.2f and std %.2f (expected about 0 "
                            + "and 1); --normalization fit standardises with the data's own", experiment
                            .normalization(), stats.channels() > 1 ? " (channel " + c + ")" : "", mean, std));
                    break;
                }
            }
        }
        return fixed;
    }

    /**
     * What is about to be trained, before the first epoch: data, splits, images, classes, normalisation,
     * model, recipe.
     */
    private void printSetup(ModelSpec spec, Normalization normalization, TrainingConfig training) {
        Dataset train = data.train();
        KeepWeights keep = training.keep();
        out.printf(Locale.ROOT, "data:          %s%n", data.name());
        out.printf(Locale.ROOT, "splits:        train %,d · validation %,d · test %,d (%s)%n", train.size(),
                data.validation() == null ? 0 : data.validation().size(), data.test().size(), data.testSource());
        out.printf(Locale.ROOT, "images:        %s (height×width×channels)%n", train.shape());
        out.printf(Locale.ROOT, "%-15s%s%n", "classes (" + train.numClasses() + "):", abbreviated(train.classNames()));
        out.printf(Locale.ROOT, "normalization: %s%s%n", experiment.fitsNormalization() ? "fitted on the training "
                + "split, " : "", normalization.describe());
        out.printf(Locale.ROOT, "model:         %s, %,d parameters, %,d FLOPs per sample (forward); weights kept: "
                + "%s%n", experiment.model(), spec.parameterCount(), spec.flops(),
                keep.best() && !keep.restoresBest(data.validation() != null)
                        ? "last (no validation split to pick the best by)" : experiment.keep());
        out.printf(Locale.ROOT, "training:      %s%n", experiment.describeTraining());
        out.printf(Locale.ROOT, "augmentation:  %s%n", experiment.describeAugmentation());
        out.flush();
    }

    private static String abbreviated(List<String> names) {
        int shown = Math.min(names.size(), 20);
        String list = String.join(", ", names.subList(0, shown));
        return shown == names.size() ? list : list + ", … (" + (names.size() - shown) + " more)";
    }

    /** Resolves the device now, before any file is written: a GPU that is not there is bad input, not a crash. */
    private static void checkDevice(Trainer trainer) {
        try {
            trainer.device();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Continues the run in place (the directory locked by the caller); {@code epochs} > 0 extends it to that many
     * epochs in all. Data that differs from what the manifest recorded is refused unless {@code allowDataChange}.
     */
    int resume(int epochs, boolean allowDataChange) {
        try (Trainer trainer = Trainer.resume(run.dir(), epochs)) {
            printSetup(trainer.spec(), trainer.normalization(), trainer.config());
            checkDevice(trainer);
            Map<String, Object> change = checkData(trainer.epochsCompleted(), allowDataChange);
            trainer.prepare(data.train(), data.validation(), data.test());
            experiment.write(run);
            Manifest.write(run.dir(), experiment, data, trainer.device(), Instant.now(), null, change);
            return finish(trainer);
        }
    }

    /**
     * Compares the data with the manifest's record; returns the {@code data_changes} entry to add (or null when the
     * data is unchanged).
     *
     * @throws IllegalArgumentException naming the changed file, unless {@code allowed}
     */
    private Map<String, Object> checkData(int epoch, boolean allowed) {
        Manifest.DataCheck check = Manifest.check(run.dir(), data);
        if (check.warning() != null) {
            err.println("warning: " + check.warning());
            err.flush();
        }
        if (check.changes().isEmpty()) {
            return null;
        }
        String what = check.changes().get(0) + (check.changes().size() == 1 ? ""
                : " (and " + (check.changes().size() - 1) + " more)");
        if (!allowed) {
            throw new IllegalArgumentException("cannot resume " + run.dir() + ": " + what + "; resume on the data the"
                    + " run started with, or give --allow-data-change to continue on this data");
        }
        err.println("warning: " + what + "; continuing on this data (--allow-data-change), as " + Manifest.FILE
                + " records");
        err.flush();
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("resumed_after_epoch", epoch);
        change.put("at", Instant.now().toString());
        change.put("changes", check.changes());
        change.put("before", check.recorded());
        return change;
    }

    /**
     * Fits {@code trainer} on the training and validation splits, with TensorBoard event files in
     * {@code dir/tensorboard/} when the experiment asks for them, then writes {@code history.csv}, the SavedModel
     * {@code model/}, its checksums {@code model.sha256} and {@code manifest.json} into {@code dir}. Shared by
     * {@code train} and every sweep trial.
     */
    public static TrainingResult fitAndRecord(Trainer trainer, ExperimentConfig experiment, DataSplits data,
                                              Path dir) {
        return fitAndRecord(trainer, experiment, data, dir, trainer.config().epochs());
    }

    /**
     * {@link #fitAndRecord(Trainer, ExperimentConfig, DataSplits, Path)} that pauses after epoch
     * {@code stopAfterEpoch} ({@link Trainer#fit(Dataset, Dataset, int)}); the files then describe the paused run.
     */
    public static TrainingResult fitAndRecord(Trainer trainer, ExperimentConfig experiment, DataSplits data,
                                              Path dir, int stopAfterEpoch) {
        Instant started = Instant.now();
        TrainingResult result;
        try (TensorBoardListener tensorBoard = experiment.tensorboard()
                ? new TensorBoardListener(dir.resolve(TENSORBOARD)) : null) {
            if (tensorBoard != null) {
                trainer.addListener(tensorBoard);
            }
            result = trainer.fit(data.train(), data.validation(), stopAfterEpoch);
        }
        AppFiles.writeString(dir.resolve(RunDirectory.HISTORY), result.history().toCsv());
        ModelDirectory.deleteChecksums(dir);
        AppFiles.replaceDirectory(dir.resolve(ModelDirectory.SAVED_MODEL), trainer::exportSavedModel);
        ModelDirectory.writeChecksums(dir);
        Manifest.write(dir, experiment, data, result.device(), started);
        return result;
    }

    private int finish(Trainer trainer) {
        trainer.addListener(ProgressBarListener.forConsole());
        long start = System.nanoTime();
        TrainingResult result = fitAndRecord(trainer, experiment, data, run.dir());

        EvaluationResult test = trainer.evaluate(data.test());
        float[][] probabilities = trainer.predictProbabilities(data.test());
        ClassificationReport report = TestReportWriter.write(run.dir(), data.test(), probabilities,
                TestReportWriter.epochRecords(result.history()));

        // Accuracy as the report counts it (so it matches predictions.csv); the loss as training measures it (with
        // any label smoothing and L2, like Keras' evaluate), and the plain cross-entropy as log_loss.
        Map<String, Object> testMetrics = new LinkedHashMap<>(report.toMap());
        report.logLoss().ifPresent(logLoss -> testMetrics.put("log_loss", logLoss));
        testMetrics.put("loss", test.loss());
        testMetrics.put("samples", test.samples());
        testMetrics.put("source", data.testSource());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test", testMetrics);
        metrics.put("epochs_run", result.epochsRun());
        metrics.put("best_epoch", result.bestEpoch());
        metrics.put("tested_epoch", result.keptEpoch());
        metrics.put("tested_weights", result.kept());
        metrics.put("stop_reason", result.stopReason());
        metrics.put("device", result.device());
        metrics.put("train_seconds", result.trainSeconds());
        metrics.put("wall_seconds", (System.nanoTime() - start) / 1e9);
        metrics.put("preset", experiment.preset());
        metrics.put("data", data.name());
        metrics.put("samples", Map.of("train", data.train().size(),
                "validation", data.validation() == null ? 0 : data.validation().size(), "test", data.test().size()));
        if (data.validation() != null && result.epochsRun() > 0) {
            metrics.put("final_val_accuracy", result.history().last().valAccuracy());
        }
        TestReportWriter.writeMetrics(run.dir(), metrics);

        out.println();
        out.print(report.toText());
        out.println();
        out.printf(Locale.ROOT, "test accuracy %.4f, loss %.4f on %d samples (%s)%n", report.accuracy(), test.loss(),
                test.samples(), data.testSource());
        out.printf(Locale.ROOT, "%d epochs (%s; best epoch %d) in %.1f s on %s; tested the weights of epoch %d"
                + " (%s)%n", result.epochsRun(), result.stopReason(), result.bestEpoch(), result.trainSeconds(),
                result.device(), result.keptEpoch(), result.kept());
        out.printf("run directory: %s (metrics.json, history.csv, predictions.csv, report.txt, %smodel/,"
                + " manifest.json%s)%n", run.dir(), Plots.canDrawText() ? "plots/, " : "",
                experiment.tensorboard() ? ", " + TENSORBOARD + "/" : "");
        out.flush();
        return 0;
    }

    /**
     * The experiment's model (its inline spec, or {@link #model(String, double, Dataset)} of its {@code model})
     * with the experiment's dropout.
     */
    public static ModelSpec model(ExperimentConfig experiment, Dataset train) {
        ModelSpec inline = experiment.inlineModel();
        if (inline == null) {
            return model(experiment.model(), experiment.dropout(), train);
        }
        checkClasses(inline, "the inline model spec", train);
        return withDropout(inline, experiment.dropout());
    }

    /**
     * The named model preset, or the spec file {@code model}, for the data's shape and classes, with
     * {@code dropout} after every hidden dense layer that has none.
     */
    private static ModelSpec model(String model, double dropout, Dataset train) {
        ModelSpec spec;
        if (Presets.names().contains(model)) {
            spec = Presets.model(model, train.shape().height(), train.shape().width(), train.shape().channels(),
                    train.numClasses());
        } else {
            Path file = Path.of(model);
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("model '" + model + "' is neither a model preset ("
                        + String.join(", ", Presets.names()) + ") nor a spec file");
            }
            spec = AppFiles.readModelSpec(file);
            checkClasses(spec, "model " + model, train);
        }
        return withDropout(spec, dropout);
    }

    private static ModelSpec withDropout(ModelSpec spec, double dropout) {
        if (dropout == 0) {
            return spec;
        }
        List<LayerSpec> layers = new ArrayList<>();
        List<LayerSpec> given = spec.layers();
        for (int i = 0; i < given.size(); i++) {
            layers.add(given.get(i));
            boolean followedByDropout = i + 1 < given.size() && given.get(i + 1) instanceof LayerSpec.Dropout;
            if (given.get(i) instanceof LayerSpec.Dense && !followedByDropout) {
                layers.add(new LayerSpec.Dropout(dropout));
            }
        }
        return new ModelSpec(spec.inputShape(), layers, spec.head());
    }

    private static void checkClasses(ModelSpec spec, String what, Dataset train) {
        if (spec.head().numClasses() != train.numClasses()) {
            throw new IllegalArgumentException(what + " has " + spec.head().numClasses()
                    + " classes but the data has " + train.numClasses());
        }
    }

}
