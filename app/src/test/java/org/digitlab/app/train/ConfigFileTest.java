package org.digitlab.app.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.digitlab.app.CliRun;
import org.digitlab.data.InvalidDataException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --config FILE}: the file gets the guard every user file gets (a regular, readable, small file) and
 * its values are typed as strictly as flags; every refusal is exit 2 and one line naming the file, the line and
 * the key.
 */
class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void devZeroAsConfigExitsTwoAtOnceWithOneLine() {
        CliRun run = train(Path.of("/dev/zero"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: /dev/zero: is not a regular file (a FIFO, socket or device?); "
                + "expected a config file\n");
    }

    @Test
    void fifoAsConfigIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("exp.yaml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        // Without mkfifo, a character device stands in: also not a regular file, though reading it would not block.
        Path special = mkfifo.waitFor() == 0 && Files.exists(fifo) ? fifo : Path.of("/dev/null");

        CliRun run = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> train(special));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: " + special + ": is not a regular file").hasLineCount(1);
    }

    @Test
    void directoryAsConfigSaysItIsADirectory() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("exp.yaml"));

        CliRun run = train(folder);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: " + folder + ": is a directory; expected a config file\n");
    }

    @Test
    void configWithoutReadPermissionSaysPermissionDenied() throws IOException {
        Path file = write("exp.yaml", "preset: mnist-mlp\nepochs: 3\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));

        if (Files.isReadable(file)) {
            // Running as root: permissions are not enforced, and the file reads as any other.
            assertThat(ExperimentConfig.read(file, null).epochs()).isEqualTo(3);
        } else {
            assertThatThrownBy(() -> ExperimentConfig.read(file, null))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessage(file + ": cannot read config file: permission denied");
        }
    }

    @Test
    void aConfigLargerThanAMegabyteIsRefusedUnread() throws IOException {
        Path file = write("huge.yaml", "preset: mnist-mlp\n" + "# padding\n".repeat(120_000));

        CliRun run = train(file);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: " + file + ": config file is larger than 1 MiB; expected a small "
                + "text file\n");
    }

    @Test
    void fractionalWholeNumbersAreRefusedNamingTheKeyAndLine() throws IOException {
        Path epochs = write("epochs.yaml", "preset: mnist-mlp\n# three and a bit\nepochs: 2.7\n");
        Path batch = write("batch.json", "{\n  \"preset\": \"mnist-mlp\",\n  \"batch_size\": 32.9\n}\n");

        assertRefused(epochs, "line 3: epochs must be a whole number, found 2.7");
        assertRefused(batch, "line 3: batch_size must be a whole number, found 32.9");
    }

    @Test
    void aDuplicateKeyIsRefusedNamingTheKeyAndTheLineOfTheSecond() throws IOException {
        Path yaml = write("twice.yaml", "preset: mnist-mlp\nepochs: 2\nlr: 0.1\nepochs: 5\n");
        Path json = write("twice.json", "{\"preset\": \"mnist-mlp\",\n\"lr\": 0.1,\n\"lr\": 0.2}");

        assertRefused(yaml, "line 4: key 'epochs' is given twice; give each key once");
        assertRefused(json, "line 3: key 'lr' is given twice; give each key once");
    }

    @Test
    void aSecondYamlDocumentIsRefusedNamingWhereItStarts() throws IOException {
        Path file = write("two.yaml", "preset: mnist-mlp\nepochs: 2\n---\nepochs: 50\n");

        assertRefused(file, "line 4, column 1: a second YAML document starts here; expected one document per file");
    }

    @Test
    void contentAfterTheJsonObjectIsRefused() throws IOException {
        Path file = write("trailing.json", "{\"preset\": \"mnist-mlp\"}\n{\"epochs\": 50}\n");

        assertRefused(file, "line 2, column 1: unexpected content after the end of the JSON value; expected one "
                + "value per file");
    }

    @Test
    void stringsAreNotNumbersNorNumbersBooleansNorNullAValue() throws IOException {
        assertRefused(write("a.yaml", "preset: mnist-mlp\nepochs: \"5\"\n"),
                "line 2: epochs must be a whole number, found \"5\"");
        assertRefused(write("b.json", "{\"preset\": \"mnist-mlp\", \"lr\": \"0.1\"}"),
                "line 1: lr must be a number, found \"0.1\"");
        assertRefused(write("c.yaml", "preset: mnist-mlp\naugment_flip: 1\n"),
                "line 2: augment_flip must be true or false, found 1");
        assertRefused(write("d.yaml", "preset: mnist-mlp\nseed: ~\n"),
                "line 2: seed must be a whole number, found null (no value)");
        assertRefused(write("e.yaml", "preset: mnist-mlp\nepochs: 99999999999\n"),
                "line 2: epochs must be a whole number from -2147483648 to 2147483647, found 99999999999");
    }

    @Test
    void anInlineModelSpecIsCheckedAgainstTheConfigsOwnLines() throws IOException {
        Path file = write("inline.yaml", """
                preset: mnist-mlp
                model:
                  inputShape: [28, 28, 1]
                  layers:
                    - {type: flatten}
                    - {type: dense, units: 2.5}
                  head: {numClasses: 10}
                """);

        assertRefused(file, "line 6: model.layers[1].units must be a whole number, found 2.5");

        Files.writeString(file, Files.readString(file).replace("units: 2.5", "units: -3"));
        assertRefused(file, "line 2: model: layers[1].units must be > 0, was -3");
    }

    @Test
    void wellTypedConfigsStillRead() throws IOException {
        Path file = write("ok.yaml", "preset: mnist-mlp\nepochs: 3\nlr: 1e-3\nbatch_size: 16\naugment_flip: true\n"
                + "classes: [6, 8]\nweight_decay: 0\n");

        ExperimentConfig config = ExperimentConfig.read(file, null);

        assertThat(config.epochs()).isEqualTo(3);
        assertThat(config.lr()).isEqualTo(0.001);
        assertThat(config.batchSize()).isEqualTo(16);
        assertThat(config.augmentFlip()).isTrue();
        assertThat(config.classes()).containsExactly("6", "8");
    }

    /** Both through the command line (exit 2, one line) and the reader (the exact message). */
    private void assertRefused(Path file, String problem) {
        CliRun run = train(file);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: " + file + ": " + problem + "\n");
        assertThatThrownBy(() -> ExperimentConfig.read(file, null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage(file + ": " + problem);
    }

    private CliRun train(Path config) {
        return CliRun.of("train", "--config", config.toString(), "--out", dir.resolve("run").toString());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
