package org.digitlab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.digitlab.model.LayerSpec.ActivationLayer;
import org.digitlab.model.LayerSpec.AvgPool;
import org.digitlab.model.LayerSpec.BatchNorm;
import org.digitlab.model.LayerSpec.Conv2D;
import org.digitlab.model.LayerSpec.Dense;
import org.digitlab.model.LayerSpec.Dropout;
import org.digitlab.model.LayerSpec.Flatten;
import org.digitlab.model.LayerSpec.GlobalAvgPool;
import org.digitlab.model.LayerSpec.MaxPool;
import org.digitlab.model.LayerSpec.Residual;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ModelSpecsTest {
    static final ModelSpec EVERY_LAYER =
            new ModelSpec(
                    28, 28, 1,
                    List.of(
                            new Conv2D(8, 5, 2, Padding.VALID, Activation.ELU, 1e-4),
                            new BatchNorm(0.9, 1e-5),
                            new MaxPool(2, 1),
                            new Flatten(),
                            new Dense(32, Activation.GELU, 1e-3),
                            new Dropout(0.5),
                            new Dense(16, Activation.TANH)),
                    new Head(HeadType.SOFTMAX, 10, 1e-4));

    /** Every newer layer type, a residual block nested in another, and both kinds of shortcut. */
    static final ModelSpec NESTED =
            new ModelSpec(
                    16, 16, 3,
                    List.of(
                            new Conv2D(8, 3, 1, Padding.SAME, Activation.LINEAR, 0, false),
                            new BatchNorm(),
                            new ActivationLayer(Activation.RELU),
                            new Residual(List.of(
                                    new Conv2D(16, 3, 2, Padding.SAME, Activation.RELU, 1e-4, false),
                                    new Residual(List.of(new Conv2D(16, 3, Activation.RELU), new Dropout(0.1)),
                                            Activation.LINEAR),
                                    new BatchNorm(0.9, 1e-5)), Activation.RELU),
                            new AvgPool(2, 1),
                            new MaxPool(2),
                            new GlobalAvgPool()),
                    Head.softmax(4));

    @TempDir Path dir;

    static List<ModelSpec> specs() {
        List<ModelSpec> specs = new java.util.ArrayList<>();
        for (String name : Presets.names()) {
            specs.add(Presets.model(name, 28, 28, 1, name.equals("mlp-binary") ? 2 : 10));
        }
        specs.add(EVERY_LAYER);
        specs.add(NESTED);
        return specs;
    }

    @ParameterizedTest
    @MethodSource("specs")
    void roundTripsThroughJsonAndYaml(ModelSpec spec) throws Exception {
        assertThat(ModelSpecs.fromJson(ModelSpecs.toJson(spec))).isEqualTo(spec);
        assertThat(ModelSpecs.fromYaml(ModelSpecs.toYaml(spec))).isEqualTo(spec);
        for (String file : List.of("spec.json", "spec.yaml", "spec.yml")) {
            ModelSpecs.write(dir.resolve(file), spec);
            assertThat(ModelSpecs.read(dir.resolve(file))).isEqualTo(spec);
        }
    }

    @Test
    void jsonUsesTypeIdsAndLowerCaseNames() {
        String json = ModelSpecs.toJson(EVERY_LAYER);
        assertThat(json)
                .contains("\"type\" : \"conv2d\"", "\"type\" : \"batch_norm\"", "\"type\" : \"max_pool\"")
                .contains("\"activation\" : \"gelu\"", "\"padding\" : \"valid\"", "\"type\" : \"softmax\"");
        assertThat(ModelSpecs.toYaml(EVERY_LAYER)).contains("- type: conv2d", "activation: elu");
    }

    @Test
    void omittedFieldsTakeKerasDefaults() {
        ModelSpec spec =
                ModelSpecs.fromYaml(
                        """
                        inputShape: [8, 8, 1]
                        layers:
                          - type: conv2d
                            filters: 4
                            kernel: 3
                          - type: batch_norm
                          - type: max_pool
                          - type: flatten
                          - type: dense
                            units: 5
                        head:
                          type: binary
                          numClasses: 2
                        """);
        assertThat(spec.layers())
                .containsExactly(
                        new Conv2D(4, 3, 1, Padding.SAME, Activation.LINEAR, 0),
                        new BatchNorm(0.99, 1e-3),
                        new MaxPool(2, 2),
                        new Flatten(),
                        new Dense(5, Activation.LINEAR, 0));
        assertThat(spec.head()).isEqualTo(Head.binary());
    }

    @Test
    void residualBlocksReadFromYamlWithTheirDefaults() {
        ModelSpec spec =
                ModelSpecs.fromYaml(
                        """
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
                              - {type: activation, activation: relu}
                              - {type: conv2d, filters: 16, kernel: 3, bias: false}
                              - {type: batch_norm}
                          - type: residual
                            layers: [{type: conv2d, filters: 16, kernel: 3}]
                          - {type: avg_pool}
                          - {type: global_avg_pool}
                        head: {numClasses: 10}
                        """);
        assertThat(spec.layers().get(0)).isEqualTo(new Conv2D(8, 3, 1, Padding.SAME, Activation.LINEAR, 0, false));
        assertThat(spec.layers().get(4))
                .isEqualTo(new Residual(List.of(new Conv2D(16, 3, Activation.LINEAR)), Activation.LINEAR));
        assertThat(((Residual) spec.layers().get(3)).layers()).hasSize(5);
        assertThat(spec.layers().get(5)).isEqualTo(new AvgPool(2, 2));
        assertThat(spec.layerShapes()).extracting(java.util.Arrays::toString).containsExactly(
                "[28, 28, 1]", "[28, 28, 8]", "[28, 28, 8]", "[28, 28, 8]", "[14, 14, 16]", "[14, 14, 16]",
                "[7, 7, 16]", "[16]");
        assertThat(ModelSpecs.toYaml(spec)).contains("- type: residual", "bias: false", "type: global_avg_pool");
    }

    @Test
    void parametersAndFlopsCountEveryLayerTheShortcutAndTheHead() {
        // conv 3·3·3·8 (no bias) 216 + BN 16; block: conv 3·3·8·16 1152, inner conv 3·3·16·16 + 16 = 2320, BN 32,
        // projection 8·16 + 2·16 = 160; head 17·4 = 68.
        assertThat(NESTED.parameterCount()).isEqualTo(216 + 16 + 1152 + 2320 + 32 + 160 + 68);
        List<LayerSummary> rows = NESTED.layerSummaries();
        assertThat(rows).extracting(LayerSummary::name).containsExactly("conv2d_0", "batch_norm_1", "activation_2",
                "residual_3", "avg_pool_4", "max_pool_5", "global_avg_pool_6", "head");
        LayerSummary block = rows.get(3);
        assertThat(block.layers()).extracting(LayerSummary::name)
                .containsExactly("conv2d_0", "residual_1", "batch_norm_2", "shortcut");
        assertThat(block.parameters()).isEqualTo(1152 + 2320 + 32 + 160);
        long pixels = 16 * 16;
        long half = 8 * 8;
        assertThat(rows.get(0).flops()).isEqualTo(2 * 27 * 8 * pixels);
        assertThat(rows.get(1).flops()).isEqualTo(2 * 8 * pixels);
        assertThat(rows.get(2).flops()).isEqualTo(8 * pixels);
        long conv = 2 * 72 * 16 * half + 16 * half; // multiply-adds, then the relu
        long inner = 2 * 144 * 16 * half + 16 * half + 16 * half + 16 * half; // + bias, relu; then the sum
        long projection = 2 * 8 * 16 * half + 2 * 16 * half;
        assertThat(block.flops()).isEqualTo(conv + inner + 2 * 16 * half + projection + 2 * 16 * half);
        assertThat(rows.get(4).flops()).isEqualTo(4 * 7 * 7 * 16);
        assertThat(rows.get(5).flops()).isEqualTo(4 * 3 * 3 * 16);
        assertThat(rows.get(6).flops()).isEqualTo(3 * 3 * 16);
        assertThat(rows.get(7).flops()).isEqualTo(2 * 16 * 4 + 4);
        assertThat(NESTED.flops()).isEqualTo(rows.stream().mapToLong(LayerSummary::flops).sum());
        assertThat(NESTED.summary())
                .contains("residual_3           [8, 8, 16]              3,664        468,992\n"
                        + "  conv2d_0           [8, 8, 16]              1,152        148,480\n"
                        + "  residual_1         [8, 8, 16]              2,320        297,984\n"
                        + "    conv2d_0         [8, 8, 16]              2,320        296,960\n")
                .contains("  shortcut           [8, 8, 16]                160         18,432\n")
                .contains("global_avg_pool_6    [16]                        0            144\n")
                .contains(String.format("forward FLOPs per sample: %,d", NESTED.flops()));
    }

    @Test
    void presetsMatchTheReferenceArchitectures() {
        ModelSpec cnn = Presets.model("cnn", 28, 28, 1, 10);
        assertThat(cnn.layerShapes().get(5)).containsExactly(3136);
        assertThat(cnn.parameterCount())
                .isEqualTo(320 + 18_496 + 3136 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10);
        assertThat(Presets.model("logreg", 28, 28, 1, 10).parameterCount()).isEqualTo(7850);
        assertThat(cnn.summary())
                .contains("conv2d_0             [28, 28, 32]              320")
                .contains("flatten_4            [3136]")
                .contains("total trainable params: 429,258");
        assertThat(Presets.model("mlp", 28, 28, 1, 10).parameterCount())
                .isEqualTo(784 * 128 + 128 + 128 * 64 + 64 + 650);
        assertThat(Presets.model("mlp-binary", 28, 28, 1, 2).head().logits()).isEqualTo(1);
        assertThat(Presets.model("cnn", 8, 8, 1, 10).layerShapes().get(5)).containsExactly(2 * 2 * 64);
        ModelSpec cnnBn = Presets.model("cnn-bn", 28, 28, 1, 10);
        assertThat(cnnBn.layers()).filteredOn(LayerSpec.BatchNorm.class::isInstance).hasSize(2);
        assertThat(cnnBn.layerShapes().get(7)).containsExactly(3136);
        // Batch norm adds gamma and beta per channel; its moving statistics are not trained.
        assertThat(cnnBn.parameterCount()).isEqualTo(cnn.parameterCount() + 2 * 32 + 2 * 64);
        assertThatThrownBy(() -> Presets.model("resnet", 28, 28, 1, 10))
                .isInstanceOf(InvalidModelSpecException.class)
                .hasMessageContaining("unknown model preset 'resnet'")
                .hasMessageContaining("cnn, cnn-bn, logreg, mlp, mlp-binary, mlp-deep");
        assertThatThrownBy(() -> Presets.model("mlp-binary", 28, 28, 1, 10))
                .hasMessageContaining("needs 2 classes");
        // bench/README.md's 4,248,704 multiply-adds, twice, plus biases and relus (37,834 + 37,824) and pooling.
        assertThat(cnn.flops()).isEqualTo(2 * 4_248_704 + 37_834 + 37_824 + 4 * (14 * 14 * 32 + 7 * 7 * 64));
    }

    @Test
    void resnetPresetsStackOneBasicBlockPerStage() {
        ModelSpec small = Presets.model("resnet-small", 28, 28, 1, 10);
        assertThat(small.layerShapes()).extracting(java.util.Arrays::toString).containsExactly(
                "[28, 28, 1]", "[28, 28, 16]", "[28, 28, 16]", "[28, 28, 16]", "[28, 28, 16]", "[14, 14, 32]",
                "[7, 7, 64]", "[64]");
        // Stem 3·3·16 + BN; blocks of two 3×3 convs and two BNs; projections (1×1 + BN) where the width changes.
        long stem = 9 * 16 + 32;
        long block1 = 2 * (9 * 16 * 16) + 2 * 32;
        long block2 = 9 * 16 * 32 + 9 * 32 * 32 + 2 * 64 + 16 * 32 + 64;
        long block3 = 9 * 32 * 64 + 9 * 64 * 64 + 2 * 128 + 32 * 64 + 128;
        assertThat(small.parameterCount()).isEqualTo(stem + block1 + block2 + block3 + 65 * 10).isEqualTo(77_754);
        assertThat(Presets.model("resnet-wide", 28, 28, 1, 10).parameterCount()).isEqualTo(308_074);
        assertThat(((Residual) small.layers().get(4)).layers()).contains(new BatchNorm(0.9, 1e-3));
        ModelSpec wide = Presets.model("resnet-wide", 28, 28, 1, 10);
        assertThat(wide.flops()).isGreaterThan(3 * small.flops());
        // Larger images get a stride-2 stem: 64×64 costs about what 32×32 does.
        ModelSpec big = Presets.model("resnet-small", 64, 64, 3, 5);
        assertThat(big.layerShapes().get(1)).containsExactly(32, 32, 16);
        assertThat(big.layerShapes().get(big.layers().size())).containsExactly(64);
        assertThat(big.flops()).isLessThan(2 * Presets.model("resnet-small", 32, 32, 3, 5).flops());
    }

    @Test
    void validationNamesTheField() {
        Head head = Head.softmax(10);
        assertThatThrownBy(
                        () -> new ModelSpec(28, 28, 1, List.of(new Flatten(), new Dense(0, Activation.RELU)), head))
                .isInstanceOf(InvalidModelSpecException.class)
                .hasMessage("layers[1].units must be > 0, was 0");
        assertThatThrownBy(() -> new ModelSpec(28, 28, 1, List.of(new Dense(4, Activation.RELU)), head))
                .hasMessageContaining("layers[0] (dense) needs a flat input")
                .hasMessageContaining("add a flatten layer");
        assertThatThrownBy(() -> new ModelSpec(28, 28, 1, List.of(), head))
                .hasMessageContaining("head needs a flat input");
        assertThatThrownBy(() -> new ModelSpec(28, 28, 1, List.of(new Flatten(), new Dropout(1)), head))
                .hasMessage("layers[1].rate must be in [0, 1), was 1.0");
        assertThatThrownBy(
                        () -> new ModelSpec(4, 4, 1, List.of(new MaxPool(2), new MaxPool(2), new MaxPool(2)), head))
                .hasMessage("layers[2] window 2 is larger than its input size 1");
        assertThatThrownBy(
                        () -> new ModelSpec(8, 8, 1, List.of(new Flatten()), new Head(HeadType.BINARY, 3)))
                .hasMessage("head.numClasses must be 2 for a binary head, was 3");
        assertThatThrownBy(() -> new ModelSpec(List.of(28, 28), List.of(), head))
                .hasMessageContaining("inputShape must be [height, width, channels]");
        assertThatThrownBy(
                        () -> new ModelSpec(8, 8, 1,
                                List.of(new Flatten(), new Dense(3, Activation.RELU, -1)), head))
                .hasMessage("layers[1].l2 must be >= 0 and finite, was -1.0");
        assertThatThrownBy(() -> new ModelSpec(8, 8, 1, List.of(new Flatten(), new GlobalAvgPool()), head))
                .hasMessage("layers[1] (global_avg_pool) needs an [H, W, C] input but gets [64]");
        assertThatThrownBy(() -> new ModelSpec(8, 8, 1, List.of(new ActivationLayer(null), new Flatten()), head))
                .hasMessage("layers[0].activation must be given");
    }

    @Test
    void validationNamesLayersInsideResidualBlocks() {
        Head head = Head.softmax(10);
        Residual badInner = new Residual(List.of(new Conv2D(4, 3, Activation.RELU),
                new Residual(List.of(new Conv2D(0, 3, Activation.RELU)), Activation.LINEAR)), Activation.RELU);
        assertThatThrownBy(() -> new ModelSpec(8, 8, 1, List.of(new BatchNorm(), badInner, new Flatten()), head))
                .isInstanceOf(InvalidModelSpecException.class)
                .hasMessage("layers[1].layers[1].layers[0].filters must be > 0, was 0");
        assertThatThrownBy(() -> new ModelSpec(8, 8, 1,
                        List.of(new Residual(List.of(), Activation.RELU), new Flatten()), head))
                .hasMessage("layers[0].layers must hold at least one layer");
        assertThatThrownBy(() -> new ModelSpec(8, 8, 1,
                        List.of(new Residual(List.of(new Conv2D(4, 3, 1, Padding.VALID, Activation.RELU, 0)),
                                Activation.RELU), new Flatten()), head))
                .hasMessage("layers[0] (residual) turns [8, 8, 1] into [6, 6, 4] but a 1×1 stride-1 projection"
                        + " shortcut gives [8, 8, 4]; use 'same' padding inside the block");
        assertThatThrownBy(() -> new ModelSpec(8, 8, 1,
                        List.of(new Flatten(), new Residual(List.of(new Dense(4, Activation.RELU)), null)), head))
                .hasMessage("layers[1].activation must be given");
        assertThatThrownBy(() -> new ModelSpec(8, 8, 1, List.of(new Flatten(),
                        new Residual(List.of(new Dense(4, Activation.RELU)), Activation.RELU)), head))
                .hasMessageStartingWith("layers[1] (residual) turns [64] into [4]; the sum needs equal shapes");
        // A flat block that keeps the size is fine: x + F(x).
        assertThat(new ModelSpec(8, 8, 1, List.of(new Flatten(),
                new Residual(List.of(new Dense(64, Activation.RELU)), Activation.RELU)), head).parameterCount())
                .isEqualTo(65 * 64 + 65 * 10);
    }

    @Test
    void badNestedLayerInAFileIsNamedWithItsPath() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, """
                {"inputShape": [8, 8, 1], "head": {"numClasses": 3}, "layers": [
                  {"type": "residual", "layers": [{"type": "conv2d", "filters": 4, "kernel": -1}]},
                  {"type": "flatten"}]}
                """);
        assertThatThrownBy(() -> ModelSpecs.read(file))
                .isInstanceOf(InvalidModelSpecException.class)
                .hasMessageContaining("bad.json")
                .hasMessageContaining("layers[0].layers[0].kernel must be > 0, was -1");
    }

    @Test
    void badFilesGiveOneExceptionNamingFileAndProblem() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(
                file,
                """
                inputShape: [8, 8, 1]
                layers:
                  - type: flatten
                  - type: dense
                    units: -3
                head: {type: softmax, numClasses: 10}
                """);
        assertThatThrownBy(() -> ModelSpecs.read(file))
                .isInstanceOf(InvalidModelSpecException.class)
                .hasMessageContaining("bad.yaml")
                .hasMessageContaining("layers[1].units must be > 0, was -3");

        Files.writeString(file, "inputShape: [8, 8, 1]\nlayers:\n  - type: dense_layer\nhead: {numClasses: 3}\n");
        assertThatThrownBy(() -> ModelSpecs.read(file))
                .isInstanceOf(InvalidModelSpecException.class)
                .hasMessageContaining("bad.yaml: line 3")
                .hasMessageContaining("dense_layer");

        Files.writeString(
                file, "inputShape: [8, 8, 1]\nlayers:\n  - {type: dense, units: 3, activation: rleu}\nhead: {numClasses: 3}\n");
        assertThatThrownBy(() -> ModelSpecs.read(file))
                .hasMessageContaining("unknown activation 'rleu'; expected one of: linear, relu");

        Files.writeString(file, "inputShape: [8, 8, 1]\nlayers: [{type: flatten}]\nhead: {numClasses: 3}\nextra: 1\n");
        assertThatThrownBy(() -> ModelSpecs.read(file)).hasMessageContaining("extra");

        Path txt = dir.resolve("spec.txt");
        Files.writeString(txt, "{}");
        assertThatThrownBy(() -> ModelSpecs.read(txt))
                .isInstanceOf(InvalidModelSpecException.class)
                .hasMessageContaining("expected a .json, .yaml or .yml file");
    }

    @Test
    void specFilesAreTypedAsStrictlyAsFlags() throws Exception {
        String layers = "[{\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": %s}]";
        assertRejected("float.json", "{\"inputShape\": [8, 8, 1],\n\"layers\": " + layers.formatted("2.5")
                + ",\n\"head\": {\"numClasses\": 3}}", "line 2: layers[1].units must be a whole number, found 2.5");
        assertRejected("string.json", "{\"inputShape\": [8, 8, 1],\n\"layers\": " + layers.formatted("\"8\"")
                + ",\n\"head\": {\"numClasses\": 3}}", "line 2: layers[1].units must be a whole number, found \"8\"");
        assertRejected("twice.yaml", "inputShape: [8, 8, 1]\nlayers: [{type: flatten}]\nhead: {numClasses: 3}\n"
                + "head: {numClasses: 4}\n", "line 4: key 'head' is given twice; give each key once");
        assertRejected("two.yaml", "inputShape: [8, 8, 1]\nlayers: [{type: flatten}]\nhead: {numClasses: 3}\n---\n"
                + "inputShape: [9, 9, 1]\n", "line 5, column 1: a second YAML document starts here; expected one "
                + "document per file");
        assertRejected("trailing.json", "{\"inputShape\": [8, 8, 1], \"layers\": [{\"type\": \"flatten\"}], "
                + "\"head\": {\"numClasses\": 3}} []", "line 1, column 87: unexpected content after the end of the "
                + "JSON value; expected one value per file");
    }

    @Test
    void readRefusesDevicesAndDirectoriesWithoutReadingThem() throws Exception {
        assertThatThrownBy(() -> ModelSpecs.read(Path.of("/dev/zero")))
                .isInstanceOf(InvalidModelSpecException.class)
                .hasMessageStartingWith("/dev/zero: expected a model spec file of at most 1 MiB");
        Path folder = Files.createDirectory(dir.resolve("spec.json"));
        assertThatThrownBy(() -> ModelSpecs.read(folder)).isInstanceOf(InvalidModelSpecException.class);
    }

    @Test
    void anInlineSpecTreeNamesTheFieldWithoutABogusLine() throws Exception {
        com.fasterxml.jackson.databind.JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"inputShape\": [8, 8, 1], \"layers\": [{\"type\": \"dense\", \"units\": 2.5}], "
                        + "\"head\": {\"numClasses\": 3}}");
        assertThatThrownBy(() -> ModelSpecs.fromTree(tree))
                .isInstanceOf(InvalidModelSpecException.class)
                .hasMessage("model spec: layers[0].units must be a whole number, found 2.5");
    }

    private void assertRejected(String name, String content, String problem) throws Exception {
        Path file = Files.writeString(dir.resolve(name), content);
        assertThatThrownBy(() -> ModelSpecs.read(file))
                .isInstanceOf(InvalidModelSpecException.class)
                .hasMessage(file + ": " + problem);
    }
}
