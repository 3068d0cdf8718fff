package org.digitlab.app.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.IntStream;
import org.digitlab.app.CliRun;
import org.digitlab.app.model.ModelDirectory;
import org.digitlab.data.Dataset;
import org.digitlab.data.builtin.BuiltinDatasets;
import org.digitlab.data.idx.IdxWriter;
import org.digitlab.training.Precision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Real (tiny) runs of {@code digitlab train} on the built-in MNIST sample. */
class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 600 samples: 120 held out for test, 48 for validation, 432 to train on; one MLP epoch takes well under 1 s. */
    private static final String[] SMALL_MLP = {"train", "--preset", "mnist-mlp", "--dataset", "mnist-sample",
        "--epochs", "1", "--limit", "600"};

    @TempDir
    static Path tmp;
    static Path oneEpochRun;
    static CliRun oneEpoch;

    @BeforeAll
    static void trainOneEpoch() {
        oneEpochRun = tmp.resolve("one-epoch");
        oneEpoch = CliRun.of(concat(SMALL_MLP, "--device", "cpu", "--out", oneEpochRun.toString()));
    }

    @Test
    void oneEpochRunWritesEveryOutputFile() throws IOException {
        assertThat(oneEpoch.exitCode()).as(oneEpoch.err()).isZero();
        assertThat(oneEpoch.out()).contains("test accuracy").contains(oneEpochRun.toString());
        for (String name : List.of("config.json", "manifest.json", "history.csv", "metrics.json", "predictions.csv",
                "report.txt", "confusion.csv", "model.json", "normalization.json", "dataset.json",
                "model/saved_model.pb", "plots/confusion_matrix.png", "plots/training_curves.png", "checkpoints")) {
            assertThat(oneEpochRun.resolve(name)).as(name).exists();
        }
        try (Stream<Path> files = Files.list(oneEpochRun)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void printsTheTestReportItWrote() throws IOException {
        assertThat(oneEpoch.out()).contains(Files.readString(oneEpochRun.resolve("report.txt")))
                .contains("weighted avg");
    }

    @Test
    void historyHasTheExactHeaderAndOneRowPerEpoch() throws IOException {
        List<String> lines = Files.readAllLines(oneEpochRun.resolve("history.csv"));
        assertThat(lines.get(0)).isEqualTo("epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("1,");
    }

    @Test
    void metricsNameTestResultsAndHowTheRunEnded() throws IOException {
        JsonNode metrics = JSON.readTree(oneEpochRun.resolve("metrics.json").toFile());
        // 20% of 600, stratified: each class rounds on its own, so a sample or two either way.
        assertThat(metrics.path("test").path("samples").asInt()).isBetween(118, 122);
        assertThat(metrics.path("test").path("loss").asDouble()).isPositive();
        // No label smoothing or L2 here: the loss as trained is the plain cross-entropy.
        assertThat(metrics.path("test").path("log_loss").asDouble())
                .isCloseTo(metrics.path("test").path("loss").asDouble(), within(1e-3));
        assertThat(metrics.path("test").path("accuracy").asDouble())
                .isCloseTo(predictionAccuracy(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(metrics.path("test").path("per_class").size()).isEqualTo(10);
        assertThat(metrics.path("epochs_run").asInt()).isEqualTo(1);
        assertThat(metrics.path("best_epoch").asInt()).isEqualTo(1);
        assertThat(metrics.path("stop_reason").asText()).isNotBlank();
        assertThat(metrics.path("device").asText()).isEqualTo("CPU");
        assertThat(metrics.path("train_seconds").asDouble()).isPositive();
    }

    @Test
    void predictionsHaveOneRowPerTestSampleWithProbabilitiesSummingToOne() throws IOException {
        List<String> lines = Files.readAllLines(oneEpochRun.resolve("predictions.csv"));
        assertThat(lines.get(0)).isEqualTo("index,true,predicted,p_0,p_1,p_2,p_3,p_4,p_5,p_6,p_7,p_8,p_9");
        int samples = JSON.readTree(oneEpochRun.resolve("metrics.json").toFile()).path("test").path("samples").asInt();
        assertThat(lines).hasSize(samples + 1);
        String[] row = lines.get(1).split(",");
        assertThat(row).hasSize(13);
        double sum = 0;
        for (int c = 3; c < row.length; c++) {
            sum += Double.parseDouble(row[c]);
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void runDirectoryOpensAsAModelThatPredictsLikeTheRun() throws IOException {
        try (ModelDirectory model = ModelDirectory.open(oneEpochRun)) {
            Dataset first = BuiltinDatasets.mnistSample().train().subset(new int[] {0, 1, 2});
            float[][] probabilities = model.predict(first);
            assertThat(probabilities).hasDimensions(3, 10);
            assertThat(model.classNames()).hasSize(10);
        }
    }

    @Test
    void configRecordsTheResolvedExperimentAndReadsBack() throws IOException {
        ExperimentConfig config = ExperimentConfig.read(oneEpochRun.resolve("config.json"), null);
        assertThat(config.preset()).isEqualTo("mnist-mlp");
        assertThat(config.epochs()).isEqualTo(1);
        assertThat(config.limit()).isEqualTo(600);
        assertThat(config.normalization()).isEqualTo("fit");
        assertThat(config.keep()).isEqualTo("best");
        assertThat(config.data()).containsEntry("dataset", "mnist-sample");
        assertThat(config.device()).isEqualTo("cpu");
    }

    @Test
    void printsTheSetupBeforeTrainingAndNamesTheTestedEpoch() throws IOException {
        assertThat(oneEpoch.out()).containsPattern("splits: +train 4\\d\\d · validation \\d\\d · test 1\\d\\d "
                + "\\(stratified 20% held out\\)").contains("images:        28×28×1")
                .contains("classes (10):  0, 1, 2")
                .contains("normalization: fitted on the training split, standardize: mean 0.1")
                .contains("training:      1 epoch, batch 64, adam lr 0.001, cosine schedule\n")
                .contains("augmentation:  shifts up to 1 px\n")
                .contains("tested the weights of epoch 1 (best val_loss)");
        JsonNode metrics = JSON.readTree(oneEpochRun.resolve("metrics.json").toFile());
        assertThat(metrics.path("tested_epoch").asInt()).isEqualTo(1);
        assertThat(metrics.path("tested_weights").asText()).isEqualTo("best val_loss");
        JsonNode normalization = JSON.readTree(oneEpochRun.resolve("normalization.json").toFile());
        assertThat(normalization.path("mean").get(0).asDouble()).isCloseTo(0.13, within(0.01));
    }

    @Test
    void resumeWithMoreEpochsExtendsTheFinishedRunInPlace() throws IOException {
        Path copy = tmp.resolve("resumed");
        copyTree(oneEpochRun, copy);
        CliRun resumed = CliRun.of("train", "--resume", copy.toString(), "--epochs", "2");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        List<String> history = Files.readAllLines(copy.resolve("history.csv"));
        assertThat(history).hasSize(3);
        assertThat(history.get(1)).isEqualTo(Files.readAllLines(oneEpochRun.resolve("history.csv")).get(1));
        assertThat(history.get(2)).startsWith("2,");
        assertThat(JSON.readTree(copy.resolve("metrics.json").toFile()).path("epochs_run").asInt()).isEqualTo(2);
        assertThat(ExperimentConfig.read(copy.resolve("config.json"), null).epochs()).isEqualTo(2);
    }

    @Test
    void aDamagedCheckpointStateIsOneLineNamingTheFile() throws IOException {
        Path copy = tmp.resolve("damaged-state");
        copyTree(oneEpochRun, copy);
        Path state = copy.resolve("checkpoints/epoch-0001/state.json");
        String saved = Files.readString(state);
        Files.writeString(state, saved.substring(0, saved.length() / 2));

        CliRun resumed = CliRun.of("train", "--resume", copy.toString(), "--epochs", "2");

        assertThat(resumed.exitCode()).isEqualTo(2);
        // The checkpoint's checksums catch the damage before the JSON is parsed (RunFilesTest covers the parse).
        assertThat(resumed.err()).startsWith("error: ").contains(state + " is damaged").hasLineCount(1);
    }

    @Test
    void aModelSpecOfDevZeroIsRefusedAtOnce() {
        CliRun run = CliRun.of(concat(SMALL_MLP, "--model", "/dev/zero", "--out", tmp.resolve("zero").toString()));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: /dev/zero: is not a regular file (a FIFO, socket or device?); "
                + "expected a model spec file\n");
    }

    @Test
    void givenTestFilesAreTheTestSetAndTheConfigRecordsAbsolutePaths() throws IOException {
        Dataset sample = BuiltinDatasets.mnistSample().train();
        Dataset train = sample.subset(IntStream.range(0, 400).toArray());
        Dataset test = sample.subset(IntStream.range(9_900, 10_000).toArray());
        IdxWriter.write(train, tmp.resolve("train-images.idx"), tmp.resolve("train-labels.idx"), false);
        IdxWriter.write(test, tmp.resolve("test-images.idx.gz"), tmp.resolve("test-labels.idx.gz"), true);
        Path dir = tmp.resolve("files");
        CliRun result = CliRun.of("train", "--model", "logreg", "--epochs", "1", "--device", "cpu",
                "--out", dir.toString(),
                "--images", tmp.resolve("train-images.idx").toString(),
                "--labels", tmp.resolve("train-labels.idx").toString(),
                "--test-images", tmp.resolve("test-images.idx.gz").toString(),
                "--test-labels", tmp.resolve("test-labels.idx.gz").toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode metrics = JSON.readTree(dir.resolve("metrics.json").toFile());
        assertThat(metrics.path("test").path("samples").asInt()).isEqualTo(100);
        assertThat(metrics.path("samples").path("train").asInt() + metrics.path("samples").path("validation").asInt())
                .isEqualTo(400);
        ExperimentConfig config = ExperimentConfig.read(dir.resolve("config.json"), null);
        assertThat(config.preset()).isEqualTo("custom");
        assertThat(Path.of(config.data().get("test-images"))).isAbsolute().hasFileName("test-images.idx.gz");
        assertThat(Path.of(config.data().get("images"))).isAbsolute();
    }

    @Test
    void badFlagValueExitsWithTwoAndOneErrorLine() {
        CliRun bad = CliRun.of("train", "--preset", "mnist-mlp", "--schedule", "sideways", "--out",
                tmp.resolve("bad").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("error:").contains("sideways");
        assertThat(bad.err().strip().lines()).hasSize(1);
        assertThat(tmp.resolve("bad")).doesNotExist();
    }

    @Test
    void unknownPresetIsRejectedWithTheKnownNames() {
        CliRun bad = CliRun.of("train", "--preset", "imagenet");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("error:").contains("imagenet").contains("mnist-cnn");
    }

    @Test
    void gpuRequestedWithoutAGpuIsAClearErrorNotACpuRun() {
        Path dir = tmp.resolve("gpu");
        CliRun gpu = CliRun.of(concat(SMALL_MLP, "--device", "gpu", "--out", dir.toString()));
        assertThat(gpu.exitCode()).isEqualTo(2);
        assertThat(gpu.err()).startsWith("error:").containsIgnoringCase("gpu");
        assertThat(dir.resolve("history.csv")).doesNotExist();
    }

    @Test
    void existingRunDirectoryIsNotOverwritten() {
        CliRun again = CliRun.of(concat(SMALL_MLP, "--out", oneEpochRun.toString()));
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).startsWith("error:").contains("--resume");
    }

    @Test
    void configFileGivesTheExperimentAndFlagsOverrideIt() throws IOException {
        Path file = tmp.resolve("exp.yaml");
        Files.writeString(file, "preset: mnist-cnn\nepochs: 7\nschedule: step:2:0.5\n");
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs("--config", file.toString(), "--lr", "0.01", "--dataset", "mnist-sample");
        ExperimentConfig resolved = command.resolve();
        assertThat(resolved.model()).isEqualTo("cnn");
        assertThat(resolved.epochs()).isEqualTo(7);
        assertThat(resolved.schedule()).isEqualTo("step:2:0.5");
        assertThat(resolved.lr()).isEqualTo(0.01);
        assertThat(resolved.training().optimizer().learningRate()).isEqualTo(0.01);
    }

    @Test
    void configFileWithAnUnknownKeyNamesTheFileAndTheKey() throws IOException {
        Path file = tmp.resolve("typo.json");
        Files.writeString(file, "{\"preset\": \"mnist-mlp\", \"epochz\": 3}");
        CliRun bad = CliRun.of("train", "--config", file.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("error:").contains("typo.json").contains("epochz");
    }

    @Test
    void referenceFlagsTurnTheMnistCnnRecipeIntoTheReferenceRun() {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs(concat(new String[] {"--preset", "mnist-cnn"},
                Experiments.REFERENCE_FLAGS.split(" ")));
        ExperimentConfig resolved = command.resolve();
        assertThat(resolved.training().epochs()).isEqualTo(5);
        assertThat(resolved.training().batchSize()).isEqualTo(64);
        assertThat(resolved.training().optimizer().type().name()).isEqualTo("ADAM");
        assertThat(resolved.training().optimizer().learningRate()).isEqualTo(1e-3);
        assertThat(resolved.training().schedule().kind().name()).isEqualTo("CONSTANT");
        assertThat(resolved.training().augmentShift()).isZero();
        assertThat(resolved.dropout()).isZero();
    }

    @Test
    void flipAndLabelSmoothingFlagsReachTheTrainingConfig() {
        TrainCommand on = new TrainCommand();
        new CommandLine(on).parseArgs("--preset", "mnist-cnn", "--augment-flip", "--label-smoothing", "0.1");
        assertThat(on.resolve().training().augmentFlip()).isTrue();
        assertThat(on.resolve().training().labelSmoothing()).isEqualTo(0.1);
        assertThat(Experiments.preset("mnist-cnn").training().augmentFlip()).isFalse();

        TrainCommand off = new TrainCommand();
        new CommandLine(off).parseArgs("--preset", "mnist-cnn", "--augment-flip", "false");
        assertThat(off.resolve().training().augmentFlip()).isFalse();

        TrainCommand bad = new TrainCommand();
        new CommandLine(bad).parseArgs("--preset", "mnist-cnn", "--label-smoothing", "1.5");
        assertThatThrownBy(bad::resolve).hasMessageContaining("label smoothing must be in [0, 1), got 1.5");
    }

    @Test
    void precisionFlagReachesTheTrainingConfigAndABadOneIsOneLineNamingTheChoices() {
        TrainCommand mixed = new TrainCommand();
        new CommandLine(mixed).parseArgs("--preset", "mnist-cnn", "--precision", "mixed_bfloat16");
        assertThat(mixed.resolve().training().precision()).isEqualTo(Precision.MIXED_BFLOAT16);
        assertThat(mixed.resolve().describeTraining()).endsWith(", mixed_bfloat16");
        assertThat(Experiments.preset("mnist-cnn").training().precision()).isEqualTo(Precision.FLOAT32);

        CliRun bad = CliRun.of("train", "--preset", "mnist-mlp", "--precision", "fp16", "--out",
                tmp.resolve("fp16").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("error: unknown precision 'fp16'; expected float32 or mixed_bfloat16");
        assertThat(tmp.resolve("fp16")).doesNotExist();
    }

    @Test
    void augmentationFlagsReachTheTrainingConfigAndTheConfigFile() throws IOException {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs("--preset", "mnist-cnn", "--augment-shift", "0", "--augment-crop", "2",
                "--augment-rotate", "10", "--augment-scale", "0.1", "--augment-erase", "0.5");
        ExperimentConfig resolved = command.resolve();
        assertThat(resolved.training().augmentCrop()).isEqualTo(2);
        assertThat(resolved.training().augmentRotate()).isEqualTo(10);
        assertThat(resolved.training().augmentScale()).isEqualTo(0.1);
        assertThat(resolved.training().augmentErase()).isEqualTo(0.5);
        Path file = tmp.resolve("augment.yaml");
        Files.writeString(file, "preset: mnist-cnn\naugment_shift: 0\naugment_crop: 1\naugment_erase: 0.25\n");
        ExperimentConfig read = ExperimentConfig.read(file, null);
        assertThat(read.augmentCrop()).isEqualTo(1);
        assertThat(read.augmentErase()).isEqualTo(0.25);
        assertThat(JSON.valueToTree(read).fieldNames()).toIterable()
                .contains("augment_crop", "augment_rotate", "augment_scale", "augment_erase");
        assertThat(Experiments.preset("mnist-cnn").training().augmentErase()).isZero();

        // mnist-cnn shifts by 2 pixels: a crop on top of it is the same transform twice.
        TrainCommand both = new TrainCommand();
        new CommandLine(both).parseArgs("--preset", "mnist-cnn", "--augment-crop", "2");
        assertThatThrownBy(both::resolve).hasMessageContaining("give one of them, got crop 2 and shift 2");
    }

    @Test
    void trainPrintsTheModelsParametersAndFlopsBeforeTraining() {
        // mnist-mlp: 784-128-64-10.
        assertThat(oneEpoch.out()).contains("model:         mlp, 109,386 parameters, 218,762 FLOPs per sample (forward)");
    }

    @Test
    void aClassSelectionWhoseClassIsAbsentIsRefusedBeforeTraining() {
        // Digits without a single 8: "6 vs 8" cannot be trained, and must not silently become a one-class model.
        Dataset all = BuiltinDatasets.load(BuiltinDatasets.MNIST_SAMPLE, null, null).train();
        int[] noEights = IntStream.range(0, 600).filter(i -> !all.classNames().get(all.label(i)).equals("8"))
                .toArray();
        Path images = tmp.resolve("no-eights-images.idx");
        Path labels = tmp.resolve("no-eights-labels.idx");
        IdxWriter.write(all.subset(noEights), images, labels, false);
        Path out = tmp.resolve("six-eight");

        CliRun run = CliRun.of("train", "--preset", "binary-6v8", "--images", images.toString(), "--labels",
                labels.toString(), "--device", "cpu", "--out", out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines().toList()).hasSize(1).first().asString()
                .contains("class 8 is not in the data; its classes are: 0, 1, 2, 3, 4, 5, 6, 7, 9");
        assertThat(out).doesNotExist();
    }

    /** The share of predictions.csv rows whose predicted class is the true one. */
    private static double predictionAccuracy() throws IOException {
        List<String> rows = Files.readAllLines(oneEpochRun.resolve("predictions.csv"));
        long correct = rows.stream().skip(1).map(r -> r.split(",")).filter(r -> r[1].equals(r[2])).count();
        return (double) correct / (rows.size() - 1);
    }


    private static String[] concat(String[] first, String... more) {
        return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }
}
