package org.digitlab.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.digitlab.data.OutputFiles;

/**
 * The app's one way to write its outputs: into a temp file (or directory) of its own beside the target, then an
 * atomic rename ({@link OutputFiles}), so a killed run never leaves a half-written file where a complete one was
 * and two writers never share a temp file; a failure is one line naming the file and why (the disk is full, …).
 */
public final class AppFiles {
    /** Indented JSON, as every run file is written; reads one value where a list is expected (older runs). */
    public static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY).build();

    private AppFiles() {
    }

    /** Serialises {@code value} as indented JSON into {@code file}, atomically. */
    public static void writeJson(Path file, Object value) {
        try {
            writeString(file, JSON.writeValueAsString(value) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code content} as UTF-8 into {@code file}, atomically, creating its directory if needed. */
    public static void writeString(Path file, String content) {
        OutputFiles.writeString(file, content);
    }

    /**
     * Runs {@code export} into a fresh temp directory beside {@code dir}, then swaps it in for {@code dir}; the old
     * directory is moved aside first and deleted only once the new one is in place.
     */
    public static void replaceDirectory(Path dir, Consumer<Path> export) {
        OutputFiles.replaceDirectory(dir, export);
    }
}
