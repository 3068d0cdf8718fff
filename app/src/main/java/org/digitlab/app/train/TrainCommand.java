package org.digitlab.app.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.digitlab.app.DataOptions;
import org.digitlab.app.UsesTensorFlow;
import org.digitlab.data.OutputFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code digitlab train}: one experiment per invocation. A preset (or a config file) gives the whole experiment;
 * flags override single settings; the run directory receives the resolved config, history, metrics, predictions,
 * the SavedModel and the checkpoints.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train a model and test it: one experiment per run.",
            "The run directory receives config.json, manifest.json, history.csv, metrics.json,",
            "predictions.csv, report.txt, confusion.csv, plots/, model/ (SavedModel), model.json,",
            "normalization.json, dataset.json, model.sha256, checkpoints/, run.lock and, with",
            "--tensorboard, tensorboard/.",
            "Presets are whole experiments (see --preset; 'digitlab presets' describes each).",
            "The reference recipe, on any preset:",
            "  " + Experiments.REFERENCE_FLAGS,
            ""},
        footer = {"",
            "Datasets with an official test split (mnist, fashion-mnist) are tested on it;",
            "otherwise a stratified test split (--test-fraction, default 0.2) is held out.",
            "Validation is a stratified --val-fraction (default 0.1) of the training part.",
            "--resume DIR continues that run in place; with --epochs N, up to N epochs in all.",
            "A run directory is locked (run.lock) while a run writes it; a run that failed",
            "before completing an epoch is started over by the next train --out DIR."})
