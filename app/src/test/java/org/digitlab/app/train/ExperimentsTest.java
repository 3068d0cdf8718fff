package org.digitlab.app.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.digitlab.app.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every preset runs end to end (on a few hundred MNIST-sample digits, one epoch), and {@code presets} lists them. */
class ExperimentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static Iterable<String> presetNames() {
        return Experiments.names();
    }

    @ParameterizedTest
    @MethodSource("presetNames")
    void everyPresetTrainsAndTestsEndToEndOnSmallData(String preset) throws IOException {
        Path dir = tmp.resolve(preset);
        CliRun run = CliRun.of("train", "--preset", preset, "--dataset", "mnist-sample", "--limit", "300",
                "--epochs", "1", "--device", "cpu", "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode metrics = JSON.readTree(dir.resolve("metrics.json").toFile());
        int classes = preset.equals("binary-6v8") ? 2 : 10;
        assertThat(metrics.path("test").path("per_class").size()).isEqualTo(classes);
        assertThat(metrics.path("test").path("accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(metrics.path("epochs_run").asInt()).isEqualTo(1);
        boolean validated = Experiments.preset(preset).valFraction() > 0;
        assertThat(metrics.path("samples").path("validation").asInt() > 0).isEqualTo(validated);
        assertThat(run.out()).contains(validated ? "weights kept: best" : "weights kept: last (no validation split");
        assertThat(ExperimentConfig.read(dir.resolve("config.json"), null).preset()).isEqualTo(preset);
        assertThat(dir.resolve("report.txt")).isNotEmptyFile();
    }

    @Test
    void binary6v8KeepsOnlySixesAndEightsUnderTheirNames() throws IOException {
        Path dir = tmp.resolve("binary");
        CliRun run = CliRun.of("train", "--preset", "binary-6v8", "--limit", "200",
                "--epochs", "1", "--device", "cpu", "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(JSON.readTree(dir.resolve("dataset.json").toFile()).toString()).contains("\"6\"", "\"8\"");
        JsonNode metrics = JSON.readTree(dir.resolve("metrics.json").toFile());
        assertThat(metrics.path("samples").path("train").asInt() + metrics.path("samples").path("validation").asInt()
                + metrics.path("samples").path("test").asInt()).isEqualTo(200);
        assertThat(Experiments.preset("binary-6v8").model()).isEqualTo("mlp-binary");
    }

    @Test
    void theConsoleDescribesEachPresetsRecipeAndAugmentations() {
        ExperimentConfig fashion = Experiments.preset("fashion-resnet");
        assertThat(fashion.describeTraining())
                .isEqualTo("36 epochs, batch 64, nesterov lr 0.05, cosine:1 schedule, weight decay 0.0005,"
                        + " label smoothing 0.1, mixed_bfloat16");
        assertThat(fashion.describeAugmentation()).isEqualTo("mirrored crops up to 2 px, left-right flips");
        assertThat(Experiments.preset("mnist-resnet").describeAugmentation())
                .isEqualTo("shifts up to 2 px, rotations up to 10°, zoom ±10%");
        ExperimentConfig exp2 = Experiments.preset("exp2");
        assertThat(exp2.describeTraining()).contains("weight decay", "dropout", "early stopping val_loss");
        assertThat(Experiments.preset("base").describeAugmentation()).isEqualTo("none");
    }

    @Test
    void studyPresetsFollowTheReferenceRecipes() {
        ExperimentConfig base = Experiments.preset("base");
        assertThat(base.model()).isEqualTo("logreg");
        assertThat(base.optimizer()).isEqualTo("sgd");
        assertThat(base.lr()).isEqualTo(0.01);
        assertThat(base.batchSize()).isEqualTo(32);
        assertThat(base.epochs()).isEqualTo(10);
        ExperimentConfig exp1 = Experiments.preset("exp1");
        assertThat(exp1.model()).isEqualTo("mlp-deep");
        assertThat(exp1.training()).isEqualTo(base.training());
        ExperimentConfig exp2 = Experiments.preset("exp2");
        assertThat(exp2.model()).isEqualTo("mlp-deep");
        assertThat(exp2.dropout()).isPositive();
        assertThat(exp2.training().optimizer().type().name()).isEqualTo("ADAMW");
        assertThat(exp2.training().optimizer().weightDecay()).isPositive();
        assertThat(exp2.training().schedule().kind().name()).isEqualTo("COSINE");
        assertThat(exp2.earlyStopping()).startsWith("val_loss");
        assertThat(exp2.epochs()).isEqualTo(15);
    }

    @Test
    void presetsCommandListsEveryPresetOnOneLineWithItsDescription() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new PresetsCommand());
        cli.setOut(new PrintWriter(out, true));

        assertThat(cli.execute()).isZero();
        // One line per preset, then a blank line and a note on how presets adapt to other data.
        assertThat(out.toString().lines()).hasSize(Experiments.names().size() + 4);
        assertThat(out.toString()).contains("its model adapts to the\nimages' size, channels and classes");
        for (String name : Experiments.names()) {
            assertThat(out.toString().lines()).anyMatch(line -> line.startsWith(name + " ")
                    && line.contains(Experiments.description(name)));
        }
        assertThat(Experiments.names()).contains("mnist-mlp", "mnist-cnn", "mnist-resnet", "fashion-cnn",
                "fashion-resnet", "binary-6v8", "base", "exp1", "exp2");
    }
}
