package org.digitlab.app.tune;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.digitlab.app.train.ExperimentConfig;

/**
 * A sweep as data, saved as the sweep directory's {@code sweep.json}: the base experiment, the search space and
 * the strategy. Every worker derives the same trials from it — trial {@code i}'s configuration is a pure function
 * of this record and {@code i} — so workers need nothing but the directory.
 *
 * @param search     {@code grid} (every combination), {@code random} or {@code asha} ({@code trials} draws)
 * @param base       the experiment every trial starts from; for {@code asha} its epochs are R and early stopping
 *                   is off (successive halving decides when a trial stops)
 * @param space      config key → values, as on the command line ({@code "lr": "1e-4..1e-1:log"})
 * @param trials     number of trials (for {@code grid}: the number of combinations)
 * @param everyCombination the trials are the space's combinations, each once, in grid order (always for
 *                   {@code grid}; for {@code random} and {@code asha} when {@code --trials} is left out and every
 *                   parameter is a list), rather than draws
 * @param metric     {@code val_accuracy} or {@code val_loss}: what trials are ranked by
 * @param minEpochs  {@code asha}: r, the first rung's epochs (0 otherwise)
 * @param reduction  {@code asha}: η, the top 1/η of a rung is promoted (0 otherwise)
 */
record SweepSpec(
        String search,
        ExperimentConfig base,
        Map<String, String> space,
        int trials,
        @JsonProperty("every_combination") boolean everyCombination,
        String metric,
        @JsonProperty("min_epochs") int minEpochs,
        int reduction) {

    /** The strategies, as {@code --search} names them. */
    static final List<String> SEARCHES = List.of("grid", "random", "asha");

    /** Validates the strategy's settings and every parameter's values; messages name the flag. */
    SweepSpec {
        if (!SEARCHES.contains(search)) {
            throw new IllegalArgumentException("--search must be grid, random or asha, got '" + search + "'");
        }
        SearchSpace parsed = SearchSpace.parse(space);
        space = Collections.unmodifiableMap(parsed.texts());
        Metric.parse(metric);
        if (search.equals("grid") || everyCombination) {
            everyCombination = true;
            long size = parsed.gridSize();
            if (size != trials) {
                throw new IllegalArgumentException("a grid of " + size + " combinations has " + size
                        + " trials, not " + trials);
            }
        } else if (trials < 1) {
            throw new IllegalArgumentException("--trials must be ≥ 1, got " + trials);
        }
        if (search.equals("asha")) {
            if (parsed.domains().containsKey(Param.EPOCHS)) {
                throw new IllegalArgumentException("--search asha trains every trial for up to --max-epochs;"
                        + " give that instead of --epochs");
            }
            AshaScheduler.rungEpochs(minEpochs, base.epochs(), reduction);
        }
    }

    /** Trial {@code trial}'s hyper-parameters: config key → value, in {@link Param} order. */
    Map<String, Object> params(int trial) {
        SearchSpace parsed = searchSpace();
        return everyCombination ? parsed.gridPoint(trial) : parsed.sample(base.seed(), trial);
    }

    /** Trial {@code trial}'s experiment: the base with its hyper-parameters. */
    ExperimentConfig config(int trial) {
        return base.with(params(trial));
    }

    /**
     * Builds every trial's experiment once, and the experiments at both ends of every range, so a value the
     * experiment rejects (a negative rate, an unknown optimizer) fails before anything trains.
     */
    void validateTrials() {
        for (int t = 0; t < trials; t++) {
            config(t);
        }
        searchSpace().domains().forEach((param, domain) -> {
            if (domain instanceof Domain.Range range) {
                boolean whole = param.type() == Param.Type.INTEGER;
                base.with(Map.of(param.key(), whole ? (Object) (int) range.low() : range.low()));
                base.with(Map.of(param.key(), whole ? (Object) (int) range.high() : range.high()));
            }
        });
    }

    /** The parsed search space. */
    @JsonIgnore
    SearchSpace searchSpace() {
        return SearchSpace.parse(space);
    }

    /** The metric trials are ranked by. */
    @JsonIgnore
    Metric rankBy() {
        return Metric.parse(metric);
    }

    /** {@code asha}'s rung epochs (r, r·η, …, R); one rung of the trial's own epochs otherwise (then empty). */
    @JsonIgnore
    List<Integer> rungEpochs() {
        return search.equals("asha") ? AshaScheduler.rungEpochs(minEpochs, base.epochs(), reduction) : List.of();
    }

    /** Epochs trial {@code trial} has trained once it reaches rung {@code rung}. */
    int epochsAt(int trial, int rung) {
        return search.equals("asha") ? rungEpochs().get(rung) : config(trial).epochs();
    }

    /** The scheduler of this sweep. */
    AshaScheduler scheduler() {
        List<Integer> rungs = rungEpochs();
        return new AshaScheduler(trials, Math.max(1, rungs.size()), Math.max(2, reduction), rankBy());
    }

    /** One line: strategy, trials and rungs, e.g. {@code asha: 27 trials, rungs at 1, 3, 9 epochs (η = 3)}. */
    String describe() {
        List<String> rungs = new ArrayList<>();
        rungEpochs().forEach(e -> rungs.add(String.valueOf(e)));
        return String.format(Locale.ROOT, "%s search, %d trials%s%s, selected on %s", search, trials,
                everyCombination && !search.equals("grid") ? " (every combination)" : "",
                rungs.isEmpty() ? "" : ", rungs at " + String.join(", ", rungs) + " epochs (η = " + reduction + ")",
                metric);
    }
}
