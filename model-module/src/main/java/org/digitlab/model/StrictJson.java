package org.digitlab.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the JSON and YAML files users write (configs, model specs) and the ones DigitLab keeps in a run directory
 * as strictly as the command line reads flags: a whole number is never truncated from {@code 2.7}, a string is
 * never a number ({@code "5"}) nor a number a boolean, a key is given once, and one JSON value or one YAML document
 * is the whole file. Failures come back as a {@link Problem}: the line and what was expected versus found, e.g.
 * {@code line 4: epochs must be a whole number, found 2.7}, for the caller to put after the file's name.
 */
public final class StrictJson {
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");
    private static final Pattern KNOWN_TYPE_IDS = Pattern.compile("known type ids = \\[([^]]*)]");
    private static final int FOUND_LENGTH = 40;

    private StrictJson() {
    }

    /**
     * Where and what went wrong in a file.
     *
     * @param line    1-based line, or 0 when not known
     * @param column  1-based column of a syntax error, or 0
     * @param message what was expected versus found, naming the key when there is one
     */
    public record Problem(int line, int column, String message) {
        /** "line 4: epochs must be a whole number, found 2.7", or the message alone without a line. */
        @Override
        public String toString() {
            String where = line <= 0 ? "" : column <= 0 ? "line " + line + ": " : "line " + line + ", column "
                    + column + ": ";
            return where + message;
        }
    }

    /**
     * {@code builder} with the strict reading features: duplicate keys, trailing content, floats for whole numbers,
     * scalars coerced from strings (or booleans from numbers), nulls for primitives, numbers for enums and unknown
     * keys are all errors.
     */
    public static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B strict(B builder) {
        return builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
    }

