package org.digitlab.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test: a real full disk (ENOSPC) or read-only file system (EROFS), which a
 * permission check cannot fake for root. Needs Linux and the right to mount (root, as the CI machine runs).
 */
public final class SmallDisk implements AutoCloseable {
    private final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    /**
     * Mounts a tmpfs with the given {@code mount -o} options (e.g. {@code size=64k} or {@code ro}) on
     * {@code dir}, created if needed; null where this machine does not let the tests mount.
     */
    public static SmallDisk mount(Path dir, String options) {
        try {
            Files.createDirectories(dir);
            return run("mount", "-t", "tmpfs", "-o", options, "digitlab-test", dir.toString())
                    ? new SmallDisk(dir) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Where it is mounted. */
    public Path dir() {
        return dir;
    }

    /** Changes the mount's options, e.g. a larger {@code size=…}: the full disk freed. */
    public void remount(String options) throws IOException {
        if (!run("mount", "-o", "remount," + options, dir.toString())) {
            throw new IOException("cannot remount the test's tmpfs at " + dir + " with " + options);
        }
    }

    @Override
    public void close() throws IOException {
        if (!run("umount", dir.toString())) {
            throw new IOException("cannot unmount the test's tmpfs at " + dir);
        }
    }

    private static boolean run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
