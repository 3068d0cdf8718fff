package org.digitlab.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * JSON and YAML (de)serialisation of {@link ModelSpec}, read as strictly as {@link StrictJson} reads (no
 * {@code units: 2.5}, no duplicate keys, one document per file); bad input ends in
 * {@link InvalidModelSpecException}.
 */
public final class ModelSpecs {
    /** Spec files are a few kilobytes; {@link #read} refuses anything larger than this. */
    public static final long MAX_FILE_BYTES = 1 << 20;
    private static final ObjectMapper JSON =
            StrictJson.strict(JsonMapper.builder()).enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final ObjectMapper YAML =
            StrictJson.strict(YAMLMapper.builder(
                            YAMLFactory.builder()
                                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                                    .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID) // "type: dense", not "!<dense>"
                                    .build()))
                    .build();

    private ModelSpecs() {}

    /** The spec as indented JSON. */
    public static String toJson(ModelSpec spec) {
        return write(JSON, spec);
    }

    /** The spec as YAML (layer types as {@code type: dense}, no document start marker). */
    public static String toYaml(ModelSpec spec) {
        return write(YAML, spec);
    }

    /** Parses a JSON spec; bad input throws {@link InvalidModelSpecException} naming line, column and field. */
    public static ModelSpec fromJson(String json) {
        return parse(JSON, json, "JSON model spec");
    }

    /** Parses a YAML spec; bad input throws {@link InvalidModelSpecException} naming line, column and field. */
    public static ModelSpec fromYaml(String yaml) {
        return parse(YAML, yaml, "YAML model spec");
    }

    /**
     * Converts a spec already read as a tree (e.g. the inline {@code model} of a config); bad input throws
     * {@link InvalidModelSpecException} naming the field, what was expected and what was found.
     */
    public static ModelSpec fromTree(JsonNode tree) {
        try {
            return JSON.treeToValue(tree, ModelSpec.class);
        } catch (JsonProcessingException e) {
            throw new InvalidModelSpecException("model spec: " + StrictJson.problem(e, tree), e);
        }
    }

    /**
     * Reads a spec file; {@code .json} is JSON, {@code .yaml}/{@code .yml} YAML. Only a regular file of at most
     * {@link #MAX_FILE_BYTES} is read (a FIFO or {@code /dev/zero} is refused, not read); the app reads user files
     * through its own guard and {@link #parse(String, Path)}.
     */
    public static ModelSpec read(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE_BYTES) {
            throw new InvalidModelSpecException(file + ": expected a model spec file of at most "
                    + (MAX_FILE_BYTES >> 20) + " MiB" + (Files.exists(file) ? "" : ", found nothing there"));
        }
        return parse(Files.readString(file), file);
    }

    /**
     * Parses {@code text}, the content of spec file {@code file} ({@code .json} is JSON, {@code .yaml}/{@code .yml}
     * YAML); bad input throws {@link InvalidModelSpecException} naming the file, the line and the field.
     */
    public static ModelSpec parse(String text, Path file) {
        return parse(mapperFor(file), text, file.toString());
    }

    /** Writes a spec file atomically, in the format its extension names. */
    public static void write(Path file, ModelSpec spec) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, write(mapperFor(file), spec));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static ObjectMapper mapperFor(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return JSON;
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return YAML;
        }
        throw new InvalidModelSpecException(
                file + ": unknown model spec format; expected a .json, .yaml or .yml file");
    }

    private static String write(ObjectMapper mapper, ModelSpec spec) {
        try {
            return mapper.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a valid record always serialises
        }
    }

    private static ModelSpec parse(ObjectMapper mapper, String text, String source) {
        try {
            return StrictJson.readValue(mapper, text, ModelSpec.class);
        } catch (JsonProcessingException e) {
            throw new InvalidModelSpecException(source + ": " + StrictJson.problem(e, mapper, text), e);
        }
    }
}
