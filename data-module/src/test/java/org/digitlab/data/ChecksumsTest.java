package org.digitlab.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checksum files in sha256sum's format: written last, verified before anything reads what they protect. */
class ChecksumsTest {
    @TempDir
    Path dir;
    private Path sums;

    @BeforeEach
    void writeFiles() throws IOException {
        Files.write(dir.resolve("weights.data"), new byte[4096]);
        Files.createDirectories(dir.resolve("variables"));
        Files.writeString(dir.resolve("variables/state.json"), "{\"epoch\": 3}");
        sums = dir.resolve("checksums.sha256");
        Checksums.write(sums, Checksums.filesUnder(dir, dir));
    }

    @Test
    void writesSha256sumsFormatAndVerifiesIntactFiles() throws IOException {
        // The SHA-256 of 4096 zero bytes, as sha256sum prints it.
        assertThat(Files.readAllLines(sums)).containsExactly(
                "ad7facb2586fc6e966c004d7d1d16b024f5805ff7cb47c7a85dabd8b48892ca7  variables/state.json".replaceFirst(
                        "^\\w+", Checksums.sha256(dir.resolve("variables/state.json"))),
                "ad7facb2586fc6e966c004d7d1d16b024f5805ff7cb47c7a85dabd8b48892ca7  weights.data");
        assertThat(Checksums.verify(sums)).isEmpty();
    }

    @Test
    void oneFlippedBitIsNamed() throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("weights.data").toFile(), "rw")) {
            file.seek(2000);
            file.write(0x08);
        }
        assertThat(Checksums.verify(sums)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("weights.data is damaged").contains("checksums.sha256").doesNotContain("\n"));
    }

    @Test
    void aTruncatedOrMissingFileIsNamed() throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("weights.data").toFile(), "rw")) {
            file.setLength(100);
        }
        assertThat(Checksums.verify(sums)).hasValueSatisfying(p -> assertThat(p).contains("weights.data is damaged"));
        Files.delete(dir.resolve("variables/state.json"));
        assertThat(Checksums.verify(sums)).hasValueSatisfying(p -> assertThat(p)
                .contains("state.json is missing"));
    }

    @Test
    void aDamagedChecksumFileIsNamedToo() throws IOException {
        Files.writeString(sums, "not a checksum line\n", StandardCharsets.UTF_8);
        assertThat(Checksums.verify(sums)).hasValueSatisfying(p -> assertThat(p)
                .contains("checksums.sha256 is damaged: line 1"));
        Files.writeString(sums, "");
        assertThat(Checksums.verify(sums)).hasValueSatisfying(p -> assertThat(p).contains("lists no files"));
        Files.writeString(sums, "0".repeat(64) + "  ../outside\n");
        assertThat(Checksums.verify(sums)).hasValueSatisfying(p -> assertThat(p).contains("is damaged: line 1"));
    }

    @Test
    void listsFilesRelativeToTheBaseSorted() throws IOException {
        assertThat(Checksums.filesUnder(dir, dir.resolve("variables"))).isEqualTo(List.of("variables/state.json"));
    }
}
