package org.digitlab.training.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcFilesTest {
    private static final String CPUINFO = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 9654 96-Core Processor
            flags\t\t: fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq avx512_bf16 avx512_vnni
            
            processor\t: 1
            model name\t: AMD EPYC 9654 96-Core Processor
            flags\t\t: fpu
            """;

    @Test
    void readsTheCpuModelAndTheInstructionSetsTensorFlowUsesInItsOrder() {
        assertThat(ProcFiles.cpuModel(CPUINFO)).hasValue("AMD EPYC 9654 96-Core Processor");
        assertThat(ProcFiles.tensorflowInstructionSets(CPUINFO))
                .containsExactly("SSE4.1", "SSE4.2", "AVX", "AVX2", "FMA", "AVX512F", "AVX512_VNNI", "AVX512_BF16");
        assertThat(ProcFiles.cpuModel("")).isEmpty();
        assertThat(ProcFiles.tensorflowInstructionSets("")).isEmpty();
    }

    @Test
    void bfloat16NeedsAvx512Bf16OrAmxBf16() {
        assertThat(ProcFiles.bfloat16(CPUINFO)).isTrue();
        assertThat(ProcFiles.bfloat16("flags\t\t: fpu avx2 avx512f amx_tile amx_bf16\n")).isTrue();
        assertThat(ProcFiles.bfloat16("flags\t\t: fpu avx2 avx512f avx512_vnni amx_int8\n")).isFalse();
        assertThat(ProcFiles.bfloat16("")).isFalse();
    }

    @Test
    void readsTheDriverVersionOfTheProprietaryAndTheOpenKernelModule() {
        assertThat(ProcFiles.nvidiaDriverVersion("""
                NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 22:23:56 UTC 2024
                GCC version:  gcc version 12.2.0 (Debian 12.2.0-14)
                """)).hasValue("550.54.15");
        assertThat(ProcFiles.nvidiaDriverVersion("NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  "
                + "580.65.06  Release Build  (dvs-builder@U16-I3-B03-4-3)  Sun Jul 27 06:54:38 UTC 2025\n"))
                .hasValue("580.65.06");
        assertThat(ProcFiles.nvidiaDriverVersion("something else")).isEmpty();
    }
}