    /**
     * The one value (JSON) or document (YAML) {@code text} holds, as a tree; null when the text holds none.
     *
     * @throws JsonProcessingException on a syntax error, a duplicate key or anything after the value
     */
    public static JsonNode readTree(ObjectMapper mapper, String text) throws JsonProcessingException {
        try (JsonParser parser = mapper.createParser(text)) {
            // Trailing content is checked here, to say so in words (a second YAML document, most often).
            JsonNode tree = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(parser);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, isYaml(mapper)
                        ? "a second YAML document starts here; expected one document per file"
                        : "unexpected content after the end of the JSON value; expected one value per file",
                        parser.currentTokenLocation());
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading a string failed", e); // a String has no I/O to fail
        }
    }

    /**
     * {@code text} read as {@code type} through {@link #readTree}.
     *
     * @throws JsonProcessingException as {@link #readTree}, or when a value has the wrong type or is refused
     */
    public static <T> T readValue(ObjectMapper mapper, String text, Class<T> type) throws JsonProcessingException {
        JsonNode tree = readTree(mapper, text);
        if (tree == null || tree.isMissingNode()) {
            throw new JsonParseException(null, "the file is empty; expected " + expected(type));
        }
        return mapper.treeToValue(tree, type);
    }

    /**
     * What {@code e}, thrown while reading {@code text} (or a tree read from it) with {@code mapper}, means: the
     * line of the key at fault, the key as a path ({@code layers[2].units}), what was expected and what was found.
     */
    public static Problem problem(JsonProcessingException e, ObjectMapper mapper, String text) {
        return problem(e, mapper, text, "");
    }

    /**
     * As {@link #problem(JsonProcessingException, ObjectMapper, String)} for {@code e} thrown while reading the
     * value of the top-level key {@code under} (e.g. {@code model}) on its own; paths then start with that key.
     */
    public static Problem problem(JsonProcessingException e, ObjectMapper mapper, String text, String under) {
        if (e instanceof JsonMappingException m && (!m.getPath().isEmpty() || !under.isEmpty())) {
            JsonPointer pointer = under.isEmpty() ? pointer(m) : JsonPointer.empty().appendProperty(under)
                    .append(pointer(m));
            Found found = find(mapper, text, pointer);
            return new Problem(found == null ? 0 : found.line(), 0, describe(m, under, found));
        }
        if (e instanceof JsonMappingException m) {
            return new Problem(0, 0, describe(m, "", null));
        }
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            // SnakeYAML's message spans lines; its problem and context say it in one.
            String context = yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")";
            return new Problem(yaml.getProblemMark().getLine() + 1, yaml.getProblemMark().getColumn() + 1,
                    firstLine(yaml.getProblem()) + context);
        }
        JsonLocation location = e.getLocation();
        int line = location == null ? 0 : Math.max(0, location.getLineNr());
        int column = location == null ? 0 : Math.max(0, location.getColumnNr());
        String message = firstLine(e.getOriginalMessage());
        Matcher duplicate = DUPLICATE.matcher(message);
        if (duplicate.matches()) {
            return new Problem(line, 0, "key '" + duplicate.group(1) + "' is given twice; give each key once");
        }
        return new Problem(line, column, message);
    }

    /**
     * What {@code e}, thrown while converting {@code tree} (not read from a file, so without lines), means: the
     * key as a path, what was expected and what the tree holds there.
     */
    public static Problem problem(JsonProcessingException e, JsonNode tree) {
        if (e instanceof JsonMappingException m) {
            JsonNode node = tree.at(pointer(m));
            return new Problem(0, 0, describe(m, "", node.isMissingNode() ? null : new Found(0, describe(node))));
        }
        return new Problem(0, 0, firstLine(e.getOriginalMessage()));
    }

    /** A value as found in the file: its line and how it reads ("2.7", "\"5\"", "a list"). */
    private record Found(int line, String text) {
    }

    /** {@code e} in words; {@code under} is the top-level key the failed value was read from on its own, if any. */
    private static String describe(JsonMappingException e, String under, Found found) {
        String path = path(e);
        String key = under.isEmpty() ? path : path.isEmpty() ? under : path.startsWith("[") ? under + path
                : under + "." + path;
        String subject = key.isEmpty() ? "the value" : key;
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException) {
            // A constructor's own check: its message names the field (a model spec's with its path in the spec).
            String message = firstLine(cause.getMessage());
            if (cause instanceof InvalidModelSpecException) {
                return under.isEmpty() ? message : under + ": " + message;
            }
            return key.isEmpty() || message.startsWith(key) ? message : key + ": " + message;
        }
        if (e instanceof UnrecognizedPropertyException u) {
            String parent = key.contains(".") || key.contains("[") ? " in " + parentOf(key) : "";
            return "unknown key '" + u.getPropertyName() + "'" + parent + "; expected one of: "
                    + String.join(", ", new TreeSet<>(u.getKnownPropertyIds().stream().map(String::valueOf)
                    .toList()));
        }
        if (e instanceof InvalidTypeIdException t) {
            Matcher known = KNOWN_TYPE_IDS.matcher(e.getOriginalMessage());
            return subject + ": unknown type '" + t.getTypeId() + "'"
                    + (known.find() ? "; expected one of: " + known.group(1) : "");
        }
        if (e.getCause() instanceof InputCoercionException c && found != null) {
            return subject + " must be " + expected(c.getTargetType(), found) + ", found " + found.text();
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            if (found == null) {
                return subject + " is missing; expected " + expected(m.getTargetType());
            }
            return subject + " must be " + expected(m.getTargetType(), found) + ", found " + found.text();
        }
        String message = firstLine(e.getOriginalMessage());
        return key.isEmpty() ? message : key + ": " + message;
    }

    private static String expected(Class<?> type, Found found) {
        boolean integral = type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class;
        if (integral && found.text().matches("-?\\d+")) {
            // A whole number that still failed does not fit.
            long max = type == long.class || type == Long.class ? Long.MAX_VALUE
                    : type == short.class || type == Short.class ? Short.MAX_VALUE : Integer.MAX_VALUE;
            return "a whole number from " + (-max - 1) + " to " + max;
        }
        return expected(type);
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isEnum()) {
            return "one of: " + String.join(", ", java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT)).toList());
        }
        return Map.class.isAssignableFrom(type) || !type.isPrimitive() ? "an object of keys and values"
                : type.getSimpleName();
    }

    /** Streams {@code text} to the key or element at {@code pointer}: its line and the value found there. */
    private static Found find(ObjectMapper mapper, String text, JsonPointer pointer) {
        try (JsonParser parser = mapper.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (!parser.getParsingContext().pathAsPointer().equals(pointer)) {
                    continue;
                }
                int line = parser.currentTokenLocation().getLineNr();
                if (token == JsonToken.FIELD_NAME) {
                    token = parser.nextToken();
                }
                return new Found(line, describe(token, parser));
            }
            return null;
        } catch (IOException e) {
            return null; // the text was read once already; a key that cannot be found again goes without a line
        }
    }

    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isNull()) {
            return "null (no value)";
        }
        return node.isTextual() ? "\"" + shorten(node.asText()) + "\"" : shorten(node.asText());
    }

    private static String describe(JsonToken token, JsonParser parser) throws IOException {
        return switch (token) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "an object";
            case VALUE_NULL -> "null (no value)";
            case VALUE_STRING -> "\"" + shorten(parser.getText()) + "\"";
            default -> shorten(parser.getText());
        };
    }

    private static JsonPointer pointer(JsonMappingException e) {
        JsonPointer pointer = JsonPointer.empty();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                pointer = pointer.appendIndex(ref.getIndex());
            } else if (ref.getFieldName() != null) {
                pointer = pointer.appendProperty(ref.getFieldName());
            }
        }
        return pointer;
    }

    /** The path of a mapping error as a user reads it, e.g. {@code layers[2].units}. */
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

    private static String parentOf(String key) {
        int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
        return key.substring(0, cut);
    }

    private static boolean isYaml(ObjectMapper mapper) {
        return mapper.getFactory().getFormatName().equalsIgnoreCase("YAML");
    }

    private static String shorten(String text) {
        return text.length() > FOUND_LENGTH ? text.substring(0, FOUND_LENGTH) + "…" : text;
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
