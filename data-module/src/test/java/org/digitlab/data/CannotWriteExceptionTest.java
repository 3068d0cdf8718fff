package org.digitlab.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The one line a failed write becomes, whatever failed underneath. */
class CannotWriteExceptionTest {
    private static final Path FILE = Path.of("runs", "a", "checkpoints", "epoch-0002");

    @Test
    void fullDiskFromJavaIsOneLineSayingSoAndNamingTheFile() {
        CannotWriteException e = CannotWriteException.of(FILE, "checkpoint",
                new IOException("No space left on device"));
        assertThat(e).hasMessage("cannot write checkpoint " + FILE + ": the disk is full (no space left on device)");
        assertThat(e.diskFull()).isTrue();
        assertThat(e.file()).isEqualTo(FILE);
    }

    @Test
    void tensorFlowsMultiLineOutOfMemoryHintBecomesTheDiskIsFull() {
        // What TensorFlow's Save op says when the disk is full: three lines, and a hint about memory.
        RuntimeException tf = new RuntimeException("/r/checkpoints/.weights-1.data-00000-of-00001.tempstate51; "
                + "No space left on device\n\t [[{{node checkpoint/Save}}]]\nHint: If you want to see a list of "
                + "allocated tensors when OOM happens, add report_tensor_allocations_upon_oom to RunOptions");
        CannotWriteException e = CannotWriteException.of(FILE, new IOException("/r/.weights-1: " + tf.getMessage(),
                tf));
        assertThat(e.getMessage()).isEqualTo("cannot write " + FILE + ": the disk is full (no space left on device)")
                .doesNotContain("OOM").doesNotContain("\n");
        assertThat(CannotWriteException.isDiskFull(new IllegalStateException("wrapped", tf))).isTrue();
    }

    @Test
    void otherFileSystemConditionsAreNamedInWords() {
        assertThat(CannotWriteException.reason(new AccessDeniedException("/x"))).isEqualTo("permission denied");
        assertThat(CannotWriteException.reason(new IOException("Read-only file system"))).isEqualTo(
                "read-only file system");
        assertThat(CannotWriteException.reason(new IOException("Disk quota exceeded")))
                .isEqualTo("the disk quota is exceeded");
        assertThat(CannotWriteException.reason(new IOException("x: File too large"))).contains("ulimit -f");
        assertThat(CannotWriteException.reason(new FileAlreadyExistsException("/tmp/afile")))
                .isEqualTo("/tmp/afile is in the way: it exists and is not a directory");
        assertThat(CannotWriteException.isDiskFull(new AccessDeniedException("/x"))).isFalse();
    }

    @Test
    void anUnknownCauseGivesTheFirstLineOfTheInnermostMessage() {
        IOException inner = new IOException("device went away\nsecond line");
        assertThat(CannotWriteException.of(FILE, new RuntimeException("outer", inner)).getMessage())
                .isEqualTo("cannot write " + FILE + ": device went away");
        assertThat(CannotWriteException.reason(new IOException())).isEqualTo("IOException");
    }
}
