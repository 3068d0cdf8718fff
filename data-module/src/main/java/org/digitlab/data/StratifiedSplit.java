package org.digitlab.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded stratified splits: each class is divided on its own, so every part keeps the class proportions of the
 * whole to within one sample per class. Per class, the part sizes are its count times each fraction, rounded by
 * largest remainder (so they add up to the class count); which samples go where is a seeded shuffle. The same
 * dataset and seed always give the same split. Each part keeps the original sample order.
 */
public final class StratifiedSplit {
    private static final double FRACTION_TOLERANCE = 1e-9;

    private StratifiedSplit() {
    }

    /**
     * A train/validation/test split; the index arrays say which samples of the source each part holds
     * (ascending). Accessors return copies of the arrays.
     */
    public record Split(Dataset train, Dataset validation, Dataset test,
                        int[] trainIndices, int[] validationIndices, int[] testIndices) {
        /** Copies the index arrays so the split stays immutable. */
        public Split {
            trainIndices = trainIndices.clone();
            validationIndices = validationIndices.clone();
            testIndices = testIndices.clone();
        }

        /** A copy of the source indices in {@code train}, ascending. */
        @Override
        public int[] trainIndices() {
            return trainIndices.clone();
        }

        /** A copy of the source indices in {@code validation}, ascending. */
        @Override
        public int[] validationIndices() {
            return validationIndices.clone();
        }

        /** A copy of the source indices in {@code test}, ascending. */
        @Override
        public int[] testIndices() {
            return testIndices.clone();
        }
    }

    /**
     * Two parts: {@code kept} and {@code heldOut} (e.g. train and validation carved from a training set when a
     * separate test set exists). Accessors return copies of the index arrays.
     */
    public record HoldOut(Dataset kept, Dataset heldOut, int[] keptIndices, int[] heldOutIndices) {
        /** Copies the index arrays so the split stays immutable. */
        public HoldOut {
            keptIndices = keptIndices.clone();
            heldOutIndices = heldOutIndices.clone();
        }

        /** A copy of the source indices in {@code kept}, ascending. */
        @Override
        public int[] keptIndices() {
            return keptIndices.clone();
        }

        /** A copy of the source indices in {@code heldOut}, ascending. */
        @Override
        public int[] heldOutIndices() {
            return heldOutIndices.clone();
        }
    }

    /**
     * Splits {@code dataset} into train, validation and test parts.
     *
     * @param trainFraction      share of each class in train, ≥ 0
     * @param validationFraction share in validation, ≥ 0 (0 gives an empty validation set)
     * @param testFraction       share in test, ≥ 0
     * @throws IllegalArgumentException if a fraction is negative or not finite, or they do not sum to 1
     */
    public static Split split(Dataset dataset, double trainFraction, double validationFraction,
                              double testFraction, long seed) {
        int[][] parts = partition(dataset, new double[] {trainFraction, validationFraction, testFraction},
                new String[] {"train", "validation", "test"}, seed);
        return new Split(dataset.subset(parts[0]), dataset.subset(parts[1]), dataset.subset(parts[2]),
                parts[0], parts[1], parts[2]);
    }

    /**
     * Holds out {@code heldOutFraction} of each class, keeping the rest.
     *
     * @throws IllegalArgumentException if the fraction is outside [0, 1]
     */
    public static HoldOut holdOut(Dataset dataset, double heldOutFraction, long seed) {
        if (!(heldOutFraction >= 0 && heldOutFraction <= 1)) {
            throw new IllegalArgumentException("held-out fraction must be in [0, 1], got " + heldOutFraction);
        }
        int[][] parts = partition(dataset, new double[] {1 - heldOutFraction, heldOutFraction},
                new String[] {"kept", "held-out"}, seed);
        return new HoldOut(dataset.subset(parts[0]), dataset.subset(parts[1]), parts[0], parts[1]);
    }

