package org.digitlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code digitlab model}: the summary of presets, spec files and run directories, as text and JSON. */
class ModelCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPEC = """
            inputShape: [28, 28, 1]
            layers:
              - {type: conv2d, filters: 8, kernel: 3, bias: false}
              - {type: batch_norm}
              - {type: activation, activation: relu}
              - type: residual
                activation: relu
                layers:
                  - {type: conv2d, filters: 16, kernel: 3, stride: 2, bias: false}
                  - {type: batch_norm}
              - {type: global_avg_pool}
            head: {numClasses: 10}
            """;

    @TempDir
    Path temp;

    @Test
    void presetSummaryListsEveryLayerWithParametersAndFlops() {
        CliRun run = CliRun.of("model", "--model", "resnet-small");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("model: resnet-small, input 28×28×1, 10 classes\n")
                .contains("residual_4           [14, 14, 32]           14,528      5,676,160\n")
                .contains("  shortcut           [14, 14, 32]              576        213,248\n")
                .contains("total trainable params: 77,754")
                .contains("forward FLOPs per sample: 18,905,098");
        assertThat(CliRun.of("--help").out()).contains("model");
    }

    @Test
    void jsonNestsTheLayersOfResidualBlocksAndAddsUp() throws IOException {
        CliRun run = CliRun.of("model", "--model", "resnet-wide", "--input", "64x64x3", "--classes", "5", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = JSON.readTree(run.out());
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("model", "input", "classes", "parameters", "flops", "layers");
        assertThat(json.get("input").toString()).isEqualTo("[64,64,3]");
        assertThat(json.get("classes").asInt()).isEqualTo(5);
        long parameters = 0;
        long flops = 0;
        for (JsonNode layer : json.get("layers")) {
            parameters += layer.get("parameters").asLong();
            flops += layer.get("flops").asLong();
        }
        assertThat(json.get("parameters").asLong()).isEqualTo(parameters).isEqualTo(308_005);
        assertThat(json.get("flops").asLong()).isEqualTo(flops);
        JsonNode block = json.get("layers").get(4);
        assertThat(block.get("type").asText()).isEqualTo("residual");
        assertThat(block.get("layers").get(5).get("name").asText()).isEqualTo("shortcut");
        // A 64×64 image gets a stride-2 stem.
        assertThat(json.get("layers").get(0).get("output_shape").toString()).isEqualTo("[32,32,32]");
    }

    @Test
    void specFilesAndRunDirectoriesAreReadAndInputAndClassesReplaceTheirOwn() throws IOException {
        Path file = temp.resolve("net.yaml");
        Files.writeString(file, SPEC);
        CliRun own = CliRun.of("model", "--model", file.toString());
        assertThat(own.exitCode()).as(own.err()).isZero();
        // conv 72 + BN 16; block: conv 1,152, BN 32, projection 8·16 + 32; head 17·10.
        assertThat(own.out()).contains("input 28×28×1, 10 classes").contains("total trainable params: 1,602");

        Path run = temp.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("model.json"), JSON.writeValueAsString(
                new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(SPEC)));
        CliRun dir = CliRun.of("model", "--model", run.toString(), "--input", "32x32x3", "--classes", "4");
        assertThat(dir.exitCode()).as(dir.err()).isZero();
        assertThat(dir.out()).contains("input 32×32×3, 4 classes")
                .contains("total trainable params: " + String.format("%,d", 216 + 16 + 1152 + 32 + 160 + 17 * 4));
    }

    @Test
    void badInputIsOneErrorLineNamingTheProblem() throws IOException {
        CliRun unknown = CliRun.of("model", "--model", "resnet-50");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err().strip().lines()).hasSize(1);
        assertThat(unknown.err()).startsWith("error: --model 'resnet-50' is neither a model preset")
                .contains("resnet-small");

        CliRun shape = CliRun.of("model", "--model", "cnn", "--input", "28by28");
        assertThat(shape.exitCode()).isEqualTo(2);
        assertThat(shape.err()).startsWith("error: --input must be HxW or HxWxC");

        Path file = temp.resolve("bad.yaml");
        Files.writeString(file, SPEC.replace("filters: 16", "filters: 0"));
        CliRun bad = CliRun.of("model", "--model", file.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("bad.yaml").contains("layers[3].layers[0].filters must be > 0, was 0");

        CliRun tooSmall = CliRun.of("model", "--model", "cnn", "--input", "2x2");
        assertThat(tooSmall.exitCode()).isEqualTo(2);
        assertThat(tooSmall.err()).contains("layers[3] window 2 is larger than its input size 1");

        Path empty = temp.resolve("empty");
        Files.createDirectories(empty);
        CliRun noSpec = CliRun.of("model", "--model", empty.toString());
        assertThat(noSpec.exitCode()).isEqualTo(2);
        assertThat(noSpec.err()).contains("no model.json or model-spec.json in this directory");
    }

    @Test
    void specFilesGetTheUserFileGuardAndStrictTypes() throws IOException {
        CliRun device = CliRun.of("model", "--model", "/dev/zero");
        assertThat(device.exitCode()).isEqualTo(2);
        assertThat(device.err()).isEqualTo("error: /dev/zero: is not a regular file (a FIFO, socket or device?); "
                + "expected a model spec file\n");

        Path fractional = temp.resolve("fractional.yaml");
        Files.writeString(fractional, SPEC.replace("filters: 8", "filters: 8.5"));
        CliRun run = CliRun.of("model", "--model", fractional.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: " + fractional
                + ": line 3: layers[0].filters must be a whole number, found 8.5\n");
    }
}
