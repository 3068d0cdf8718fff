package org.digitlab.app.tune;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.digitlab.app.DataOptions;
import org.digitlab.app.UsesTensorFlow;
import org.digitlab.app.train.ExperimentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code digitlab grid}: the cartesian product of learning rates, batch sizes, epochs and optimizers on one preset —
 * {@code digitlab tune --search grid} over those four flags, run by {@code --parallel} workers in this process.
 * Every trial uses the same seed and therefore the same train/validation/test split; trials are ranked by their
 * best validation accuracy (ties: lower validation loss) and only the chosen trial sees the test set.
 */
@Command(name = "grid", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Grid search over a preset's hyper-parameters, chosen on validation accuracy.",
            "Same as 'digitlab tune --search grid' over --lr, --batch-size, --epochs and",
            "--optimizer, with --parallel workers in this process.",
            "OUT receives sweep.json (the resolved grid), trials/NNNN/ per trial",
            "(config.json, history.csv, rung-0.json, model/, checkpoints/), test/ (the",
            "test report of the chosen trial only), summary.csv, summary.md and summary.png.",
            ""},
        footer = {"",
            "Every trial has the same seed, so the same train/validation/test split.",
            "Rerunning the same command skips finished trials (with rung-0.json) and",
            "continues interrupted ones from their last checkpoint; a different grid",
            "in the same OUT is refused. A list flag left out keeps the preset's value."})
public final class GridCommand implements Callable<Integer>, UsesTensorFlow {

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

    @Mixin
    SweepBaseOptions shared;

    @Option(names = "--out", paramLabel = "DIR", description = "Grid directory (default runs/grid-<preset>).")
    Path out;

    @Override
    public Integer call() {
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be ≥ 1, got " + parallel);
        }
        ExperimentConfig base = shared.base(preset, spec, data, Map.of(), Metric.VAL_ACCURACY);
        // A list left out is the preset's value, so the summary always shows all four columns.
        Map<String, String> space = new LinkedHashMap<>();
        space.put("lr", values(lr, base.lr()));
        space.put("batch_size", values(batchSize, base.batchSize()));
        space.put("epochs", values(epochs, base.epochs()));
        space.put("optimizer", values(optimizer, base.optimizer()));
        int trials = (int) SearchSpace.parse(space).gridSize();
        SweepSpec grid = new SweepSpec("grid", base, space, trials, true, Metric.VAL_ACCURACY.key(), 0, 0);
        PrintWriter printer = spec.commandLine().getOut();
        LocalSweep sweep = LocalSweep.create(grid, out != null ? out : Path.of("runs", "grid-" + preset), printer);
        sweep.run(Math.min(parallel, trials), 60, printer);
        sweep.print(printer);
        return 0;
    }

    private static <T> String values(List<T> given, T preset) {
        return given == null ? String.valueOf(preset)
                : given.stream().map(SweepResults::plain).collect(Collectors.joining(","));
    }
}