    /**
     * Exactly {@code n} samples (or all, if there are fewer), each class's share of them proportional to its size
     * (largest remainders), drawn at random within the class and kept in their original order: a smaller dataset
     * with the same class proportions, whatever order the samples came in (an image folder lists one class after
     * another, so its first {@code n} samples may all be of one class).
     */
    public static Dataset sample(Dataset dataset, int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("sample size must be ≥ 0, got " + n);
        }
        if (n >= dataset.size()) {
            return dataset;
        }
        int[] counts = dataset.classCounts();
        double[] weights = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            weights[c] = counts[c];
        }
        int[] shares = allocate(n, weights, dataset.size());
        int[][] byClass = new int[counts.length][];
        int[] fill = new int[counts.length];
        for (int c = 0; c < counts.length; c++) {
            byClass[c] = new int[counts[c]];
        }
        for (int i = 0; i < dataset.size(); i++) {
            int c = dataset.label(i);
            byClass[c][fill[c]++] = i;
        }
        int[] picked = new int[n];
        int at = 0;
        for (int c = 0; c < counts.length; c++) {
            Randomness.shuffle(byClass[c], 0, counts[c], Randomness.forStream(seed, Randomness.SAMPLE, c));
            System.arraycopy(byClass[c], 0, picked, at, shares[c]);
            at += shares[c];
        }
        Arrays.sort(picked);
        return dataset.subset(picked);
    }

    /** The source indices of each part, ascending. */
    private static int[][] partition(Dataset dataset, double[] fractions, String[] names, long seed) {
        double sum = 0;
        for (int p = 0; p < fractions.length; p++) {
            if (!(fractions[p] >= 0) || Double.isInfinite(fractions[p])) {
                throw new IllegalArgumentException(names[p] + " fraction must be a finite number ≥ 0, got "
                        + fractions[p]);
            }
            sum += fractions[p];
        }
        if (Math.abs(sum - 1) > FRACTION_TOLERANCE) {
            throw new IllegalArgumentException("split fractions must sum to 1, got " + Arrays.toString(fractions)
                    + " summing to " + sum);
        }
        int[] counts = dataset.classCounts();
        // Group sample indices by class (counting sort keeps each class in source order before shuffling).
        int[] classStart = new int[counts.length + 1];
        for (int c = 0; c < counts.length; c++) {
            classStart[c + 1] = classStart[c] + counts[c];
        }
        int[] byClass = new int[dataset.size()];
        int[] fill = Arrays.copyOf(classStart, counts.length);
        for (int i = 0; i < dataset.size(); i++) {
            byClass[fill[dataset.label(i)]++] = i;
        }
        int[][] parts = new int[fractions.length][dataset.size()];
        int[] partSizes = new int[fractions.length];
        for (int c = 0; c < counts.length; c++) {
            SplittableRandom random = Randomness.forStream(seed, Randomness.SPLIT, c);
            Randomness.shuffle(byClass, classStart[c], classStart[c + 1], random);
            int[] shares = allocate(counts[c], fractions, sum);
            int from = classStart[c];
            for (int p = 0; p < fractions.length; p++) {
                System.arraycopy(byClass, from, parts[p], partSizes[p], shares[p]);
                partSizes[p] += shares[p];
                from += shares[p];
            }
        }
        for (int p = 0; p < fractions.length; p++) {
            parts[p] = Arrays.copyOf(parts[p], partSizes[p]);
            Arrays.sort(parts[p]);
        }
        return parts;
    }

    /**
     * Largest-remainder rounding of {@code n × fraction}: each share is the floor or the ceiling of its quota and
     * the shares sum to {@code n}. Ties go to the larger fraction, then the earlier part; a zero fraction gets 0.
     */
    static int[] allocate(int n, double[] fractions, double fractionSum) {
        int[] shares = new int[fractions.length];
        double[] remainders = new double[fractions.length];
        int left = n;
        for (int p = 0; p < fractions.length; p++) {
            double quota = n * (fractions[p] / fractionSum);
            shares[p] = (int) Math.min(Math.floor(quota), left);
            remainders[p] = quota - shares[p];
            left -= shares[p];
        }
        while (left > 0) {
            int best = -1;
            for (int p = 0; p < fractions.length; p++) {
                if (fractions[p] > 0 && (best < 0 || remainders[p] > remainders[best]
                        || (remainders[p] == remainders[best] && fractions[p] > fractions[best]))) {
                    best = p;
                }
            }
            shares[best]++;
            remainders[best] = Double.NEGATIVE_INFINITY;
            left--;
        }
        return shares;
    }
}
