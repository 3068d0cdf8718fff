package org.digitlab.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarListenerTest {

    private static String oneEpoch(double valLoss, double valAccuracy) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBarListener bar = new ProgressBarListener(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        bar.onTrainBegin(1, 3, 2);
        bar.onEpochBegin(1, 1e-3);
        bar.onBatchEnd(1, 1, 2, 0.5, 0.75);
        bar.onBatchEnd(1, 2, 2, 0.3, 0.25);
        bar.onEpochEnd(new EpochMetrics(1, 0.4, 0.5, valLoss, valAccuracy, 1e-3, 1));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void finalDrawShowsRunningMeansThenValidationMetrics() {
        String out = oneEpoch(0.25, 0.875);
        assertThat(out).contains("\repoch 1/3 [" + "=".repeat(30) + "] 2/2")
                .contains("loss 0.4000 - acc 0.5000")
                .endsWith(" - val_loss 0.2500 - val_acc 0.8750" + System.lineSeparator());
    }

    @Test
    void withoutValidationTheLineEndsAfterTheTrainingMetrics() {
        String out = oneEpoch(Double.NaN, Double.NaN);
        assertThat(out).doesNotContain("val_").endsWith("acc 0.5000" + System.lineSeparator());
    }
}
