package org.digitlab.evaluation;

/**
 * An averaged row of the report (micro, macro or weighted), as scikit-learn's {@code precision_recall_fscore_support}
 * computes it.
 *
 * @param precision averaged precision
 * @param recall averaged recall
 * @param f1 averaged F1 (the average of per-class F1 scores for macro and weighted)
 * @param support total number of samples
 */
public record AverageMetrics(double precision, double recall, double f1, long support) {
}
