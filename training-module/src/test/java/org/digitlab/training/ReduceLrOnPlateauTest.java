package org.digitlab.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReduceLrOnPlateauTest {

    @Test
    void reducesAfterPatienceEpochsWithoutImprovementOverTheBest() {
        ReduceLrOnPlateau p = new ReduceLrOnPlateau(ScheduleConfig.plateau(0.5, 2, 0), 0.1);
        assertThat(p.onEpochEnd(1.0)).isFalse();
        assertThat(p.onEpochEnd(0.9)).isFalse();
        // 0.95 and 0.91 do not beat the best 0.9: the second bad epoch triggers the reduction.
        assertThat(p.onEpochEnd(0.95)).isFalse();
        assertThat(p.onEpochEnd(0.91)).isTrue();
        assertThat(p.rate()).isEqualTo(0.05);
        assertThat(p.state().epochsWithoutImprovement()).isZero();
    }

    @Test
    void improvementsSmallerThanMinDeltaDoNotCount() {
        ScheduleConfig config = new ScheduleConfig(ScheduleConfig.Kind.PLATEAU, 1, 1, 0, 0, 0, 0.1, 1, 0, 0.01,
                Monitor.VAL_LOSS);
        ReduceLrOnPlateau p = new ReduceLrOnPlateau(config, 1.0);
        p.onEpochEnd(0.5);
        assertThat(p.onEpochEnd(0.495)).isTrue();
        assertThat(p.rate()).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void neverGoesBelowMinimumRate() {
        ReduceLrOnPlateau p = new ReduceLrOnPlateau(ScheduleConfig.plateau(0.1, 1, 0.005), 0.01);
        p.onEpochEnd(1.0);
        assertThat(p.onEpochEnd(1.0)).isTrue();
        assertThat(p.rate()).isEqualTo(0.005);
        assertThat(p.onEpochEnd(1.0)).isFalse();
        assertThat(p.rate()).isEqualTo(0.005);
    }

    @Test
    void cooldownDelaysTheNextReduction() {
        ScheduleConfig config = new ScheduleConfig(ScheduleConfig.Kind.PLATEAU, 1, 1, 0, 0, 0, 0.5, 1, 2, 0,
                Monitor.VAL_LOSS);
        ReduceLrOnPlateau p = new ReduceLrOnPlateau(config, 1.0);
        p.onEpochEnd(1.0);
        assertThat(p.onEpochEnd(1.0)).isTrue();
        // Keras: the cooldown counter drops at the start of each epoch-end, so with cooldown 2 one epoch is skipped.
        assertThat(p.onEpochEnd(1.0)).isFalse();
        assertThat(p.onEpochEnd(1.0)).isTrue();
        assertThat(p.rate()).isEqualTo(0.25);
        ReduceLrOnPlateau noCooldown = new ReduceLrOnPlateau(ScheduleConfig.plateau(0.5, 1, 0), 1.0);
        noCooldown.onEpochEnd(1.0);
        assertThat(noCooldown.onEpochEnd(1.0)).isTrue();
        assertThat(noCooldown.onEpochEnd(1.0)).isTrue();
    }

    @Test
    void maximisedMonitorCountsIncreasesAsImprovement() {
        ScheduleConfig config = new ScheduleConfig(ScheduleConfig.Kind.PLATEAU, 1, 1, 0, 0, 0, 0.5, 1, 0, 0,
                Monitor.VAL_ACCURACY);
        ReduceLrOnPlateau p = new ReduceLrOnPlateau(config, 1.0);
        p.onEpochEnd(0.8);
        assertThat(p.onEpochEnd(0.9)).isFalse();
        assertThat(p.onEpochEnd(0.85)).isTrue();
    }

    @Test
    void restoredStateContinuesWhereItStopped() {
        ReduceLrOnPlateau first = new ReduceLrOnPlateau(ScheduleConfig.plateau(0.5, 2, 0), 0.1);
        first.onEpochEnd(1.0);
        first.onEpochEnd(1.1);
        ReduceLrOnPlateau resumed = new ReduceLrOnPlateau(ScheduleConfig.plateau(0.5, 2, 0), 0.1);
        resumed.restore(first.state());
        assertThat(resumed.onEpochEnd(1.2)).isTrue();
        assertThat(resumed.rate()).isEqualTo(0.05);
    }
}
