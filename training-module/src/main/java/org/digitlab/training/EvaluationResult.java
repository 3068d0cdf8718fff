package org.digitlab.training;

/**
 * Loss and accuracy of a model over a whole dataset (inference mode: no dropout, batch-norm moving statistics).
 *
 * @param loss     mean loss per sample, including L2 penalties as in training
 * @param accuracy fraction of samples predicted correctly
 * @param samples  number of samples evaluated
 */
public record EvaluationResult(double loss, double accuracy, int samples) {
}
