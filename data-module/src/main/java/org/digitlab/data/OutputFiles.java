package org.digitlab.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The one way DigitLab writes its outputs: into a temp file (or directory) with a name of its own beside the
 * target, then an atomic rename, so a killed run never leaves a half-written file where a complete one was and two
 * writers never share a temp file. Every failure is one {@link CannotWriteException} line naming the target.
 */
public final class OutputFiles {
    /** Every temp file and directory ends so; leftovers of a killed writer are recognised by it. */
    public static final String TEMP_SUFFIX = ".tmp";

    private OutputFiles() {
    }

    /** A fresh path beside {@code target}, {@code .NAME.UUID.tmp}: no other writer can pick the same. */
    public static Path tempSibling(Path target) {
        Path absolute = target.toAbsolutePath();
        return absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
    }

    /** Writes {@code content} as UTF-8 into {@code file}, atomically, creating its directory if needed. */
    public static void writeString(Path file, String content) {
        write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code content} into {@code file}, atomically, creating its directory if needed. */
    public static void write(Path file, byte[] content) {
        Path target = file.toAbsolutePath();
        // Not Files.createTempFile: its owner-only permissions would survive the rename.
        Path tmp = tempSibling(target);
        try {
            Files.createDirectories(target.getParent());
            Files.write(tmp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw CannotWriteException.of(file, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Runs {@code fill} on a fresh temp directory beside {@code dir}, then swaps it in for {@code dir}; the old
     * directory is moved aside first and deleted only once the new one is in place. A failed fill leaves
     * {@code dir} as it was and no temp directory behind.
     */
    public static void replaceDirectory(Path dir, Consumer<Path> fill) {
        Path target = dir.toAbsolutePath();
        Path tmp = tempSibling(target);
        Path old = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".old");
        try {
            Files.createDirectories(target.getParent());
            fill.accept(tmp);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } catch (IOException | UncheckedIOException e) {
            throw CannotWriteException.of(dir, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Deletes {@code root} and everything under it; nothing when it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** {@link #deleteTree} for clean-ups after a failure, which must not hide that failure. */
    public static void deleteQuietly(Path root) {
        try {
            deleteTree(root);
        } catch (IOException | UncheckedIOException e) {
            // Only a leftover temp file; the next writer's name differs and the run's clean-up removes it.
        }
    }

    /**
     * Checks, before anything is written, that {@code dir} can be an output directory: a writable directory, or a
     * path that can be created inside the nearest existing directory above it.
     *
     * @param what names the directory in the message, e.g. {@code --out}
     * @throws IllegalArgumentException in one line saying what is in the way: a file, a symbolic link loop or a
     *                                  link to nothing, a read-only file system, or missing permission
     */
    public static void checkOutputDirectory(Path dir, String what) {
        Path absolute = dir.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        String subject = what + " " + dir + (existing.equals(absolute) ? "" : ": " + existing);
        if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
            throw new IllegalArgumentException(subject + (isLinkLoop(existing) ? " is a symbolic link loop"
                    : " is a symbolic link to a path that does not exist") + "; expected a directory");
        }
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException(subject + " is a file, not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw new IllegalArgumentException(what + " " + dir + ": cannot write into " + existing + ": "
                    + (readOnly(existing) ? "read-only file system" : "permission denied"));
        }
    }

    private static boolean isLinkLoop(Path link) {
        try {
            link.toRealPath();
            return false;
        } catch (NoSuchFileException e) {
            return false;
        } catch (FileSystemException e) {
            return CannotWriteException.reason(e).equals("symbolic link loop");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean readOnly(Path dir) {
        try {
            return Files.getFileStore(dir).isReadOnly();
        } catch (IOException e) {
            return false;
        }
    }
}
