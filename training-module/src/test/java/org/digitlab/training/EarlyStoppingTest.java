package org.digitlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    @Test
    void minDeltaIsMeasuredAgainstTheBestEpochNotThePreviousOne() {
        EarlyStopping es = new EarlyStopping(Monitor.VAL_LOSS, 0.01, 2);
        assertThat(es.onEpochEnd(1, 1.0)).isTrue();
        // Each epoch improves on the previous by 0.006, but none beats the best (1.0) by more than 0.01 until 0.988.
        assertThat(es.onEpochEnd(2, 0.994)).isFalse();
        assertThat(es.shouldStop()).isFalse();
        assertThat(es.onEpochEnd(3, 0.988)).isTrue();
        assertThat(es.onEpochEnd(4, 0.982)).isFalse();
        assertThat(es.onEpochEnd(5, 0.979)).isFalse();
        assertThat(es.shouldStop()).isTrue();
        assertThat(es.state().bestEpoch()).isEqualTo(3);
        assertThat(es.stopReason())
                .isEqualTo("early stopping: val_loss did not improve by 0.01 for 2 epochs (best 0.9880 at epoch 3)");
    }

    @Test
    void accuracyMonitorIsMaximised() {
        EarlyStopping es = new EarlyStopping(Monitor.VAL_ACCURACY, 0, 1);
        es.onEpochEnd(1, 0.90);
        assertThat(es.onEpochEnd(2, 0.95)).isTrue();
        assertThat(es.onEpochEnd(3, 0.95)).isFalse();
        assertThat(es.shouldStop()).isTrue();
        assertThat(es.state().bestEpoch()).isEqualTo(2);
    }

    @Test
    void zeroPatienceTracksTheBestButNeverStops() {
        EarlyStopping es = new EarlyStopping(Monitor.VAL_LOSS, 0, 0);
        es.onEpochEnd(1, 0.5);
        es.onEpochEnd(2, 0.6);
        es.onEpochEnd(3, 0.7);
        assertThat(es.shouldStop()).isFalse();
        assertThat(es.state().bestEpoch()).isEqualTo(1);
    }

    @Test
    void parseReadsMonitorPatienceAndMinDelta() {
        assertThat(EarlyStoppingConfig.parse("off")).isNull();
        assertThat(EarlyStoppingConfig.parse("val_accuracy:5:0.001"))
                .isEqualTo(new EarlyStoppingConfig(Monitor.VAL_ACCURACY, 0.001, 5));
        assertThat(EarlyStoppingConfig.parse("val_loss"))
                .isEqualTo(new EarlyStoppingConfig(Monitor.VAL_LOSS, 0, 3));
        assertThatThrownBy(() -> EarlyStoppingConfig.parse("train_loss:3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown monitor 'train_loss'");
        assertThatThrownBy(() -> EarlyStoppingConfig.parse("val_loss:0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("patience must be ≥ 1");
    }
}
