package org.digitlab.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.digitlab.app.model.TrainedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs that cannot be written: a full disk, an {@code --out} that is a file, a link loop or not writable. Each is
 * one {@code error:} line naming the file and the reason, exit code 2, and nothing claims success.
 */
class OutputFailuresTest {
    private static final String[] TINY = {"train", "--model", "logreg", "--dataset", "mnist-sample", "--limit",
        "300", "--device", "cpu"};

    @TempDir
    Path tmp;

    @Test
    void outPointingAtAFileIsOneLineNamingIt() throws IOException {
        Path file = Files.writeString(tmp.resolve("afile"), "not a directory");
        assertOneLineError(CliRun.of(args(TINY, "--epochs", "1", "--out", file)),
                "--out " + file + " is a file, not a directory");
        assertOneLineError(CliRun.of("evaluate", "--model", TrainedModels.tenClass().toString(), "--dataset",
                "mnist-sample", "--out", file.toString()), "--out " + file + " is a file, not a directory");
        assertOneLineError(CliRun.of("predict", "--model", TrainedModels.tenClass().toString(), "--dataset",
                "mnist-sample", "--limit", "5", "--out", file.resolve("sub").toString()), file
                + " is a file, not a directory");
        assertThat(file).hasContent("not a directory");
    }

    @Test
    void outThroughASymbolicLinkLoopIsOneLine() throws IOException {
        Path loop = Files.createSymbolicLink(tmp.resolve("loop"), tmp.resolve("loop"));
        assertOneLineError(CliRun.of(args(TINY, "--epochs", "1", "--out", loop.resolve("run"))),
                loop + " is a symbolic link loop");
        assertOneLineError(CliRun.of("train", "--resume", loop.toString()), "--resume " + loop
                + " is a symbolic link loop");
    }

    @Test
    void anUnwritableOutIsOneLineSayingWhy() throws IOException {
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        SmallDisk readOnly = null;
        if (Files.isWritable(locked)) {
            // Root writes anywhere: a read-only file system is what stops it.
            readOnly = SmallDisk.mount(tmp.resolve("read-only"), "ro,size=64k");
            assumeTrue(readOnly != null, "running as root where tests may not mount: nothing is unwritable here");
            locked = readOnly.dir();
        }
        try {
            CliRun run = CliRun.of(args(TINY, "--epochs", "1", "--out", locked.resolve("run")));
            assertOneLineError(run, "--out " + locked.resolve("run") + ": cannot write into " + locked + ": "
                    + (readOnly != null ? "read-only file system" : "permission denied"));
        } finally {
            if (readOnly != null) {
                readOnly.close();
            }
        }
    }

    @Test
    void aFullDiskIsOneLineNamingTheFileAndTheRunResumesOnceThereIsRoom() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), "size=200k")) {
            if (disk == null) {
                fileSizeLimitIsOneLineNamingTheFile();
                return;
            }
            // Room for the first epoch's checkpoint, not for the second.
            Path run = disk.dir().resolve("run");
            CliRun full = CliRun.of(args(TINY, "--epochs", "2", "--out", run));
            assertOneLineError(full, "cannot write checkpoint " + run.resolve("checkpoints/epoch-0002")
                    + ": the disk is full (no space left on device)");
            assertThat(full.out()).doesNotContain("run directory:").doesNotContain("test accuracy");
            assertThat(full.err()).doesNotContain("OOM");
            try (Stream<Path> leftovers = Files.list(run.resolve("checkpoints"))) {
                assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
            }

            disk.remount("size=8m");
            CliRun resumed = CliRun.of("train", "--resume", run.toString());
            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            assertThat(Files.readAllLines(run.resolve("history.csv"))).hasSize(3);
        }
    }

    @Test
    void aDiskFullBeforeTheFirstFileIsOneLineToo() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("tiny"), "size=4k")) {
            assumeTrue(disk != null, "the full-disk test above covers this machine with a file-size limit");
            Files.write(disk.dir().resolve("filler"), new byte[4096]);
            Path run = disk.dir().resolve("run");
            CliRun full = CliRun.of(args(TINY, "--epochs", "1", "--out", run));
            assertOneLineError(full, ": the disk is full (no space left on device)");
            // The first file is the lock's record.
            assertThat(full.err()).startsWith("error: cannot write lock file " + run.resolve(DirectoryLock.FILE));
        }
    }

    /**
     * Where tests may not mount: a file-size limit (RLIMIT_FSIZE, which the JVM meets as EFBIG, not as a signal)
     * fails the first checkpoint file of a child process the same way.
     */
    private void fileSizeLimitIsOneLineNamingTheFile() throws Exception {
        Path run = tmp.resolve("limited");
        ChildJvm.Result child = ChildJvm.run(tmp, DigitLab.class, List.of("prlimit", "--fsize=30000"),
                args(TINY, "--epochs", "1", "--out", run));
        assertThat(child.exitCode()).as(child.err()).isEqualTo(2);
        List<String> errors = child.err().lines().filter(line -> line.startsWith("error:")).toList();
        assertThat(errors).singleElement().asString().isEqualTo("error: cannot write checkpoint "
                + run.resolve("checkpoints/epoch-0001") + ": the file would exceed the largest file this process "
                + "may write (ulimit -f)");
        assertThat(child.out()).doesNotContain("run directory:");
    }

    @Test
    void writersOfOneFileNeverShareATempFile() throws Exception {
        Path file = tmp.resolve("config.json");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (char c : new char[] {'a', 'b'}) {
                String content = String.valueOf(c).repeat(200_000);
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        AppFiles.writeString(file, content);
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdown();
        }
        String written = Files.readString(file);
        assertThat(written).hasSize(200_000).matches("a+|b+");
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("config.json");
        }
    }

    private static void assertOneLineError(CliRun run, String expected) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ").contains(expected);
        assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
    }

    private static String[] args(String[] first, Object... more) {
        return Stream.concat(Stream.of(first), Stream.of(more).map(String::valueOf)).toArray(String[]::new);
    }
}
