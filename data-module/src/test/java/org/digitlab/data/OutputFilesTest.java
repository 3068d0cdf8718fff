package org.digitlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic outputs with temp names of their own, and the output-directory check every command makes first. */
class OutputFilesTest {
    @TempDir
    Path dir;

    @Test
    void tempNamesAreUniqueAndMarkedAsTemp() {
        Path target = dir.resolve("config.json");
        Path a = OutputFiles.tempSibling(target);
        Path b = OutputFiles.tempSibling(target);
        assertThat(a).isNotEqualTo(b);
        assertThat(a.getParent()).isEqualTo(dir.toAbsolutePath());
        assertThat(a.getFileName().toString()).startsWith(".config.json.").endsWith(OutputFiles.TEMP_SUFFIX);
    }

    @Test
    void aFailedWriteNamesTheFileAndLeavesNoTempFile() throws IOException {
        Path target = Files.createDirectories(dir.resolve("config.json").resolve("sub"))
                .getParent();
        assertThatThrownBy(() -> OutputFiles.writeString(target, "{}")).isInstanceOf(CannotWriteException.class)
                .hasMessageStartingWith("cannot write " + target + ": ");
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries).noneMatch(p -> p.getFileName().toString().endsWith(".tmp"));
        }
    }

    @Test
    void aFailedDirectoryFillKeepsTheOldDirectoryAndNoTemp() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("saved_model.pb"), "old");
        assertThatThrownBy(() -> OutputFiles.replaceDirectory(model, tmp -> {
            throw new java.io.UncheckedIOException(new IOException("No space left on device"));
        })).isInstanceOf(CannotWriteException.class).hasMessage("cannot write " + model
                + ": the disk is full (no space left on device)");
        assertThat(model.resolve("saved_model.pb")).hasContent("old");
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("model");
        }
    }

    @Test
    void anOutputDirectoryThatIsAFileIsOneLine() throws IOException {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        assertThatThrownBy(() -> OutputFiles.checkOutputDirectory(file, "--out"))
                .hasMessage("--out " + file + " is a file, not a directory");
        assertThatThrownBy(() -> OutputFiles.checkOutputDirectory(file.resolve("run"), "--out"))
                .hasMessage("--out " + file.resolve("run") + ": " + file + " is a file, not a directory");
    }

    @Test
    void symbolicLinkLoopsAndDanglingLinksAreNamed() throws IOException {
        Path loop = Files.createSymbolicLink(dir.resolve("loop"), dir.resolve("loop"));
        assertThatThrownBy(() -> OutputFiles.checkOutputDirectory(loop, "--out"))
                .hasMessage("--out " + loop + " is a symbolic link loop; expected a directory");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertThatThrownBy(() -> OutputFiles.checkOutputDirectory(dangling.resolve("run"), "--out"))
                .hasMessageContaining("is a symbolic link to a path that does not exist");
    }

    @Test
    void aWritableOrCreatableDirectoryPasses() {
        OutputFiles.checkOutputDirectory(dir, "--out");
        OutputFiles.checkOutputDirectory(dir.resolve("a/b/c"), "--out");
        assertThat(dir.resolve("a")).doesNotExist();
    }
}