public final class TrainCommand implements Callable<Integer>, UsesTensorFlow {

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--preset", paramLabel = "NAME", description = "Experiment preset: ${COMPLETION-CANDIDATES}.",
            completionCandidates = PresetNames.class)
    String preset;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Experiment config (JSON or YAML, as the config.json of a run; its model may be a preset "
                    + "name, a spec file or an inline spec); flags override it.")
    Path config;

    @Option(names = "--model", paramLabel = "NAME|FILE",
            description = "Model preset (logreg, mlp, mlp-deep, mlp-binary, cnn, cnn-bn, resnet-small, resnet-wide)"
                    + " or a model spec file; 'digitlab model' prints its layers, parameters and FLOPs.")
    String model;

    @Option(names = "--test-images", paramLabel = "FILE", description = "Test images (IDX); needs --test-labels.")
    Path testImages;

    @Option(names = "--test-labels", paramLabel = "FILE", description = "Test labels (IDX).")
    Path testLabels;

    @Option(names = "--test-csv", paramLabel = "FILE", description = "Test set as CSV, read like --csv.")
    Path testCsv;

    @Option(names = "--test-image-dir", paramLabel = "DIR",
            description = "Test set as an image folder, read like --image-dir at its size and colour; its class "
                    + "folders must be training classes (a class may be missing).")
    Path testImageDir;

    @Option(names = "--val-fraction", paramLabel = "X", description = "Validation share of the training data.")
    Double valFraction;

    @Option(names = "--test-fraction", paramLabel = "X",
            description = "Test share held out when the data has no test set.")
    Double testFraction;

    @Option(names = "--limit", paramLabel = "N", description = "Use only a stratified sample of N training (and test) samples.")
    Integer limit;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs in all.")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Samples per step.")
    Integer batchSize;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "sgd, momentum, nesterov, adam, adamw or rmsprop.")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X", description = "Base learning rate.")
    Double lr;

    @Option(names = "--schedule", paramLabel = "SPEC", description = "constant, step:N[:gamma], exp:gamma, "
            + "cosine[:warmup[:min_lr]], onecycle[:max_lr] or plateau[:factor[:patience[:min_lr]]].")
    String schedule;

    @Option(names = "--weight-decay", paramLabel = "X",
            description = "Decoupled weight decay for adamw, L2 for the other optimizers.")
    Double weightDecay;

    @Option(names = "--early-stopping", paramLabel = "SPEC",
            description = "off, val_loss[:patience[:min_delta]] or val_accuracy[:patience[:min_delta]].")
    String earlyStopping;

    @Option(names = "--keep", paramLabel = "best|last",
            description = "Weights to test and export: best (the best epoch's by early stopping's monitor, else "
                    + "val_loss; best:val_accuracy picks by accuracy) or last. Default: best.")
    String keep;

    @Option(names = "--augment-shift", paramLabel = "PIXELS",
            description = "Random shift of training images by up to this many pixels; 0 = off.")
    Integer augmentShift;

    @Option(names = "--augment-flip", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "Mirror training images left-right at random (clothes, not digits).")
    Boolean augmentFlip;

    @Option(names = "--augment-crop", paramLabel = "PIXELS",
            description = "Pad training images by this many mirrored pixels, then crop them back at random: a shift"
                    + " with mirrored instead of black borders (give it or --augment-shift); 0 = off.")
    Integer augmentCrop;

    @Option(names = "--augment-rotate", paramLabel = "DEGREES",
            description = "Rotate training images by a random angle within ± this many degrees; 0 = off.")
    Double augmentRotate;

    @Option(names = "--augment-scale", paramLabel = "X",
            description = "Zoom training images by a random factor within 1 ± X (one affine map with the rotation);"
                    + " 0 = off.")
    Double augmentScale;

    @Option(names = "--augment-erase", paramLabel = "P",
            description = "Random erasing: with probability P blacken a random rectangle of 2-33%% of a training"
                    + " image; 0 = off.")
    Double augmentErase;

    @Option(names = "--label-smoothing", paramLabel = "X",
            description = "Share of each target spread over all classes, as in Keras; 0 = off.")
    Double labelSmoothing;

    @Option(names = "--dropout", paramLabel = "X",
            description = "Dropout after every hidden dense layer that has none; 0 = the model as is.")
    Double dropout;

    @Option(names = "--normalization", paramLabel = "SPEC", description = "standardize:MEAN:STD, fit, scale or none.")
    String normalization;

    @Option(names = "--clip-norm", paramLabel = "X", description = "Clip gradients by global norm; 0 = off.")
    Double clipNorm;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of splits, initialisation, order and noise.")
    Long seed;

    @Option(names = "--deterministic", description = "One thread: bit-for-bit repeatable, exactly resumable.")
    Boolean deterministic;

    @Option(names = "--device", paramLabel = "DEVICE", description = "cpu, gpu or auto.")
    String device;

    @Option(names = "--steps-per-call", paramLabel = "K",
            description = "Training steps run by one TensorFlow call (Keras' steps_per_execution): less overhead "
                    + "per step, the same result; the progress bar then moves K steps at a time. Default: 1.")
    Integer stepsPerCall;

    @Option(names = "--precision", paramLabel = "P",
            description = "float32, or mixed_bfloat16: bfloat16 convolutions and products with float32 weights (as"
                    + " Keras' policy), faster on CPUs with AMX or AVX512-BF16 (resnet-wide: 1.45x). Default: float32.")
    String precision;

    @Option(names = "--tensorboard", description = "Also write TensorBoard event files into DIR/tensorboard/.")
    Boolean tensorboard;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default runs/<preset>-<timestamp>).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR in place.")
    Path resume;

    @Option(names = "--allow-data-change",
            description = "With --resume: continue even though the data differs from what the run started on "
                    + "(manifest.json then records both).")
    boolean allowDataChange;

    @Override
    public Integer call() {
        String command = "digitlab " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        if (resume != null) {
            return resume(command);
        }
        if (allowDataChange) {
            throw new ParameterException(spec.commandLine(), "--allow-data-change goes with --resume");
        }
        ExperimentConfig resolved = resolve();
        Path dir = out != null ? out : defaultRunDir(resolved.preset());
        OutputFiles.checkOutputDirectory(dir, "--out");
        try (RunDirectory run = new RunDirectory(dir, command)) {
            if (Files.isDirectory(dir)) {
                // At once, before the data is read: a directory in use or holding a run is refused first.
                run.refuseResumable();
            }
            return new TrainingRun(resolved, run, loadData(resolved), spec.commandLine().getOut(),
                    spec.commandLine().getErr())
                    .start();
        }
    }

    /** {@code --resume DIR}: the directory locked at once, then checked, then the run continued with its config. */
    private Integer resume(String command) {
        rejectWithResume();
        OutputFiles.checkOutputDirectory(resume, "--resume");
        if (!Files.isDirectory(resume)) {
            throw new IllegalArgumentException("--resume " + resume + (Files.exists(resume) ? " is not a directory"
                    : " does not exist") + "; give the run directory 'digitlab train --out' wrote");
        }
        try (RunDirectory run = new RunDirectory(resume, command)) {
            run.requireResumable();
            ExperimentConfig saved = ExperimentConfig.read(resume.resolve(RunDirectory.CONFIG), null);
            ExperimentConfig resolved = epochs == null ? saved : saved.with(Map.of("epochs", epochs));
            return new TrainingRun(resolved, run, loadData(resolved), spec.commandLine().getOut(),
                    spec.commandLine().getErr())
                    .resume(epochs == null ? 0 : epochs, allowDataChange);
        }
    }

    /** Preset or config file, then the flags on top. */
    ExperimentConfig resolve() {
        if (preset != null && config != null) {
            throw new ParameterException(spec.commandLine(), "give --preset or --config, not both");
        }
        ExperimentConfig base;
        if (config != null) {
            base = ExperimentConfig.read(config, null);
        } else if (preset != null) {
            base = Experiments.preset(preset);
        } else if (model != null) {
            base = Experiments.custom(model);
        } else {
            throw new ParameterException(spec.commandLine(),
                    "give --preset NAME (" + String.join(", ", Experiments.names()) + "), --config FILE or --model");
        }
        Map<String, Object> flags = new LinkedHashMap<>();
        Map<String, String> dataFlags = DataArguments.matched(spec);
        Map<String, String> testFlags = DataArguments.testFiles(testImages, testLabels, testCsv, testImageDir);
        if (!dataFlags.isEmpty() || !testFlags.isEmpty()) {
            // New training data replaces the preset's; test files alone keep it.
            Map<String, String> merged = new LinkedHashMap<>(dataFlags.isEmpty() ? base.data() : dataFlags);
            if (!testFlags.isEmpty()) {
                merged.keySet().removeIf(key -> key.startsWith("test-"));
                merged.putAll(testFlags);
            }
            flags.put("data", merged);
        }
        flags.put("classes", data.classes());
        flags.put("model", model);
        flags.put("dropout", dropout);
        flags.put("normalization", normalization);
        flags.put("val_fraction", valFraction);
        flags.put("test_fraction", testFraction);
        flags.put("limit", limit);
        flags.put("epochs", epochs);
        flags.put("batch_size", batchSize);
        flags.put("optimizer", optimizer);
        flags.put("lr", lr);
        flags.put("weight_decay", weightDecay != null ? weightDecay : defaultWeightDecay(base));
        flags.put("schedule", schedule);
        flags.put("early_stopping", earlyStopping);
        flags.put("keep", keep);
        flags.put("augment_shift", augmentShift);
        flags.put("augment_flip", augmentFlip);
        flags.put("augment_crop", augmentCrop);
        flags.put("augment_rotate", augmentRotate);
        flags.put("augment_scale", augmentScale);
        flags.put("augment_erase", augmentErase);
        flags.put("label_smoothing", labelSmoothing);
        flags.put("clip_norm", clipNorm);
        flags.put("seed", seed);
        flags.put("deterministic", deterministic);
        flags.put("device", device);
        flags.put("tensorboard", tensorboard);
        flags.put("steps_per_call", stepsPerCall);
        flags.put("precision", precision);
        return base.with(flags);
    }

    /** Switching the optimizer without --weight-decay takes the new optimizer's default (AdamW: 0.01). */
    private Double defaultWeightDecay(ExperimentConfig base) {
        if (optimizer == null || optimizer.equalsIgnoreCase(base.optimizer())) {
            return null;
        }
        return org.digitlab.training.OptimizerConfig.parse(optimizer, 1e-3).weightDecay();
    }

    private DataSplits loadData(ExperimentConfig experiment) {
        return DataSplits.load(experiment, DataArguments.load(experiment));
    }

    private void rejectWithResume() {
        for (OptionSpec option : spec.options()) {
            String name = option.longestName();
            boolean allowed = name.equals("--resume") || name.equals("--epochs") || name.equals("--verbose")
                    || name.equals("--allow-data-change");
            if (!allowed && spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new ParameterException(spec.commandLine(), "--resume continues a run with its saved config;"
                        + " only --epochs and --allow-data-change may be given with it, not " + name);
            }
        }
    }

    private static Path defaultRunDir(String presetName) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        return Path.of("runs", presetName + "-" + stamp);
    }

    /** Completion candidates for --preset (shown in the help). */
    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Experiments.names().iterator();
        }
    }
}
