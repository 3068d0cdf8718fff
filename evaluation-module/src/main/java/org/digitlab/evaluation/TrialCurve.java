package org.digitlab.evaluation;

/**
 * One trial's validation metric per epoch, as the sweep plot ({@link Plots#trialCurves}) reads it.
 *
 * @param trial  the trial's name, shown in the legend
 * @param epochs the epochs (1-based), ascending
 * @param values the metric after each of those epochs; NaN points are left out of the line
 */
public record TrialCurve(String trial, int[] epochs, double[] values) {

    /** Checks that there is one value per epoch. */
    public TrialCurve {
        if (epochs.length != values.length) {
            throw new EvaluationInputException("trial " + trial + " has " + epochs.length + " epochs but "
                    + values.length + " values");
        }
        epochs = epochs.clone();
        values = values.clone();
    }
}
