package org.digitlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig.Toggle;

class DevicePlanTest {
    private static final DevicePlan CPU = new DevicePlan(false, "CPU");

    private static Toggle bfloat16Rewrite(ConfigProto config) {
        return config.getGraphOptions().getRewriteOptions().getAutoMixedPrecisionOnednnBfloat16();
    }

    @Test
    void mixedBfloat16SwitchesOnTheOneDnnRewriteForCpuSessionsOnly() {
        assertThat(bfloat16Rewrite(CPU.sessionConfig(false, Precision.MIXED_BFLOAT16))).isEqualTo(Toggle.ON);
        assertThat(bfloat16Rewrite(CPU.sessionConfig(true, Precision.MIXED_BFLOAT16))).isEqualTo(Toggle.ON);
        assertThat(bfloat16Rewrite(CPU.sessionConfig(false, Precision.FLOAT32))).isEqualTo(Toggle.DEFAULT);
        ConfigProto gpu = new DevicePlan(true, "GPU:0").sessionConfig(false, Precision.MIXED_BFLOAT16);
        assertThat(gpu.hasGraphOptions()).isFalse();
        assertThat(gpu.getGpuOptions().getAllowGrowth()).isTrue();
    }

    @Test
    void precisionParsesKerasPolicyNamesAndNamesTheChoicesOtherwise() {
        assertThat(Precision.parse(" Mixed_BFloat16 ")).isEqualTo(Precision.MIXED_BFLOAT16);
        assertThat(Precision.parse("float32")).isEqualTo(Precision.FLOAT32);
        assertThat(Precision.MIXED_BFLOAT16.key()).isEqualTo("mixed_bfloat16");
        assertThatThrownBy(() -> Precision.parse("mixed_float16"))
                .hasMessage("unknown precision 'mixed_float16'; expected float32 or mixed_bfloat16");
        assertThat(TrainingConfig.defaults().precision()).isEqualTo(Precision.FLOAT32);
        assertThat(TrainingConfig.defaults().withPrecision(null).precision()).isEqualTo(Precision.FLOAT32);
        assertThat(TrainingConfig.defaults().withPrecision(Precision.MIXED_BFLOAT16).withEpochs(3).precision())
                .isEqualTo(Precision.MIXED_BFLOAT16);
    }
}
