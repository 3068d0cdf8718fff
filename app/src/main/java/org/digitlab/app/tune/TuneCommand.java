package org.digitlab.app.tune;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.digitlab.app.DataOptions;
import org.digitlab.app.UsesTensorFlow;
import org.digitlab.app.train.ExperimentConfig;
import org.digitlab.app.train.Experiments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code digitlab tune}: a hyper-parameter sweep — grid, random or ASHA search over a preset's training flags —
 * run by any number of interchangeable workers that share nothing but the sweep directory. Selection is on
 * validation data only; the chosen trial alone is tested.
 */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = TuneStatusCommand.class,
        description = {
            "Hyper-parameter search (grid, random or ASHA) run by any number of workers.",
            "Trials vary a preset's training flags, are chosen on validation data, and",
            "share nothing but the sweep directory.",
            "Values: a list (--lr 0.001,0.01) or, for random and asha, a range:",
            "--lr 1e-4..1e-1:log, --batch-size 32..256:pow2, --dropout 0..0.5,",
            "--augment-shift 0..2 (whole numbers for integer flags).",
            "DIR receives sweep.json, trials/NNNN/ (a run directory per trial, with",
            "rung-K.json results), test/ (the test report of the chosen trial only),",
            "summary.csv, summary.md and summary.png. 'digitlab worker DIR' adds a",
            "worker anywhere DIR is mounted; 'digitlab tune status DIR' reports.",
            ""},
        footer = {"",
            "ASHA (asynchronous successive halving): rungs at r, r*η, ..., R epochs; the",
            "top 1/η of a rung is promoted and continues from its checkpoint, the others",
            "stop there. Every trial's learning-rate schedule spans R epochs, so a",
            "promoted trial gets the rates of one trained straight to R.",
            "Every trial has the same seed, hence the same train/validation/test split;",
            "random and ASHA trials are drawn from --seed by trial index, whatever the",
            "number of workers. Rerunning the same command continues the sweep; a",
            "different sweep in the same DIR is refused."})
