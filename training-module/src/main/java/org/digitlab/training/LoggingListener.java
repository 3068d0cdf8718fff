package org.digitlab.training;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One SLF4J INFO line per epoch (metrics and the rate used), plus the start and the stop reason. */
public final class LoggingListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingListener.class);
    private int epochs;

    @Override
    public void onTrainBegin(int firstEpoch, int epochs, int stepsPerEpoch) {
        this.epochs = epochs;
        LOG.info("training epochs {}..{}, {} steps per epoch", firstEpoch, epochs, stepsPerEpoch);
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        String validation = m.validated()
                ? String.format(Locale.ROOT, ", val_loss %.4f, val_accuracy %.4f", m.valLoss(), m.valAccuracy()) : "";
        LOG.info(String.format(Locale.ROOT, "epoch %d/%d: loss %.4f, accuracy %.4f%s, lr %.3g, %.1f s",
                m.epoch(), epochs, m.trainLoss(), m.trainAccuracy(), validation, m.lr(), m.seconds()));
    }

    @Override
    public void onTrainEnd(TrainingResult result) {
        LOG.info("{}; best epoch {}, device {}, {} s training", result.stopReason(), result.bestEpoch(),
                result.device(), String.format(Locale.ROOT, "%.1f", result.trainSeconds()));
    }
}
