package org.digitlab.evaluation;

import java.util.Arrays;

/**
 * ROC curve points as scikit-learn's {@code roc_curve(drop_intermediate=True)} returns them (version 1.2): the first
 * point is (0, 0) at threshold {@code max score + 1}.
 *
 * @param fpr false-positive rates, non-decreasing
 * @param tpr true-positive rates, non-decreasing
 * @param thresholds decreasing score thresholds, one per point
 */
public record RocCurve(double[] fpr, double[] tpr, double[] thresholds) {
    /** Copies the arrays so the curve stays immutable. */
    public RocCurve {
        if (fpr.length != tpr.length || fpr.length != thresholds.length) {
            throw new EvaluationInputException("ROC curve arrays differ in length: fpr " + fpr.length + ", tpr "
                    + tpr.length + ", thresholds " + thresholds.length);
        }
        fpr = fpr.clone();
        tpr = tpr.clone();
        thresholds = thresholds.clone();
    }

    /** A copy of the false-positive rates. */
    @Override
    public double[] fpr() {
        return fpr.clone();
    }

    /** A copy of the true-positive rates. */
    @Override
    public double[] tpr() {
        return tpr.clone();
    }

    /** A copy of the thresholds, decreasing. */
    @Override
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** Number of points. */
    public int size() {
        return fpr.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RocCurve other && Arrays.equals(fpr, other.fpr) && Arrays.equals(tpr, other.tpr)
                && Arrays.equals(thresholds, other.thresholds);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(fpr) + Arrays.hashCode(tpr)) + Arrays.hashCode(thresholds);
    }

    @Override
    public String toString() {
        return "RocCurve[" + fpr.length + " points]";
    }
}
