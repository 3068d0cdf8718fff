package org.digitlab.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.UserFiles;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.ModelSpecs;
import org.digitlab.model.StrictJson;

/**
 * The app's one way to write its outputs: into a temp file (or directory) beside the target, then an atomic
 * rename, so a killed run never leaves a half-written file where a complete one was. Its JSON files are read back
 * through the same guard as every user file ({@link UserFiles}) and as strictly as configs ({@link StrictJson}).
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
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code export} into a fresh temp directory beside {@code dir}, then swaps it in for {@code dir}; the old
     * directory is moved aside first and deleted only once the new one is in place.
     */
    public static void replaceDirectory(Path dir, Consumer<Path> export) {
        Path target = dir.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Path old = target.resolveSibling("." + target.getFileName() + ".old");
        try {
            deleteTree(tmp);
            deleteTree(old);
            export.accept(tmp);
            if (Files.exists(target)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
