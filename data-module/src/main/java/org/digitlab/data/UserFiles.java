package org.digitlab.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one guard for small text files a user hands in (configs, model specs, class-name lists, metadata in a run
 * directory): a regular file (not a directory, FIFO or device), readable, at most a given size, valid UTF-8. Every
 * refusal is an {@link InvalidDataException} naming the file as the user spelt it and saying what was found.
 */
public final class UserFiles {
    /** Configs, specs and name lists are a few kilobytes; a megabyte is generous and still harmless in memory. */
    public static final long TEXT_LIMIT = 1 << 20;

    private UserFiles() {
    }

    /**
     * The content of {@code file} ({@code what} says what it should be, e.g. "config file"), at most
     * {@code limit} bytes. Reads at most {@code limit + 1} bytes whatever the file claims, so {@code /dev/zero}
     * or a file that grows cannot exhaust memory.
     */
    public static String readText(Path file, String what, long limit) {
        checkRegularFile(file, what);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw InvalidDataException.of(file, what + " is larger than " + size(limit)
                        + "; expected a small text file");
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw InvalidDataException.of(file, what + " is not UTF-8 text (binary file?)");
        } catch (IOException e) {
            throw unreadable(file, what, e);
        }
    }

    /**
     * Checks that {@code file} is an existing, readable regular file; otherwise an {@link InvalidDataException}
     * saying what it is instead (missing, a directory, a FIFO or device, a symbolic-link loop, not permitted).
     */
    public static void checkRegularFile(Path file, String what) {
        if (Files.isRegularFile(file)) {
            if (!Files.isReadable(file)) {
                throw InvalidDataException.of(file, "cannot read " + what + ": permission denied");
            }
            return;
        }
        if (Files.isDirectory(file)) {
            throw InvalidDataException.of(file, "is a directory; expected " + withArticle(what));
        }
        if (Files.exists(file)) {
            throw InvalidDataException.of(file, "is not a regular file (a FIFO, socket or device?); expected "
                    + withArticle(what));
        }
        if (Files.isSymbolicLink(file)) {
            throw InvalidDataException.of(file, "is a broken symbolic link or a link loop; expected "
                    + withArticle(what));
        }
        throw InvalidDataException.of(file, what + " not found");
    }

    /** An I/O failure as one line: what went wrong, in words a user can act on. */
    public static InvalidDataException unreadable(Path file, String what, IOException e) {
        return InvalidDataException.of(file, "cannot read " + what + ": " + reason(e), e);
    }

    /**
     * What an I/O failure means, in words a user can act on: "permission denied", "file not found", "the data
     * ends unexpectedly" (a cut gzip stream throws an EOFException without a message), or its own message.
     */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "file not found";
        }
        if (e instanceof FileSystemLoopException) {
            return "symbolic link loop";
        }
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            return e instanceof EOFException ? "the data ends unexpectedly" : e.getClass().getSimpleName();
        }
        return e.getMessage();
    }

    private static String size(long bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%d MiB", bytes >> 20) : bytes + " bytes";
    }

    /** "an image file", "a CSV file". */
    private static String withArticle(String what) {
        return ("aeiouAEIOU".indexOf(what.charAt(0)) >= 0 ? "an " : "a ") + what;
    }
}
