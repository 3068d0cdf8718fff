package org.digitlab.training.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosisTest {
    private static final Natives GPU = new Natives(Natives.GPU, "12.5", "9.3");
    private static final Natives CPU = new Natives(Natives.CPU, null, null);
    private static final NvidiaDriver NONE = new NvidiaDriver(null, null, List.of(), null);
    private static final NvidiaDriver H200 = new NvidiaDriver("580.65.06", "13.0", List.of("NVIDIA H200"), null);
    private static final List<String> CPU_ONLY = List.of("/device:CPU:0 (CPU)");
    private static final CudaLibrary CUDNN = CudaLibrary.TENSORFLOW_2_18.get(CudaLibrary.TENSORFLOW_2_18.size() - 1);

    @Test
    void aListedGpuIsUsableWhateverElseIsSaid() {
        String verdict = Diagnosis.verdict(GPU, H200, bundle(null), List.of("/device:CPU:0 (CPU)",
                "/device:GPU:0 (GPU, 130.2 GiB)"));
        assertThat(verdict).isEqualTo("GPU usable: TensorFlow lists /device:GPU:0 (GPU, 130.2 GiB); "
                + "train with --device gpu (or auto)");
    }

    @Test
    void withoutADriverTheVerdictSaysSoBeforeAnythingElse() {
        assertThat(Diagnosis.verdict(CPU, NONE, null, CPU_ONLY))
                .startsWith("GPU not usable: no NVIDIA driver on this machine");
        assertThat(Diagnosis.verdict(GPU, NONE, bundle(null), CPU_ONLY))
                .startsWith("GPU not usable: no NVIDIA driver on this machine");
    }

    @Test
    void cpuNativesOnAGpuMachineAskForTheGpuProfile() {
        assertThat(Diagnosis.verdict(CPU, H200, null, CPU_ONLY)).isEqualTo("GPU not usable: this build carries "
                + "TensorFlow's CPU natives: build it with the Maven profile 'gpu' (mvn -B package -DskipTests -Pgpu)");
    }

    @Test
    void aDriverTooOldForCuda12OrSeeingNoGpuIsNamed() {
        assertThat(Diagnosis.setupProblem(GPU, new NvidiaDriver("470.57.02", "11.4", List.of(), null), bundle(null)))
                .startsWith("NVIDIA driver 470.57.02 runs CUDA 11.4 at most");
        assertThat(Diagnosis.setupProblem(GPU, new NvidiaDriver("580.65.06", "13.0", List.of(),
                "cuInit: CUDA_ERROR_NO_DEVICE (100)"), bundle(null)))
                .isEqualTo("NVIDIA driver 580.65.06 sees no usable GPU (cuInit: CUDA_ERROR_NO_DEVICE (100))");
    }

    @Test
    void missingOrUnloadableLibrariesAreNamed() {
        CudaRuntime.Result missing = new CudaRuntime.Result(null, null, List.of(
                new CudaRuntime.Library(CUDNN, CudaRuntime.Source.MISSING, null, null, null, null)));
        assertThat(Diagnosis.setupProblem(GPU, H200, missing)).startsWith("libcudnn.so.9 is missing: ");
        assertThat(Diagnosis.setupProblem(GPU, H200, bundle("libz.so.1: cannot open shared object file")))
                .startsWith("libcudnn.so.9 failed to load: libz.so.1: cannot open shared object file");
    }

    @Test
    void everythingInPlaceButNoGpuListedPointsToTensorFlowsOwnMessages() {
        assertThat(Diagnosis.setupProblem(GPU, H200, bundle(null))).isNull();
        assertThat(Diagnosis.verdict(GPU, H200, bundle(null), CPU_ONLY))
                .contains("TensorFlow lists no GPU although the driver and every CUDA library are there")
                .contains("--verbose");
    }

    private static CudaRuntime.Result bundle(String error) {
        return new CudaRuntime.Result("12.6-9.5-1.5.11", Path.of("/cache"), List.of(new CudaRuntime.Library(CUDNN,
                CudaRuntime.Source.BUNDLED, Path.of("/cache/libcudnn.so.9"), null, null, error)));
    }
}
