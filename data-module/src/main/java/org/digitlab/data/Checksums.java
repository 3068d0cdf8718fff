package org.digitlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * SHA-256 checksum files in the format of {@code sha256sum} (one {@code HEX  NAME} line per file, names relative to
 * the checksum file's directory, so {@code sha256sum -c} verifies them there). DigitLab writes one last beside what
 * it protects (a checkpoint, a SavedModel) and verifies it before anything else reads those files, so a truncated
 * or flipped byte is named instead of read.
 */
public final class Checksums {
    /** A checksum file is a line per file; this allows some ten thousand files. */
    private static final long LIMIT = 1 << 20;
    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *](.+)");

    private Checksums() {
    }

    /**
     * Writes {@code checksumFile} (atomically) with the SHA-256 of each of {@code names}, relative to its
     * directory.
     */
    public static void write(Path checksumFile, List<String> names) {
        Path dir = directoryOf(checksumFile);
        StringBuilder text = new StringBuilder();
        for (String name : names) {
            Path file = dir.resolve(name);
            try {
                text.append(sha256(file)).append("  ").append(name).append('\n');
            } catch (IOException e) {
                throw CannotWriteException.of(checksumFile, "checksum file", e);
            }
        }
        OutputFiles.writeString(checksumFile, text.toString());
    }

    /**
     * The regular files under {@code root}, as names relative to {@code base} with {@code /} separators, sorted;
     * {@code root} may be a single file.
     */
    public static List<String> filesUnder(Path base, Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> base.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"))
                    .sorted().toList();
        }
    }

    /**
     * Checks every file {@code checksumFile} lists against its SHA-256.
     *
     * @return empty when all match; else one line naming the first file that is damaged, missing or unreadable
     *         (or the checksum file itself, when it is)
     */
    public static Optional<String> verify(Path checksumFile) {
        String text;
        try {
            text = UserFiles.readText(checksumFile, "checksum file", LIMIT);
        } catch (InvalidDataException e) {
            return Optional.of(e.getMessage());
        }
        List<String[]> entries = new ArrayList<>();
        int number = 0;
        for (String line : text.lines().toList()) {
            number++;
            Matcher m = LINE.matcher(line);
            Path name = m.matches() ? Path.of(m.group(2)).normalize() : null;
            if (name == null || name.isAbsolute() || name.startsWith("..")) {
                return Optional.of(checksumFile + " is damaged: line " + number + " is not 'SHA-256  file name'");
            }
            entries.add(new String[] {m.group(1), m.group(2)});
        }
        if (entries.isEmpty()) {
            return Optional.of(checksumFile + " is damaged: it lists no files");
        }
        for (String[] entry : entries) {
            // Named as the caller spelt the checksum file's path (relative stays relative).
            Path file = checksumFile.resolveSibling(entry[1]);
            if (!Files.isRegularFile(file)) {
                return Optional.of(file + " is missing (" + checksumFile.getFileName() + " lists it)");
            }
            try {
                if (!sha256(file).equals(entry[0])) {
                    return Optional.of(file + " is damaged: its SHA-256 differs from the one recorded in "
                            + checksumFile);
                }
            } catch (IOException e) {
                return Optional.of(UserFiles.unreadable(file, "file", e).getMessage());
            }
        }
        return Optional.empty();
    }

    /** SHA-256 of a file, in lower-case hex. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    /** SHA-256 of what {@code in} holds from here to its end, in lower-case hex. */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static Path directoryOf(Path file) {
        return file.toAbsolutePath().getParent();
    }
}
