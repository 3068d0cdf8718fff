package org.digitlab.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.OutputFiles;
import org.digitlab.data.UserFiles;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.ModelSpecs;
import org.digitlab.model.StrictJson;

/**
 * The app's one way to write its outputs: into a temp file (or directory) of its own beside the target, then an
 * atomic rename ({@link OutputFiles}), so a killed run never leaves a half-written file where a complete one was
 * and two writers never share a temp file; a failure is one line naming the file and why (the disk is full, …).
 * Its JSON files are read back through the same guard as every user file ({@link UserFiles}) and as strictly as
 * configs ({@link StrictJson}).
 */
public final class AppFiles {
    /** Indented JSON, as every run file is written; reads one value where a list is expected (older runs). */
    public static final ObjectMapper JSON = StrictJson.strict(JsonMapper.builder())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY).build();

    private AppFiles() {
    }

    /**
     * Reads JSON file {@code file} ({@code what} says what it should be, e.g. "normalization file") as
     * {@code type}.
     *
     * @throws InvalidDataException naming the file, the line and the key at fault
     */
    public static <T> T readJson(Path file, String what, Class<T> type) {
        String text = UserFiles.readText(file, what, UserFiles.TEXT_LIMIT);
        try {
            return StrictJson.readValue(JSON, text, type);
        } catch (JsonProcessingException e) {
            StrictJson.Problem problem = StrictJson.problem(e, JSON, text);
            throw InvalidDataException.at(file, problem.line(), problem.column(), problem.message());
        }
    }

    /**
     * Reads a model spec file ({@code .json}, {@code .yaml} or {@code .yml}) through the user-file guard.
     *
     * @throws InvalidDataException when the file cannot be read as text
     * @throws org.digitlab.model.InvalidModelSpecException naming the file, line and field of a bad spec
     */
    public static ModelSpec readModelSpec(Path file) {
        return ModelSpecs.parse(UserFiles.readText(file, "model spec file", UserFiles.TEXT_LIMIT), file);
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
