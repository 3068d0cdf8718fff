package org.digitlab.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
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

/** JSON and YAML (de)serialisation of {@link ModelSpec}; bad input ends in {@link InvalidModelSpecException}. */
public final class ModelSpecs {
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final ObjectMapper YAML =
            YAMLMapper.builder(
                            YAMLFactory.builder()
                                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                                    .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID) // "type: dense", not "!<dense>"
                                    .build())
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

    /** Reads a spec file; {@code .json} is JSON, {@code .yaml}/{@code .yml} YAML. */
    public static ModelSpec read(Path file) throws IOException {
        return parse(mapperFor(file), Files.readString(file), file.toString());
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
            ModelSpec spec = mapper.readValue(text, ModelSpec.class);
            if (spec == null) {
                throw new InvalidModelSpecException(source + ": empty model spec");
            }
            return spec;
        } catch (JsonProcessingException e) {
            throw new InvalidModelSpecException(source + ": " + describe(e), e);
        }
    }

    /** "line 3, column 7: layers[2].units must be > 0, was 0" from Jackson's nested exceptions. */
    private static String describe(JsonProcessingException e) {
        StringBuilder message = new StringBuilder();
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message.append("line ").append(location.getLineNr());
            message.append(", column ").append(location.getColumnNr()).append(": ");
        }
        Throwable cause = e.getCause();
        if (cause instanceof InvalidModelSpecException) {
            return message.append(cause.getMessage()).toString(); // already names the field
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            message.append(path(m)).append(": ");
        }
        String problem =
                cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
        return message.append(problem).toString();
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            }
        }
        return path.toString();
    }
}
