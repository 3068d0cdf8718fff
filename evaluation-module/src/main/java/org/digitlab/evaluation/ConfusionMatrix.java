package org.digitlab.evaluation;

import java.util.Arrays;

/** Immutable K×K confusion matrix: rows are true classes, columns predicted classes. */
public final class ConfusionMatrix {
    private final long[][] counts;

    private ConfusionMatrix(long[][] counts) {
        this.counts = counts;
    }

    /**
     * Counts (true, predicted) pairs. Labels must already be validated to lie in {@code [0, numClasses)}.
     */
    static ConfusionMatrix count(int[] yTrue, int[] yPred, int numClasses) {
        long[][] counts = new long[numClasses][numClasses];
        for (int i = 0; i < yTrue.length; i++) {
            counts[yTrue[i]][yPred[i]]++;
        }
        return new ConfusionMatrix(counts);
    }

    /** Number of classes K. */
    public int numClasses() {
        return counts.length;
    }

    /** Samples of true class {@code trueLabel} predicted as {@code predictedLabel}. */
    public long count(int trueLabel, int predictedLabel) {
        return counts[trueLabel][predictedLabel];
    }

    /** A copy of the counts, {@code [true][predicted]}. */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /**
     * Row-normalised matrix (each row sums to 1), like scikit-learn's {@code confusion_matrix(normalize="true")};
     * rows of classes absent from the true labels are all zero.
     */
    public double[][] rowNormalized() {
        double[][] out = new double[counts.length][counts.length];
        for (int t = 0; t < counts.length; t++) {
            long support = support(t);
            for (int p = 0; p < counts.length && support > 0; p++) {
                out[t][p] = (double) counts[t][p] / support;
            }
        }
        return out;
    }

    /** Samples whose true label is {@code label} (row sum). */
    public long support(int label) {
        return Arrays.stream(counts[label]).sum();
    }

    /** Samples predicted as {@code label} (column sum). */
    public long predicted(int label) {
        long sum = 0;
        for (long[] row : counts) {
            sum += row[label];
        }
        return sum;
    }

    /** Correct predictions of {@code label} (diagonal). */
    public long truePositives(int label) {
        return counts[label][label];
    }

    /** Total number of samples. */
    public long total() {
        return Arrays.stream(counts).flatMapToLong(Arrays::stream).sum();
    }

    /** Total number of correct predictions (trace). */
    public long correct() {
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            sum += counts[i][i];
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix other && Arrays.deepEquals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix" + Arrays.deepToString(counts);
    }
}
