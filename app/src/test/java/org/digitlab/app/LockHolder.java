package org.digitlab.app;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A second process for lock tests: locks the directory given as its argument with {@link DirectoryLock} (as
 * {@code train} does), prints {@code locked}, and holds the lock until its standard input closes.
 */
public final class LockHolder {
    /** What the holder records as its command. */
    public static final String COMMAND = "lock-holder for a test";

    private LockHolder() {
    }

    /** Locks {@code args[0]} until standard input closes. */
    public static void main(String[] args) throws IOException {
        try (DirectoryLock lock = DirectoryLock.acquire(Path.of(args[0]), "run directory", COMMAND)) {
            System.out.println("locked");
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    /** Starts a holder of {@code dir} in a new JVM and returns once it holds the lock. */
    public static Process start(Path dir) throws IOException {
        return ChildJvm.start(LockHolder.class, java.util.List.of(), dir.toString()).awaitLine("locked");
    }
}
