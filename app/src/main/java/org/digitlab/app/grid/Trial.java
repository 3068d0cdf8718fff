package org.digitlab.app.grid;

import java.math.BigDecimal;
import java.util.Locale;
import org.digitlab.app.train.ExperimentConfig;

/**
 * One point of the grid: the base experiment with these hyper-parameters.
 *
 * @param name directory name, stable across runs: {@code lr=0.001_bs=32_ep=10_opt=adam}
 */
record Trial(String name, double lr, int batchSize, int epochs, String optimizer, ExperimentConfig experiment) {

    static Trial of(ExperimentConfig experiment) {
        String name = String.format(Locale.ROOT, "lr=%s_bs=%d_ep=%d_opt=%s", plain(experiment.lr()),
                experiment.batchSize(), experiment.epochs(), experiment.optimizer().toLowerCase(Locale.ROOT));
        return new Trial(name, experiment.lr(), experiment.batchSize(), experiment.epochs(), experiment.optimizer(),
                experiment);
    }

    /** {@code 0.001} rather than {@code 1.0E-3}, so names read like the command line. */
    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
