package org.digitlab.app.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.digitlab.app.CliRun;
import org.digitlab.app.PhotoFolders;
import org.digitlab.data.ChannelStatistics;
import org.digitlab.data.ClassFilter;
import org.digitlab.data.Dataset;
import org.digitlab.data.image.ImageFolderOptions;
import org.digitlab.data.image.ImageFolderReader;
import org.digitlab.data.image.ImageSize;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Training, evaluating and predicting on a folder of photo-like colour images that look nothing like MNIST. */
class OwnImagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Folders named like digits so that binary-6v8 finds its classes; natural order puts 10 last. */
    private static final List<String> CLASSES = List.of("6", "8", "10");

    @TempDir
    static Path tmp;
    static Path photos;
    static Dataset images;

    @BeforeAll
    static void writePhotos() {
        photos = PhotoFolders.write(tmp.resolve("photos"), CLASSES, 30, 20, 24, 7);
        images = ImageFolderReader.read(photos, ImageFolderOptions.defaults().withSize(new ImageSize(16, 16))).data();
    }

    static List<String> presets() {
        return List.copyOf(Experiments.names());
    }

    @ParameterizedTest
    @MethodSource("presets")
    void everyPresetFitsTheNormalisationOnTheImagesItIsGiven(String preset) throws IOException {
        Path run = tmp.resolve("preset-" + preset);
        CliRun result = CliRun.of("train", "--preset", preset, "--image-dir", photos.toString(), "--image-size",
                "16x16", "--epochs", "1", "--device", "cpu", "--out", run.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("images:        16×16×3").contains("normalization: fitted on the training");
        JsonNode normalization = JSON.readTree(run.resolve("normalization.json").toFile());
        assertThat(normalization.path("kind").asText()).isEqualTo("STANDARDIZE");
        assertThat(normalization.path("mean")).hasSize(3);
        List<String> classes = Experiments.preset(preset).classes();
        ChannelStatistics stats = ChannelStatistics.of(classes.isEmpty() ? images
                : ClassFilter.select(images, classes, "photos"));
        for (int c = 0; c < 3; c++) {
            // Fitted on the training split only, so close to, not equal to, the whole folder's mean.
            assertThat(normalization.path("mean").get(c).asDouble()).isCloseTo(stats.mean(c) / 255, within(0.03));
            assertThat(stats.mean(c) / 255).isGreaterThan(0.5);
        }
        assertThat(result.err()).doesNotContain("far from this data's statistics");
    }

    @Test
    void aFixedNormalisationFarFromTheDataIsWarnedAbout() {
        CliRun result = CliRun.of("train", "--preset", "mnist-mlp", "--image-dir", photos.toString(), "--image-size",
                "16x16", "--normalization", "standardize:0.1307:0.3081", "--epochs", "1", "--device", "cpu", "--out",
                tmp.resolve("fixed").toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("normalization standardize:0.1307:0.3081 is far from this data's "
                + "statistics").contains("--normalization fit");
    }

    @Test
    void testsAndExportsTheWeightsOfTheBestValidationEpoch() throws IOException {
        Path run = tmp.resolve("best");
        CliRun result = CliRun.of("train", "--model", "mlp-deep", "--image-dir", photos.toString(), "--image-size",
                "12x12", "--epochs", "6", "--lr", "0.05", "--val-fraction", "0.3", "--device", "cpu", "--out",
                run.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();

        List<String> rows = Files.readAllLines(run.resolve("history.csv"));
        int best = 0;
        double lowest = Double.POSITIVE_INFINITY;
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",");
            if (Double.parseDouble(cells[3]) < lowest) {
                lowest = Double.parseDouble(cells[3]);
                best = Integer.parseInt(cells[0]);
            }
        }
        JsonNode metrics = JSON.readTree(run.resolve("metrics.json").toFile());
        assertThat(metrics.path("tested_epoch").asInt()).isEqualTo(best);
        assertThat(result.out()).contains("tested the weights of epoch " + best + " (best val_loss)");
    }

    @Test
    void predictOnTheFilesGivesWhatEvaluateGaveOnTheFolder() throws IOException {
        Path run = tmp.resolve("folder-run");
        CliRun trained = CliRun.of("train", "--preset", "mnist-cnn", "--image-dir", photos.toString(),
                "--image-size", "16x16", "--epochs", "3", "--device", "cpu", "--out", run.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        JsonNode dataset = JSON.readTree(run.resolve("dataset.json").toFile());
        assertThat(dataset.path("source").asText()).isEqualTo("image-folder");
        assertThat(dataset.path("preparation").asText()).isEqualTo("plain");

        Path evaluation = tmp.resolve("evaluation");
        CliRun evaluated = CliRun.of("evaluate", "--model", run.resolve("model").toString(), "--image-dir",
                photos.toString(), "--out", evaluation.toString());
        assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
        Path predictionDir = tmp.resolve("prediction");
        CliRun predicted = CliRun.of("predict", "--model", run.toString(), photos.toString(), "--out",
                predictionDir.toString());
        assertThat(predicted.exitCode()).as(predicted.err()).isZero();
        assertThat(predicted.err()).contains("preparation: plain");

        Map<String, String> byEvaluate = predictedByFile(evaluation.resolve("predictions.csv"), 3);
        Map<String, String> byPredict = predictedByFile(predictionDir.resolve("predictions.csv"), 2);
        assertThat(byEvaluate).hasSize(90).isEqualTo(byPredict);
        List<String> header = Files.readAllLines(evaluation.resolve("predictions.csv"));
        assertThat(header.get(0)).isEqualTo("index,file,true,predicted,p_6,p_8,p_10");
    }

    /** file → predicted class from a predictions.csv whose predicted class is in column {@code column}. */
    private static Map<String, String> predictedByFile(Path csv, int column) throws IOException {
        Map<String, String> byFile = new HashMap<>();
        for (String row : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            String[] cells = row.split(",");
            byFile.put(Path.of(cells[1]).toAbsolutePath().normalize().toString(), cells[column]);
        }
        return byFile;
    }
}
