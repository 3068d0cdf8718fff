package org.digitlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@code digitlab doctor} on this machine: the CPU build, and no NVIDIA driver. */
class DoctorCommandTest {
    @Test
    void jsonNamesTheCpuNativesNoDriverTheCpuDeviceAndAVerdict() throws IOException {
        CliRun run = CliRun.of("doctor", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("tensorflow").asText()).matches("2\\.18\\.\\d+");
        assertThat(json.get("natives").asText()).isEqualTo("cpu");
        assertThat(json.get("driver").isNull()).isTrue();
        assertThat(json.get("cuda_libraries").isArray()).isTrue();
        assertThat(json.get("cuda_libraries")).isEmpty();
        assertThat(json.get("devices").get(0).asText()).isEqualTo("/device:CPU:0 (CPU)");
        assertThat(json.get("gpu_usable").asBoolean()).isFalse();
        assertThat(json.get("verdict").asText()).startsWith("GPU not usable: no NVIDIA driver");
    }

    @Test
    void textEndsWithTheVerdictAndExitCodeFollowsTheRequestedDevice() {
        CliRun auto = CliRun.of("doctor");
        assertThat(auto.exitCode()).isZero();
        assertThat(auto.out()).contains("Natives         cpu").contains("NVIDIA driver   none");
        assertThat(auto.out().strip().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("Verdict         GPU not usable: ");
        assertThat(CliRun.of("doctor", "--device", "cpu").exitCode()).isZero();
        assertThat(CliRun.of("doctor", "--device", "gpu").exitCode()).isEqualTo(DigitLab.EXIT_FAILURE);
        CliRun bad = CliRun.of("doctor", "--device", "tpu");
        assertThat(bad.exitCode()).isEqualTo(DigitLab.EXIT_USAGE);
        assertThat(bad.err()).startsWith("error: unknown device 'tpu'");
    }
}
