package org.digitlab.app.train;

import java.util.List;
import org.digitlab.data.ClassFilter;
import org.digitlab.data.ClassLabels;
import org.digitlab.data.Dataset;
import org.digitlab.data.StratifiedSplit;

/**
 * The train, validation and test sets of a run. The test set is the data's own (official split or given files)
 * when there is one, else a stratified {@code test_fraction} of the data; validation is a stratified
 * {@code val_fraction} of what remains. Both splits are seeded with the experiment's seed, so a resumed run sees
 * the same sets. With {@code classes}, only those classes are kept (relabelled 0…k−1) before any of this, in
 * training and test data alike; {@code limit} then takes a stratified sample of that many of the kept samples.
 *
 * @param kind       what kind of source it is: a built-in dataset's name, image-folder, idx, csv, npz or npy
 * @param validation null when {@code val_fraction} is 0
 * @param testSource where the test set came from, e.g. {@code official test split}
 * @param sources    the data files read, as paths or {@code classpath:/…} (for the run's manifest)
 * @param selectedFrom the source's classes when {@code classes} selected some of them, else null
 */
public record DataSplits(String name, String kind, Dataset train, Dataset validation, Dataset test,
                         String testSource, List<String> sources, List<String> selectedFrom) {

    /** Loads the data {@code experiment} names and splits it. */
    public static DataSplits load(ExperimentConfig experiment) {
        return load(experiment, DataArguments.load(experiment));
    }

    static DataSplits load(ExperimentConfig experiment, DataArguments.Loaded loaded) {
        Dataset all = first(keep(loaded.train(), experiment.classes(), loaded.name()), experiment.limit(),
                experiment.seed());
        Dataset test = null;
        String testSource = loaded.testSource();
        if (loaded.test() != null) {
            String what = "test set (" + testSource + ")";
            Dataset given = experiment.classes().isEmpty() ? loaded.test()
                    : ClassFilter.restrictTo(loaded.test(), all.classNames());
            test = first(ClassLabels.align(given, all.classNames(), what), experiment.limit(), experiment.seed());
            if (!test.shape().equals(all.shape())) {
                throw new IllegalArgumentException(what + " has " + test.shape() + " images but the training data has "
                        + all.shape());
            }
        }
        Dataset rest = all;
        if (test == null) {
            if (experiment.testFraction() == 0) {
                throw new IllegalArgumentException("data " + loaded.name()
                        + " has no test set: give --test-images/--test-labels, --test-csv or --test-image-dir, or a "
                        + "--test-fraction > 0");
            }
            StratifiedSplit.HoldOut held = StratifiedSplit.holdOut(all, experiment.testFraction(), experiment.seed());
            rest = held.kept();
            test = held.heldOut();
            testSource = String.format(java.util.Locale.ROOT, "stratified %.0f%% held out",
                    100 * experiment.testFraction());
        }
        Dataset validation = null;
        Dataset train = rest;
        if (experiment.valFraction() > 0) {
            StratifiedSplit.HoldOut held = StratifiedSplit.holdOut(rest, experiment.valFraction(), experiment.seed());
            train = held.kept();
            validation = held.heldOut();
        }
        return new DataSplits(loaded.name(), loaded.kind(), train, validation, test, testSource, loaded.sources(),
                experiment.classes().isEmpty() ? null : loaded.train().classNames());
    }

    private static Dataset keep(Dataset data, List<String> classes, String source) {
        return classes.isEmpty() ? data : ClassFilter.select(data, classes, source);
    }

    private static Dataset first(Dataset data, int limit, long seed) {
        return limit == 0 ? data : StratifiedSplit.sample(data, limit, seed);
    }
}
