package org.digitlab.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An output that could not be written, as one line: {@code cannot write FILE: REASON}, the reason in words a user
 * can act on ("the disk is full (no space left on device)", "permission denied", …) whatever library failed
 * underneath (Java's I/O, or TensorFlow's, whose messages span lines and blame memory for a full disk).
 */
public final class CannotWriteException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;
    private static final String NO_SPACE = "No space left on device";

    /** The operating system's words (strerror) as they appear in Java's and TensorFlow's messages, and ours. */
    private static final Map<String, String> ERRORS = new LinkedHashMap<>();

    static {
        ERRORS.put(NO_SPACE, "the disk is full (no space left on device)");
        ERRORS.put("Disk quota exceeded", "the disk quota is exceeded");
        ERRORS.put("File too large", "the file would exceed the largest file this process may write (ulimit -f)");
        ERRORS.put("Read-only file system", "read-only file system");
        ERRORS.put("Permission denied", "permission denied");
        ERRORS.put("Operation not permitted", "operation not permitted");
        ERRORS.put("Too many levels of symbolic links", "symbolic link loop");
        ERRORS.put("Not a directory", "a part of the path is a file, not a directory");
        ERRORS.put("Is a directory", "a directory is in the way");
    }

    /** The file or directory that could not be written. */
    private final transient Path file;

    private CannotWriteException(Path file, String message, IOException cause) {
        super(message, cause);
        this.file = file;
    }

    /** {@code file} could not be written because of {@code cause}. */
    public static CannotWriteException of(Path file, Throwable cause) {
        return of(file, null, cause);
    }

    /**
     * {@code what} ("checkpoint", "SavedModel", or null) {@code file} could not be written because of
     * {@code cause}: {@code cannot write checkpoint FILE: the disk is full (no space left on device)}.
     */
    public static CannotWriteException of(Path file, String what, Throwable cause) {
        String message = "cannot write " + (what == null ? "" : what + " ") + file + ": " + reason(cause);
        IOException io = cause instanceof IOException e ? e : new IOException(message, cause);
        return new CannotWriteException(file, message, io);
    }

    /** The file or directory that could not be written. */
    public Path file() {
        return file;
    }

    /** Whether the disk (or the user's quota) is full. */
    public boolean diskFull() {
        return isDiskFull(this);
    }

    /** Whether {@code e} or any of its causes says the disk is full (ENOSPC or EDQUOT). */
    public static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains(NO_SPACE) || message.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why an I/O operation (a write, or TensorFlow's read of a file) failed, in one line: the first cause
     * (outermost first) that is a known file-system condition, else the first line of the innermost message.
     */
    public static String reason(Throwable e) {
        String innermost = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String known = known(t);
            if (known != null) {
                return known;
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                innermost = t.getMessage().strip().lines().findFirst().orElse("");
            }
        }
        return innermost != null ? innermost : e.getClass().getSimpleName();
    }

    private static String known(Throwable t) {
        if (t instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (t instanceof FileSystemLoopException) {
            return "symbolic link loop";
        }
        if (t instanceof FileAlreadyExistsException e && e.getReason() == null) {
            // What Files.createDirectories throws when a file (or a link to nowhere) stands where a directory goes.
            return e.getFile() + " is in the way: it exists and is not a directory";
        }
        if (t instanceof NotDirectoryException e) {
            return e.getFile() + " is not a directory";
        }
        if (t instanceof NoSuchFileException e && e.getReason() == null) {
            return e.getFile() + " does not exist";
        }
        String message = t.getMessage();
        if (message != null) {
            for (Map.Entry<String, String> error : ERRORS.entrySet()) {
                if (message.contains(error.getKey())) {
                    return error.getValue();
                }
            }
        }
        return null;
    }
}