public final class TuneCommand implements Callable<Integer>, UsesTensorFlow {

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--search", paramLabel = "grid|random|asha", defaultValue = "grid",
            description = "Search strategy. Default: ${DEFAULT-VALUE}.")
    String search;

    @Option(names = "--preset", paramLabel = "NAME", description = "Experiment preset the trials start from.")
    String preset;

    @Option(names = "--dir", paramLabel = "DIR", description = "Sweep directory (default runs/tune-<preset>).")
    Path dir;

    @Option(names = "--trials", paramLabel = "N", description = "Trials to draw (random, asha; left out with only "
            + "lists of values: every combination once).")
    Integer trials;

    @Option(names = "--metric", paramLabel = "val_accuracy|val_loss", defaultValue = "val_accuracy",
            description = "Validation metric to select on. Default: ${DEFAULT-VALUE}.")
    String metric;

    @Option(names = "--max-epochs", paramLabel = "R", description = "ASHA: epochs of a trial that reaches the top "
            + "rung (default: the preset's epochs).")
    Integer maxEpochs;

    @Option(names = "--min-epochs", paramLabel = "r", defaultValue = "1",
            description = "ASHA: epochs of the first rung. Default: ${DEFAULT-VALUE}.")
    int minEpochs;

    @Option(names = "--reduction", paramLabel = "η", defaultValue = "3",
            description = "ASHA: the top 1/η of a rung is promoted. Default: ${DEFAULT-VALUE}.")
    int reduction;

    @Option(names = "--lr", paramLabel = "VALUES", description = "Learning rates.")
    String lr;

    @Option(names = "--batch-size", paramLabel = "VALUES", description = "Batch sizes.")
    String batchSize;

    @Option(names = "--epochs", paramLabel = "VALUES", description = "Epoch counts (grid, random).")
    String epochs;

    @Option(names = "--optimizer", paramLabel = "VALUES",
            description = "Optimizers: sgd, momentum, nesterov, adam, adamw, rmsprop.")
    String optimizer;

    @Option(names = "--model", paramLabel = "VALUES", description = "Model presets (or spec files).")
    String model;

    @Option(names = "--weight-decay", paramLabel = "VALUES", description = "Weight decays.")
    String weightDecay;

    @Option(names = "--dropout", paramLabel = "VALUES", description = "Dropout rates.")
    String dropout;

    @Option(names = "--schedule", paramLabel = "VALUES", description = "Learning-rate schedules (as for train).")
    String schedule;

    @Option(names = "--label-smoothing", paramLabel = "VALUES", description = "Label smoothing shares.")
    String labelSmoothing;

    @Option(names = "--augment-shift", paramLabel = "VALUES", description = "Random shifts in pixels.")
    String augmentShift;

    @Option(names = "--augment-flip", paramLabel = "VALUES", description = "Random left-right flips: true,false.")
    String augmentFlip;

    @Option(names = "--clip-norm", paramLabel = "VALUES", description = "Gradient clipping norms (0 = off).")
    String clipNorm;

    @Option(names = "--augment-crop", paramLabel = "VALUES", description = "Random crops after mirrored padding, "
            + "in pixels.")
    String augmentCrop;

    @Option(names = "--augment-rotate", paramLabel = "VALUES", description = "Random rotations, ± degrees.")
    String augmentRotate;

    @Option(names = "--augment-scale", paramLabel = "VALUES", description = "Random zooms, 1 ± this fraction.")
    String augmentScale;

    @Option(names = "--augment-erase", paramLabel = "VALUES", description = "Random erasing probabilities.")
    String augmentErase;

    @Mixin
    SweepBaseOptions shared;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = "Local workers: 1 runs in this process, N > 1 starts N worker processes, 0 only creates "
                    + "the sweep (for 'digitlab worker' elsewhere). Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--gpus", split = ",", paramLabel = "ID",
            description = "One worker process per listed GPU, each seeing only its own (CUDA_VISIBLE_DEVICES).")
    List<String> gpus;

    @Option(names = "--lease-seconds", paramLabel = "S", defaultValue = "60",
            description = "A worker that has not renewed its lease for this long is taken for dead and its trial "
                    + "taken over. Default: ${DEFAULT-VALUE}.")
    double leaseSeconds;

    @Override
    public Integer call() {
        if (preset == null) {
            throw new IllegalArgumentException("give --preset NAME (" + String.join(", ", Experiments.names())
                    + "), or 'tune status DIR'");
        }
        int processes = processes();
        PrintWriter out = spec.commandLine().getOut();
        LocalSweep sweep = LocalSweep.create(sweep(), dir != null ? dir : Path.of("runs", "tune-" + preset), out);
        if (processes == 0) {
            out.printf("created; add workers with: digitlab worker %s%n", sweep.files().dir());
            out.flush();
            return 0;
        }
        if ((processes > 1 || gpus != null) && !SweepStatus.of(sweep.spec(), sweep.files()).finished()) {
            WorkerProcesses started = WorkerProcesses.start(sweep.files().dir(), processes, gpus, leaseSeconds);
            int failed = started.await(sweep.spec(), sweep.files(), out);
            if (failed > 0 && !SweepStatus.of(sweep.spec(), sweep.files()).finished()) {
                out.printf("%d worker(s) failed; this process carries on what is left%n", failed);
            }
        }
        // Works on what is left (everything with one worker), then writes the summary unless a worker has.
        sweep.run(1, leaseSeconds, out);
        sweep.print(out);
        return 0;
    }

    /** Worker processes to start (0: none, 1: this one). */
    private int processes() {
        if (workers < 0) {
            throw new IllegalArgumentException("--workers must be ≥ 0, got " + workers);
        }
        if (gpus == null) {
            return workers;
        }
        boolean workersGiven = spec.commandLine().getParseResult().hasMatchedOption("--workers");
        if (workersGiven && workers != gpus.size()) {
            throw new IllegalArgumentException("--gpus " + String.join(",", gpus) + " starts one worker per GPU ("
                    + gpus.size() + "), not --workers " + workers);
        }
        return gpus.size();
    }

    /** The sweep these flags describe. */
    SweepSpec sweep() {
        String strategy = search.trim().toLowerCase(Locale.ROOT);
        if (!SweepSpec.SEARCHES.contains(strategy)) {
            throw new IllegalArgumentException("--search must be grid, random or asha, got '" + search + "'");
        }
        Map<String, Object> overrides = new LinkedHashMap<>();
        if (strategy.equals("asha")) {
            overrides.put("epochs", maxEpochs);
            overrides.put("early_stopping", "off");
        } else if (maxEpochs != null) {
            throw new IllegalArgumentException("--max-epochs goes with --search asha; give --epochs for " + strategy);
        }
        ExperimentConfig base = shared.base(preset, spec, data, overrides, Metric.parse(metric));
        Map<String, String> space = space();
        int count;
        if (strategy.equals("grid")) {
            if (trials != null) {
                throw new IllegalArgumentException("--trials goes with --search random or asha; a grid runs every "
                        + "combination");
            }
            count = (int) Math.min(Integer.MAX_VALUE, SearchSpace.parse(space).gridSize());
        } else if (trials != null) {
            count = trials;
        } else if (!space.isEmpty() && !SearchSpace.parse(space).hasRanges()) {
            count = (int) Math.min(Integer.MAX_VALUE, SearchSpace.parse(space).gridSize());
        } else {
            throw new IllegalArgumentException("--search " + strategy + " needs --trials N (or only lists of values,"
                    + " to try every combination once)");
        }
        boolean asha = strategy.equals("asha");
        return new SweepSpec(strategy, base, space, count, trials == null, Metric.parse(metric).key(),
                asha ? minEpochs : 0, asha ? reduction : 0);
    }

    /** The searched flags: config key → values as given. */
    private Map<String, String> space() {
        Map<String, String> space = new LinkedHashMap<>();
        put(space, Param.LR, lr);
        put(space, Param.BATCH_SIZE, batchSize);
        put(space, Param.EPOCHS, epochs);
        put(space, Param.OPTIMIZER, optimizer);
        put(space, Param.MODEL, model);
        put(space, Param.WEIGHT_DECAY, weightDecay);
        put(space, Param.DROPOUT, dropout);
        put(space, Param.SCHEDULE, schedule);
        put(space, Param.LABEL_SMOOTHING, labelSmoothing);
        put(space, Param.AUGMENT_SHIFT, augmentShift);
        put(space, Param.AUGMENT_FLIP, augmentFlip);
        put(space, Param.CLIP_NORM, clipNorm);
        put(space, Param.AUGMENT_CROP, augmentCrop);
        put(space, Param.AUGMENT_ROTATE, augmentRotate);
        put(space, Param.AUGMENT_SCALE, augmentScale);
        put(space, Param.AUGMENT_ERASE, augmentErase);
        return space;
    }

    private static void put(Map<String, String> space, Param param, String values) {
        if (values != null) {
            space.put(param.key(), values);
        }
    }
}
