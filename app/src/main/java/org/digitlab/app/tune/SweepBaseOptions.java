package org.digitlab.app.tune;

import java.util.LinkedHashMap;
import java.util.Map;
import org.digitlab.app.DataOptions;
import org.digitlab.app.train.DataArguments;
import org.digitlab.app.train.ExperimentConfig;
import org.digitlab.app.train.Experiments;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The settings every trial of a sweep shares, as a picocli {@code @Mixin} of {@code tune} and {@code grid}: seed,
 * sample limit, validation share, device and determinism (with the command's data options, the same data and the
 * same split for every trial).
 */
final class SweepBaseOptions {
    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of every trial (splits, initialisation, order) and of random draws.")
    Long seed;

    @Option(names = "--deterministic", description = "One thread per trial: bit-for-bit repeatable trials.")
    Boolean deterministic;

    @Option(names = "--limit", paramLabel = "N",
            description = "Use only a stratified sample of N training (and test) samples.")
    Integer limit;

    @Option(names = "--val-fraction", paramLabel = "X",
            description = "Validation share of the training data (default: the preset's).")
    Double valFraction;

    @Option(names = "--device", paramLabel = "DEVICE", description = "cpu, gpu or auto.")
    String device;

    /**
     * The preset with these settings, the data options matched on {@code command} (with its {@code --classes}
     * selection) and {@code overrides} (config
     * keys; null values are left out). Trials keep (test and export) the weights of their best epoch by the
     * sweep's {@code metric}, the epoch they are ranked by, unless early stopping decides which epoch is best.
     */
    ExperimentConfig base(String preset, CommandSpec command, DataOptions data, Map<String, Object> overrides,
                          Metric metric) {
        Map<String, Object> fixed = new LinkedHashMap<>();
        Map<String, String> dataFlags = DataArguments.matched(command);
        fixed.put("data", dataFlags.isEmpty() ? null : dataFlags);
        fixed.put("classes", data.classes());
        fixed.put("seed", seed);
        fixed.put("limit", limit);
        fixed.put("val_fraction", valFraction);
        fixed.put("device", device);
        fixed.put("deterministic", deterministic);
        fixed.putAll(overrides);
        ExperimentConfig base = Experiments.preset(preset).with(fixed);
        return base.training().earlyStopping() == null ? base.with(Map.of("keep", "best:" + metric.key())) : base;
    }
}
