package org.digitlab.training.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TensorFlowRuntimeTest {
    @Test
    void onThisCpuBuildNoCudaIsLoadedAndTensorFlowListsTheCpu() {
        TensorFlowRuntime.Setup setup = TensorFlowRuntime.prepare();
        assertThat(setup.natives().kind()).isEqualTo(Natives.CPU);
        assertThat(setup.cuda()).isNull();
        assertThat(TensorFlowRuntime.prepare()).as("prepared once").isSameAs(setup);
        assertThat(TensorFlowRuntime.devices()).contains("/device:CPU:0 (CPU)").noneMatch(d -> d.contains(":GPU:"));
    }

    @Test
    void tensorFlowOffersTheOpDeterminismSwitch() {
        assertThat(TensorFlowRuntime.opDeterminism(true)).isTrue();
        assertThat(TensorFlowRuntime.opDeterminism(false)).isTrue();
    }
}
