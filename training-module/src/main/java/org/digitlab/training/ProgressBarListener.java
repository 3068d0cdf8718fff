package org.digitlab.training;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar redrawn with carriage returns (Keras' verbose=1), for interactive terminals. Redraws at
 * most every 100 ms so small steps stay cheap. {@link #forConsole()} gives one only when a terminal is attached.
 */
public final class ProgressBarListener implements TrainingListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private long lastDraw;
    private long epochStart;
    private double lossSum;
    private double accuracySum;
    private int epochs;

    /** Draws to {@code out}. */
    public ProgressBarListener(PrintStream out) {
        this.out = out;
    }

    /** A bar on standard error when the JVM has a console, else a listener that does nothing. */
    public static TrainingListener forConsole() {
        return System.console() != null ? new ProgressBarListener(System.err) : new TrainingListener() { };
    }

    @Override
    public void onTrainBegin(int firstEpoch, int epochs, int stepsPerEpoch) {
        this.epochs = epochs;
    }

    @Override
    public void onEpochBegin(int epoch, double learningRate) {
        epochStart = System.nanoTime();
        lastDraw = 0;
        lossSum = 0;
        accuracySum = 0;
    }

    @Override
    public void onBatchEnd(int epoch, int step, int stepsPerEpoch, double loss, double accuracy) {
        lossSum += loss;
        accuracySum += accuracy;
        long now = System.nanoTime();
        if (step < stepsPerEpoch && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int filled = (int) ((long) WIDTH * step / stepsPerEpoch);
        double elapsed = (now - epochStart) / 1e9;
        double eta = elapsed / step * (stepsPerEpoch - step);
        out.print(String.format(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d - %.0fs (eta %.0fs) - loss %.4f - acc %.4f",
                epoch, epochs, "=".repeat(filled), " ".repeat(WIDTH - filled), step, stepsPerEpoch, elapsed, eta,
                lossSum / step, accuracySum / step));
        out.flush();
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        out.println(m.validated()
                ? String.format(Locale.ROOT, " - val_loss %.4f - val_acc %.4f", m.valLoss(), m.valAccuracy()) : "");
    }
}
