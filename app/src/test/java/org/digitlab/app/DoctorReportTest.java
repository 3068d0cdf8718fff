package org.digitlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.digitlab.training.runtime.CudaLibrary;
import org.digitlab.training.runtime.CudaRuntime;
import org.digitlab.training.runtime.CudaRuntime.Library;
import org.digitlab.training.runtime.CudaRuntime.Source;
import org.digitlab.training.runtime.Diagnosis;
import org.digitlab.training.runtime.LibraryVersion;
import org.digitlab.training.runtime.Natives;
import org.digitlab.training.runtime.NvidiaDriver;
import org.junit.jupiter.api.Test;

/** The report of a GPU machine with the GPU build, made up: one library from the system, one bundled, one missing. */
class DoctorReportTest {
    private static final List<CudaLibrary> LIBS = CudaLibrary.TENSORFLOW_2_18;
    private static final Diagnosis GPU_BUILD = new Diagnosis("17.0.15 (Debian)", "Linux 6.1.0 amd64",
            "AMD EPYC 9654", 16, List.of("AVX", "AVX2"), "2.18.0", new Natives(Natives.GPU, "12.5", "9.3"),
            new NvidiaDriver("580.65.06", "13.0", List.of("NVIDIA H200"), null),
            new CudaRuntime.Result("12.6-9.5-1.5.11", Path.of("/home/u/.cache/digitlab/cuda/12.6-9.5-1.5.11"), List.of(
                    new Library(LIBS.get(0), Source.SYSTEM, Path.of("/usr/local/cuda/lib64/libcudart.so.12"),
                            LibraryVersion.of(12, 8, 90), null, null),
                    new Library(LIBS.get(1), Source.BUNDLED,
                            Path.of("/home/u/.cache/digitlab/cuda/12.6-9.5-1.5.11/libcublasLt.so.12"), null,
                            "the system's /usr/lib/libcublasLt.so.12 (12.2) is not used: too old", null),
                    new Library(LIBS.get(2), Source.MISSING, null, null, null, null))),
            List.of("/device:CPU:0 (CPU)"), false, "GPU not usable: libcublas.so.12 is missing");

    @Test
    void textListsEachLibraryWithItsSourceAndPathAndTheVerdictLast() {
        String text = new DoctorReport(GPU_BUILD, versions()).text();
        assertThat(text).contains("TensorFlow Java 1.1.0, TensorFlow 2.18.0")
                .contains("gpu (TensorFlow's CUDA build, for CUDA 12.5 and cuDNN 9.3)")
                .contains("580.65.06 (runs CUDA 13.0 and older); GPUs: NVIDIA H200")
                .contains("bundle 12.6-9.5-1.5.11");
        assertThat(text.lines().filter(l -> l.startsWith("  lib")).toList()).containsExactly(
                String.format("  %-40s %-8s %s", "libcudart.so.12", "system",
                        "/usr/local/cuda/lib64/libcudart.so.12 (12.8.90)"),
                String.format("  %-40s %-8s %s  (%s)", "libcublasLt.so.12", "bundled",
                        "/home/u/.cache/digitlab/cuda/12.6-9.5-1.5.11/libcublasLt.so.12",
                        "the system's /usr/lib/libcublasLt.so.12 (12.2) is not used: too old"),
                String.format("  %-40s %s", "libcublas.so.12", "missing"));
        assertThat(text.strip().lines().reduce((a, b) -> b).orElseThrow())
                .isEqualTo("Verdict         GPU not usable: libcublas.so.12 is missing");
    }

    @Test
    void jsonHasTheVersionsNativesDriverLibrariesDevicesAndVerdict() throws IOException {
        JsonNode json = new ObjectMapper().readTree(new DoctorReport(GPU_BUILD, versions()).json());
        assertThat(json.get("digitlab").asText()).isEqualTo("9.9.9");
        assertThat(json.get("tensorflow").asText()).isEqualTo("2.18.0");
        assertThat(json.get("natives").asText()).isEqualTo("gpu");
        assertThat(json.get("driver").asText()).isEqualTo("580.65.06");
        JsonNode libraries = json.get("cuda_libraries");
        assertThat(libraries).hasSize(3);
        assertThat(libraries.get(0).get("name").asText()).isEqualTo("libcudart.so.12");
        assertThat(libraries.get(0).get("found").asBoolean()).isTrue();
        assertThat(libraries.get(0).get("source").asText()).isEqualTo("system");
        assertThat(libraries.get(0).get("path").asText()).isEqualTo("/usr/local/cuda/lib64/libcudart.so.12");
        assertThat(libraries.get(1).get("needed_by").asText()).isEqualTo("tensorflow");
        assertThat(libraries.get(2).get("found").asBoolean()).isFalse();
        assertThat(libraries.get(2).get("path").isNull()).isTrue();
        assertThat(json.get("devices").get(0).asText()).isEqualTo("/device:CPU:0 (CPU)");
        assertThat(json.get("verdict").asText()).isEqualTo("GPU not usable: libcublas.so.12 is missing");
    }

    private static Properties versions() {
        Properties p = new Properties();
        p.setProperty("digitlab.version", "9.9.9");
        p.setProperty("tensorflow.version", "1.1.0");
        return p;
    }
}
