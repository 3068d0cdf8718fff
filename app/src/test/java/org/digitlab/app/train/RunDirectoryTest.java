package org.digitlab.app.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.digitlab.app.CliRun;
import org.digitlab.app.DirectoryLock;
import org.digitlab.app.LockHolder;
import org.digitlab.app.PhotoFolders;
import org.digitlab.data.Checksums;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory that cannot be corrupted: a failed start does not block the retry, two runs never share one
 * directory, a resume refuses to shrink a run or to continue on changed data, and damaged checkpoints are named
 * (and skipped) before TensorFlow reads them. Every refusal is one line with exit code 2.
 */
class RunDirectoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A logistic regression on 300 digits: one epoch takes a fraction of a second. */
    private static final String[] TINY = {"train", "--model", "logreg", "--dataset", "mnist-sample", "--device",
        "cpu"};

    @TempDir
    Path tmp;

    @Test
    void anEmptySplitFailsBeforeAnythingIsWritten() {
        Path dir = tmp.resolve("empty-split");
        CliRun run = CliRun.of(args(TINY, "--limit", "20", "--val-fraction", "0.01", "--epochs", "1", "--out", dir));
        assertOneLineError(run, "the validation split is empty");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aRunThatDivergedInItsFirstEpochDoesNotBlockTheCorrectedRetry() throws IOException {
        Path dir = tmp.resolve("diverged");
        CliRun diverged = CliRun.of(args(TINY, "--limit", "300", "--optimizer", "sgd", "--lr", "1e38", "--epochs",
                "1", "--out", dir));
        assertOneLineError(diverged, "training diverged");
        assertThat(dir.resolve("config.json")).exists();

        CliRun resume = CliRun.of("train", "--resume", dir.toString());
        assertOneLineError(resume, "its run never completed an epoch");
        assertThat(resume.err()).contains("'digitlab train --config " + dir.resolve("config.json") + " --out " + dir
                + "'");

        CliRun retry = CliRun.of(args(TINY, "--limit", "300", "--epochs", "1", "--out", dir));
        assertThat(retry.exitCode()).as(retry.err()).isZero();
        assertThat(retry.err()).contains("note: " + dir + " held a run that never completed an epoch");
        assertThat(ExperimentConfig.read(dir.resolve("config.json"), null).lr()).isNotEqualTo(1e38);
        assertThat(Files.readAllLines(dir.resolve("history.csv"))).hasSize(2);
    }

    @Test
    void aSecondTrainOnADirectoryInUseFailsAtOnceNamingTheHolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("in-use"));
        Process holder = LockHolder.start(dir);
        try {
            CliRun second = CliRun.of(args(TINY, "--limit", "300", "--epochs", "1", "--out", dir));
            assertOneLineError(second, "run directory " + dir + " is in use: process " + holder.pid() + " on ");
            assertThat(second.err()).contains("('" + LockHolder.COMMAND + "')");
            // At once: before the data was read and the setup printed.
            assertThat(second.out()).isEmpty();
            assertOneLineError(CliRun.of("train", "--resume", dir.toString()), "is in use: process " + holder.pid());
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly(DirectoryLock.FILE);
            }
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        CliRun after = CliRun.of(args(TINY, "--limit", "300", "--epochs", "1", "--out", dir));
        assertThat(after.exitCode()).as(after.err()).isZero();
        assertThat(dir.resolve(DirectoryLock.FILE)).isEmptyFile();
    }

    @Test
    void aDirectoryLockedByAnotherCommandOfThisProcessIsRefusedToo() {
        Path dir = tmp.resolve("same-process");
        try (DirectoryLock lock = DirectoryLock.acquire(dir, "run directory", "digitlab train --out elsewhere")) {
            CliRun second = CliRun.of(args(TINY, "--limit", "300", "--epochs", "1", "--out", dir));
            assertOneLineError(second, "is in use: process " + ProcessHandle.current().pid());
            assertThat(second.err()).contains("('digitlab train --out elsewhere')");
        }
        assertThat(dir.resolve("config.json")).doesNotExist();
    }

    @Test
    void resumeRefusesToShrinkAFinishedRun() throws IOException {
        Path dir = tmp.resolve("shrink");
        assertThat(CliRun.of(args(TINY, "--limit", "300", "--epochs", "2", "--out", dir)).exitCode()).isZero();
        String config = Files.readString(dir.resolve("config.json"));

        CliRun shrink = CliRun.of("train", "--resume", dir.toString(), "--epochs", "1");
        assertOneLineError(shrink, "with 1 epochs in all: it has completed 2 already");
        assertThat(dir.resolve("config.json")).hasContent(config);
        assertThat(Files.readAllLines(dir.resolve("history.csv"))).hasSize(3);
    }

    @Test
    void resumeRefusesADataFileThatChangedAndRecordsBothWhenAllowed() throws Exception {
        Path csv = writeCsv(tmp.resolve("data.csv"), 1);
        String before = Checksums.sha256(csv);
        Path dir = tmp.resolve("changed-file");
        CliRun first = CliRun.of("train", "--model", "logreg", "--csv", csv.toString(), "--epochs", "1", "--device",
                "cpu", "--out", dir.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        writeCsv(csv, 2);
        String after = Checksums.sha256(csv);

        CliRun refused = CliRun.of("train", "--resume", dir.toString(), "--epochs", "2");
        assertOneLineError(refused, "data file " + csv.toAbsolutePath() + " changed since the run started");
        assertThat(refused.err()).contains(after).contains(before).contains("--allow-data-change");
        assertThat(Files.readAllLines(dir.resolve("history.csv"))).hasSize(2);
        assertThat(manifest(dir).path("data_files").get(0).path("sha256").asText()).isEqualTo(before);

        CliRun allowed = CliRun.of("train", "--resume", dir.toString(), "--epochs", "2", "--allow-data-change");
        assertThat(allowed.exitCode()).as(allowed.err()).isZero();
        assertThat(allowed.err()).contains("warning: data file " + csv.toAbsolutePath() + " changed");
        JsonNode manifest = manifest(dir);
        assertThat(manifest.path("data_files").get(0).path("sha256").asText()).isEqualTo(after);
        JsonNode change = manifest.path("data_changes").get(0);
        assertThat(change.path("resumed_after_epoch").asInt()).isEqualTo(1);
        assertThat(change.path("before").path("data_files").get(0).path("sha256").asText()).isEqualTo(before);
        assertThat(Files.readAllLines(dir.resolve("history.csv"))).hasSize(3);
    }

    @Test
    void resumeRefusesAnImageFolderWhoseImagesChanged() throws IOException {
        Path photos = PhotoFolders.write(tmp.resolve("photos"), List.of("bar", "square"), 8, 12, 12, 3);
        Path dir = tmp.resolve("changed-folder");
        String[] train = {"train", "--model", "logreg", "--image-dir", photos.toString(), "--cache-dir",
            tmp.resolve("cache").toString(), "--test-fraction", "0.25", "--val-fraction", "0.25", "--epochs", "1",
            "--device", "cpu", "--out", dir.toString()};
        CliRun first = CliRun.of(train);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(manifest(dir).path("data_fingerprint").asText()).hasSize(64);
        // An image folder is no single file: its images changed, and only the decoded data's fingerprint tells.
        Files.copy(photos.resolve("bar/img001.png"), photos.resolve("bar/img000.png"),
                StandardCopyOption.REPLACE_EXISTING);

        CliRun refused = CliRun.of("train", "--resume", dir.toString(), "--epochs", "2");
        assertOneLineError(refused, "the data of " + photos + " changed since the run started");
        assertThat(refused.err()).contains("--allow-data-change");
    }

    @Test
    void aDamagedLatestCheckpointIsSkippedForThePreviousOne() throws IOException {
        Path dir = tmp.resolve("damaged-latest");
        assertThat(CliRun.of(args(TINY, "--limit", "300", "--epochs", "2", "--deterministic", "--out", dir))
                .exitCode()).isZero();
        List<String> history = Files.readAllLines(dir.resolve("history.csv"));
        flipByte(dir.resolve("checkpoints/epoch-0002/weights.data-00000-of-00001"));

        CliRun resumed = CliRun.of("train", "--resume", dir.toString(), "--epochs", "3");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        List<String> after = Files.readAllLines(dir.resolve("history.csv"));
        assertThat(after).hasSize(4);
        // Epoch 2 was trained again from epoch 1's checkpoint, and the same (deterministic) epoch came out.
        assertThat(after.subList(0, 3)).extracting(line -> line.replaceFirst(",[^,]*$", ""))
                .isEqualTo(history.stream().map(line -> line.replaceFirst(",[^,]*$", "")).toList());
    }

    @Test
    void checkpointsThatCannotBeReadAreOneLineWithExitTwo() throws IOException {
        Path dir = tmp.resolve("all-damaged");
        assertThat(CliRun.of(args(TINY, "--limit", "300", "--epochs", "2", "--out", dir)).exitCode()).isZero();
        Path latest = dir.resolve("checkpoints/epoch-0002/weights.data-00000-of-00001");
        Path previous = dir.resolve("checkpoints/epoch-0001/weights.data-00000-of-00001");
        truncate(latest);
        truncate(previous);
        assertOneLineError(CliRun.of("train", "--resume", dir.toString(), "--epochs", "3"),
                "every checkpoint is damaged");

        // A checkpoint without checksums (as before they existed): TensorFlow's own failure, in one line.
        Files.deleteIfExists(dir.resolve("checkpoints/epoch-0002/checksums.sha256"));
        CliRun legacy = CliRun.of("train", "--resume", dir.toString(), "--epochs", "3");
        assertOneLineError(legacy, "cannot read checkpoint");
        assertThat(legacy.err()).contains("epoch-0002");
    }

    private static void assertOneLineError(CliRun run, String expected) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ").contains(expected);
        assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
    }

    private static JsonNode manifest(Path dir) throws IOException {
        return JSON.readTree(dir.resolve(Manifest.FILE).toFile());
    }

    /** 120 rows of 4×4 images in 3 classes; {@code version} 2 changes one pixel of the first row. */
    private static Path writeCsv(Path file, int version) throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        StringBuilder csv = new StringBuilder();
        for (int row = 0; row < 120; row++) {
            int label = row % 3;
            csv.append(label);
            for (int p = 0; p < 16; p++) {
                int value = row == 0 && p == 0 && version == 2 ? 255 : label * 80 + random.nextInt(0, 40);
                csv.append(',').append(value);
            }
            csv.append('\n');
        }
        return Files.writeString(file, csv);
    }

    private static void flipByte(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
    }

    private static void truncate(Path file) throws IOException {
        Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), 16));
    }

    private static String[] args(String[] first, Object... more) {
        return Stream.concat(Stream.of(first), Stream.of(more).map(String::valueOf)).toArray(String[]::new);
    }
}
