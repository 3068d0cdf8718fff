package org.digitlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    private static final int STEPS = 10;

    @Test
    void constantScheduleNeverChanges() {
        LearningRateSchedule s = ScheduleConfig.constant().schedule(0.01, 5);
        assertThat(s.rate(0, 0, STEPS)).isEqualTo(0.01);
        assertThat(s.rate(4, 9, STEPS)).isEqualTo(0.01);
    }

    @Test
    void stepScheduleMultipliesByGammaEveryNEpochs() {
        LearningRateSchedule s = ScheduleConfig.parse("step:10:0.5").schedule(0.1, 30);
        assertThat(s.rate(0, 0, STEPS)).isEqualTo(0.1);
        assertThat(s.rate(9, 9, STEPS)).isEqualTo(0.1);
        assertThat(s.rate(10, 0, STEPS)).isEqualTo(0.05);
        assertThat(s.rate(25, 3, STEPS)).isCloseTo(0.025, within(1e-15));
    }

    @Test
    void exponentialScheduleDecaysEveryEpoch() {
        LearningRateSchedule s = ScheduleConfig.parse("exp:0.9").schedule(1.0, 10);
        assertThat(s.rate(0, 5, STEPS)).isEqualTo(1.0);
        assertThat(s.rate(1, 0, STEPS)).isCloseTo(0.9, within(1e-12));
        assertThat(s.rate(3, 7, STEPS)).isCloseTo(0.729, within(1e-12));
    }

    @Test
    void cosineWarmsUpLinearlyPerStepThenAnnealsToMinimum() {
        LearningRateSchedule s = ScheduleConfig.parse("cosine:1:0.001").schedule(0.1, 11);
        // Warm-up: 10 steps from 0.01 to 0.1.
        assertThat(s.rate(0, 0, STEPS)).isCloseTo(0.01, within(1e-12));
        assertThat(s.rate(0, 4, STEPS)).isCloseTo(0.05, within(1e-12));
        assertThat(s.rate(0, 9, STEPS)).isCloseTo(0.1, within(1e-12));
        // Annealing over the remaining 100 steps: the peak right after warm-up, halfway at step 50.
        assertThat(s.rate(1, 0, STEPS)).isCloseTo(0.1, within(1e-12));
        assertThat(s.rate(6, 0, STEPS)).isCloseTo(0.001 + 0.099 / 2, within(1e-12));
        assertThat(s.rate(10, 9, STEPS)).isCloseTo(0.001, within(1e-4));
    }

    @Test
    void cosineWithoutWarmupStartsAtBaseRate() {
        LearningRateSchedule s = ScheduleConfig.parse("cosine").schedule(0.2, 4);
        assertThat(s.rate(0, 0, STEPS)).isEqualTo(0.2);
        assertThat(s.rate(2, 0, STEPS)).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void oneCycleRisesToMaxAtThirtyPercentThenFallsFarBelowStart() {
        LearningRateSchedule s = ScheduleConfig.parse("onecycle:0.1").schedule(0.001, 10);
        double start = s.rate(0, 0, STEPS);
        assertThat(start).isCloseTo(0.004, within(1e-12)); // max / 25
        // Peak at step 0.3·100 − 1 = 29, as PyTorch's OneCycleLR.
        assertThat(s.rate(2, 9, STEPS)).isCloseTo(0.1, within(1e-12));
        assertThat(s.rate(1, 5, STEPS)).isBetween(start, 0.1);
        assertThat(s.rate(9, 9, STEPS)).isCloseTo(0.004 / 1e4, within(1e-12));
    }

    @Test
    void oneCycleDefaultsItsPeakToTheOptimizerRate() {
        LearningRateSchedule s = ScheduleConfig.parse("onecycle").schedule(0.05, 10);
        assertThat(s.rate(2, 9, STEPS)).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void parseRejectsUnknownNamesAndBadNumbersNamingThePart() {
        assertThatThrownBy(() -> ScheduleConfig.parse("linear"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown schedule 'linear'");
        assertThatThrownBy(() -> ScheduleConfig.parse("step:x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epochs must be a number, got 'x'");
        assertThatThrownBy(() -> ScheduleConfig.parse("exp"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs gamma");
        assertThatThrownBy(() -> ScheduleConfig.parse("plateau:2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("factor must be in (0, 1)");
        assertThatThrownBy(() -> ScheduleConfig.parse("constant:1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 0 argument");
    }

    @Test
    void textFormRoundTrips() {
        for (String text : new String[] {"constant", "step:3:0.5", "exp:0.95", "cosine:0.5:1.0E-4", "onecycle:0.01",
                "plateau:0.2:4:1.0E-5"}) {
            ScheduleConfig parsed = ScheduleConfig.parse(text);
            assertThat(ScheduleConfig.parse(parsed.toText())).isEqualTo(parsed);
        }
    }
}
