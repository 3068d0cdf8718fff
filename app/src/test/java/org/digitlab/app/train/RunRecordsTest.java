package org.digitlab.app.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.digitlab.app.CliRun;
import org.digitlab.data.Dataset;
import org.digitlab.data.builtin.BuiltinDatasets;
import org.digitlab.data.idx.IdxWriter;
import org.digitlab.model.LayerSpec;
import org.digitlab.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a run records besides its results: manifest.json, TensorBoard events, and a config that reruns it. */
class RunRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void manifestRecordsVersionsDeviceSeedTimesAndTheSha256OfEveryDataFile() throws Exception {
        Dataset sample = BuiltinDatasets.mnistSample().train();
        Path images = tmp.resolve("train-images.idx.gz");
        Path labels = tmp.resolve("train-labels.idx.gz");
        IdxWriter.write(sample.subset(IntStream.range(0, 300).toArray()), images, labels, true);
        Path dir = tmp.resolve("run");
        Instant before = Instant.now();

        assertThat(run("train", "--model", "logreg", "--epochs", "1", "--device", "cpu", "--seed", "7",
                "--images", images.toString(), "--labels", labels.toString(), "--out", dir.toString())).isZero();

        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
        assertThat(manifest.path("digitlab_version").asText()).isNotBlank().isNotEqualTo("unknown")
                .doesNotContain("${");
        assertThat(manifest.path("tensorflow_version").asText()).matches("\\d+\\.\\d+.*");
        assertThat(manifest.path("device").asText()).isEqualTo("CPU");
        assertThat(manifest.path("seed").asLong()).isEqualTo(7);
        Instant started = Instant.parse(manifest.path("started").asText());
        Instant finished = Instant.parse(manifest.path("finished").asText());
        assertThat(started).isAfterOrEqualTo(before.minusSeconds(1)).isBeforeOrEqualTo(finished);
        JsonNode files = manifest.path("data_files");
        assertThat(files.size()).isEqualTo(2);
        assertThat(files.get(0).path("file").asText()).isEqualTo(images.toAbsolutePath().toString());
        assertThat(files.get(0).path("sha256").asText()).isEqualTo(sha256(Files.readAllBytes(images)));
        assertThat(files.get(1).path("file").asText()).isEqualTo(labels.toAbsolutePath().toString());
        assertThat(files.get(1).path("sha256").asText()).isEqualTo(sha256(Files.readAllBytes(labels)));
    }

    @Test
    void manifestHashesTheBuiltInSampleFromTheClasspath() throws Exception {
        Path dir = tmp.resolve("sample");
        assertThat(run("train", "--preset", "base", "--limit", "200", "--epochs", "1", "--device", "cpu",
                "--out", dir.toString())).isZero();

        JsonNode files = JSON.readTree(dir.resolve("manifest.json").toFile()).path("data_files");
        assertThat(files.size()).isEqualTo(2);
        for (JsonNode file : files) {
            String name = file.path("file").asText();
            assertThat(name).startsWith("classpath:/org/digitlab/data/builtin/mnist-sample-");
            try (InputStream in = getClass().getResourceAsStream(name.substring("classpath:".length()))) {
                assertThat(in).isNotNull();
                assertThat(file.path("sha256").asText()).isEqualTo(sha256(in.readAllBytes()));
            }
        }
    }

    @Test
    void tensorboardFlagWritesEventFilesForTrainingAndValidation() throws IOException {
        Path dir = tmp.resolve("tb");
        assertThat(run("train", "--preset", "base", "--limit", "200", "--epochs", "2", "--device", "cpu",
                "--tensorboard", "--out", dir.toString())).isZero();

        for (String part : List.of("train", "validation")) {
            try (Stream<Path> files = Files.list(dir.resolve("tensorboard").resolve(part))) {
                List<Path> events = files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents"))
                        .toList();
                assertThat(events).as(part).isNotEmpty();
                assertThat(Files.size(events.get(0))).as(part).isPositive();
            }
        }
        assertThat(ExperimentConfig.read(dir.resolve("config.json"), null).tensorboard()).isTrue();
    }

    @Test
    void savedConfigRerunsTheExperimentWithTheSameHistory() throws IOException {
        Path yaml = tmp.resolve("exp.yaml");
        Files.writeString(yaml, """
                preset: exp2
                data: {dataset: mnist-sample}
                limit: 300
                epochs: 2
                deterministic: true
                device: cpu
                """);
        Path first = tmp.resolve("first");
        Path again = tmp.resolve("again");

        assertThat(run("train", "--config", yaml.toString(), "--batch-size", "16", "--out", first.toString()))
                .isZero();
        assertThat(run("train", "--config", first.resolve("config.json").toString(), "--out", again.toString()))
                .isZero();

        assertThat(ExperimentConfig.read(again.resolve("config.json"), null))
                .isEqualTo(ExperimentConfig.read(first.resolve("config.json"), null));
        assertThat(ExperimentConfig.read(again.resolve("config.json"), null).batchSize()).isEqualTo(16);
        assertThat(withoutTimes(again.resolve("history.csv"))).isEqualTo(withoutTimes(first.resolve("history.csv")))
                .hasSize(3);
    }

    @Test
    void configFileMayGiveTheModelSpecInline() throws IOException {
        Path yaml = tmp.resolve("inline.yaml");
        Files.writeString(yaml, """
                data: {dataset: mnist-sample}
                classes: [3, 5, 7]
                model:
                  inputShape: [28, 28, 1]
                  layers:
                    - {type: flatten}
                    - {type: dense, units: 16, activation: relu}
                  head: {type: softmax, numClasses: 3}
                limit: 150
                epochs: 1
                device: cpu
                """);
        Path dir = tmp.resolve("inline");

        assertThat(run("train", "--config", yaml.toString(), "--out", dir.toString())).isZero();

        ExperimentConfig saved = ExperimentConfig.read(dir.resolve("config.json"), null);
        assertThat(saved.model()).isEqualTo(ExperimentConfig.INLINE);
        assertThat(saved.classes()).containsExactly("3", "5", "7");
        ModelSpec spec = saved.inlineModel();
        assertThat(spec.layers()).hasSize(2);
        assertThat(((LayerSpec.Dense) spec.layers().get(1)).units()).isEqualTo(16);
        assertThat(JSON.readTree(dir.resolve("metrics.json").toFile()).path("test").path("per_class").size())
                .isEqualTo(3);
    }

    @Test
    void modelFlagReplacesAnInlineSpec() throws IOException {
        Path yaml = tmp.resolve("inline.json");
        Files.writeString(yaml, "{\"model\": {\"inputShape\": [28, 28, 1], \"layers\": [{\"type\": \"flatten\"}],"
                + " \"head\": {\"type\": \"softmax\", \"numClasses\": 10}}}");
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs("--config", yaml.toString(), "--model", "mlp");

        ExperimentConfig resolved = command.resolve();

        assertThat(resolved.model()).isEqualTo("mlp");
        assertThat(resolved.modelSpec()).isNull();
    }

    private static List<String> withoutTimes(Path history) throws IOException {
        return Files.readAllLines(history).stream().map(line -> line.substring(0, line.lastIndexOf(','))).toList();
    }

    private static int run(String... args) {
        CliRun run = CliRun.of(args);
        if (run.exitCode() != 0) {
            System.err.println(run.err());
        }
        return run.exitCode();
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
