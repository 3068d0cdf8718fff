package org.digitlab.app.train;

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

/**
 * The files of one training run ({@code digitlab train --out DIR}) that {@code train} writes itself (the test
 * report comes from {@link org.digitlab.app.model.TestReportWriter}, the checkpoints from the trainer). Every file
 * is written to a temp file in the same directory and renamed into place, and {@code model/} is exported to a temp
 * directory first, so a killed run never leaves a half-written output behind.
 */
final class RunDirectory {
    static final String CONFIG = "config.json";
    static final String HISTORY = "history.csv";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Path dir;

    RunDirectory(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path resolve(String name) {
        return dir.resolve(name);
    }

    void writeJson(String name, Object value) {
        try {
            writeString(name, JSON.writeValueAsString(value) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    void writeString(String name, String content) {
        Path target = dir.resolve(name);
        Path tmp = dir.resolve("." + name + ".tmp");
        try {
            Files.createDirectories(dir);
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code export} into a fresh temp directory, then swaps it in as {@code name}. */
    void replaceDirectory(String name, Consumer<Path> export) {
        Path target = dir.resolve(name);
        Path tmp = dir.resolve("." + name + ".tmp");
        Path old = dir.resolve("." + name + ".old");
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
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
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
