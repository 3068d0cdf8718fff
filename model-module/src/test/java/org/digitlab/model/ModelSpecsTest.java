package org.digitlab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.digitlab.model.LayerSpec.BatchNorm;
import org.digitlab.model.LayerSpec.Conv2D;
import org.digitlab.model.LayerSpec.Dense;
import org.digitlab.model.LayerSpec.Dropout;
import org.digitlab.model.LayerSpec.Flatten;
import org.digitlab.model.LayerSpec.MaxPool;
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

    @TempDir Path dir;

    static List<ModelSpec> specs() {
        List<ModelSpec> specs = new java.util.ArrayList<>();
        for (String name : Presets.names()) {
            specs.add(Presets.model(name, 28, 28, 1, name.equals("mlp-binary") ? 2 : 10));
        }
        specs.add(EVERY_LAYER);
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
    void presetsMatchTheReferenceArchitectures() {
        ModelSpec cnn = Presets.model("cnn", 28, 28, 1, 10);
        assertThat(cnn.layerShapes().get(5)).containsExactly(3136);
        assertThat(cnn.parameterCount())
                .isEqualTo(320 + 18_496 + 3136 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10);
        assertThat(Presets.model("logreg", 28, 28, 1, 10).parameterCount()).isEqualTo(7850);
        assertThat(cnn.summary())
                .contains("conv2d_0         [28, 28, 32]              320")
                .contains("flatten_4        [3136]")
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
}
