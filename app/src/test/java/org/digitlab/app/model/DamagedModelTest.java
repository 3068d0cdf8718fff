package org.digitlab.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.digitlab.app.CliRun;
import org.digitlab.data.Checksums;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged model directory (a flipped bit, a truncated file) is named by {@code evaluate} and {@code predict} in
 * one line with exit code 2, before TensorFlow reads it: never a stack of TensorFlow lines, never predictions that
 * silently differ.
 */
class DamagedModelTest {
    @TempDir
    static Path shared;
    static Path trained;

    @TempDir
    Path tmp;

    @BeforeAll
    static void train() {
        trained = shared.resolve("run");
        CliRun run = CliRun.of("train", "--model", "logreg", "--dataset", "mnist-sample", "--limit", "300",
                "--epochs", "1", "--device", "cpu", "--out", trained.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void theRunRecordsTheChecksumsOfEveryFileTheModelNeeds() throws IOException {
        List<String> names = Files.readAllLines(trained.resolve(ModelDirectory.CHECKSUMS)).stream()
                .map(line -> line.substring(66)).toList();
        assertThat(names).contains("model/saved_model.pb", "model/variables/variables.index",
                "model/variables/variables.data-00000-of-00001", ModelDirectory.MODEL_SPEC,
                ModelDirectory.NORMALIZATION, ModelDirectory.DATASET);
        assertThat(Checksums.verify(trained.resolve(ModelDirectory.CHECKSUMS))).isEmpty();
    }

    @Test
    void aFlippedBitInTheWeightsIsRefusedNamingTheFile() throws IOException {
        Path run = copy();
        Path weights = run.resolve("model/variables/variables.data-00000-of-00001");
        flipBit(weights, Files.size(weights) / 2);
        CliRun evaluate = CliRun.of("evaluate", "--model", run.toString(), "--dataset", "mnist-sample", "--limit",
                "100");
        assertOneLineError(evaluate, weights + " is damaged");
        assertThat(evaluate.err()).contains(ModelDirectory.CHECKSUMS);
    }

    @Test
    void aChangedDigitInTheNormalizationIsRefusedInsteadOfPredictingOtherwise() throws IOException {
        Path run = copy();
        Path normalization = run.resolve(ModelDirectory.NORMALIZATION);
        String json = Files.readString(normalization);
        // Still valid JSON, still a plausible mean: only the checksum can tell.
        Files.writeString(normalization, json.replaceFirst("\"mean\" : \\[ 0\\.1", "\"mean\" : [ 0.2"));
        assertThat(Files.readString(normalization)).isNotEqualTo(json);
        CliRun predict = CliRun.of("predict", "--model", run.toString(), "--dataset", "mnist-sample", "--limit", "5");
        assertOneLineError(predict, normalization + " is damaged");
    }

    @Test
    void aTruncatedSavedModelWithoutChecksumsIsStillOneLine() throws IOException {
        Path run = copy();
        Files.delete(run.resolve(ModelDirectory.CHECKSUMS));
        Path weights = run.resolve("model/variables/variables.data-00000-of-00001");
        Files.write(weights, java.util.Arrays.copyOf(Files.readAllBytes(weights), 100));
        CliRun evaluate = CliRun.of("evaluate", "--model", run.toString(), "--dataset", "mnist-sample", "--limit",
                "100");
        assertOneLineError(evaluate, "cannot load the SavedModel (damaged?)");
    }

    private Path copy() throws IOException {
        return ModelDirectoryTest.copyOf(trained, tmp.resolve("copy"));
    }

    private static void flipBit(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x01;
        Files.write(file, bytes);
    }

    private static void assertOneLineError(CliRun run, String expected) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ").contains(expected);
        assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
    }
}
