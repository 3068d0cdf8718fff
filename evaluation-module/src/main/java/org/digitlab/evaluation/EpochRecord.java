package org.digitlab.evaluation;

/**
 * One epoch of training history, as the training-curve plot reads it. Validation values are {@code NaN} when the
 * run had no validation set.
 *
 * @param epoch epoch number (usually 1-based)
 * @param trainLoss mean training loss
 * @param trainAccuracy training accuracy in [0, 1]
 * @param valLoss validation loss, or NaN
 * @param valAccuracy validation accuracy in [0, 1], or NaN
 * @param learningRate learning rate used during the epoch
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                          double learningRate) {
}
