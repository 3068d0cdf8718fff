package org.digitlab.evaluation;

/**
 * Precision, recall, F1 and support of one class, with scikit-learn's {@code zero_division=0}: a class never
 * predicted has precision 0, a class absent from the true labels has recall 0 and support 0.
 *
 * @param label class index in {@code [0, numClasses)}
 * @param name class name
 * @param precision true positives / predicted positives
 * @param recall true positives / actual positives
 * @param f1 harmonic mean of precision and recall (0 when both are 0)
 * @param support number of samples whose true label is this class
 */
public record ClassMetrics(int label, String name, double precision, double recall, double f1, long support) {
}
