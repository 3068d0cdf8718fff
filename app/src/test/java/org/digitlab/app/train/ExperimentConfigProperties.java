package org.digitlab.app.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.digitlab.data.InvalidDataException;
import org.junit.jupiter.api.Assertions;

/**
 * Generated config files (YAML and JSON, any subset of keys) read back exactly, and damaged ones (a line repeated,
 * cut or indented, a value retyped, a second document, YAML anchors and tags, random characters) end in a config
 * or one {@link InvalidDataException} whose one line names the file: what {@code train --config} turns into exit 2.
 */
class ExperimentConfigProperties {
    /** Values a careless or hostile file puts where a setting's value belongs. */
    private static final List<String> BAD_VALUES = List.of("2.7", "\"5\"", "'0.1'", "~", "null", "[]", "{}",
            "[1, 2]", "-1", "1e999", "99999999999", "true", "yes", ".nan", "0x10", "&a 3", "*a", "!!binary AAAA",
            "!!python/object:os.system ls", "\"\\u0000\"", "'", "{", "\"unterminated", "1 2", "- 3");
    /** Lines a damaged file may hold. */
    private static final List<String> BAD_LINES = List.of("---", "...", "%YAML 1.2", "? complex", "<<: *a",
            "epochs: 3", "\tepochs: 3", "  nested: 1", "{\"epochs\": 3}", "}", "]", ",", "# comment", "",
            "unknown_key: 1", "model: {inputShape: [28, 28, 1], layers: [{type: flatten}], head: {numClasses: 10}}",
            "model: {layers: 1.5}", "classes: [6, 6]", "deep: " + "[".repeat(1500), "a: &a [x, x]\nb: [*a, *a]");

    private static Path yaml;
    private static Path json;

    @BeforeContainer
    static void createFiles() throws IOException {
        yaml = Files.createTempFile("config-properties", ".yaml");
        json = Files.createTempFile("config-properties", ".json");
    }

    @AfterContainer
    static void deleteFiles() throws IOException {
        Files.delete(yaml);
        Files.delete(json);
    }

    /** Settings as generated, in file order. */
    record Settings(Map<String, Object> values) {
        String yaml() {
            return values.entrySet().stream().map(e -> e.getKey() + ": " + yamlValue(e.getValue()))
                    .collect(Collectors.joining("\n", "", "\n"));
        }

        String json() {
            return values.entrySet().stream().map(e -> "  \"" + e.getKey() + "\": " + jsonValue(e.getValue()))
                    .collect(Collectors.joining(",\n", "{\n", "\n}\n"));
        }

        private static String yamlValue(Object value) {
            return value instanceof List<?> list ? list.stream().map(String::valueOf)
                    .collect(Collectors.joining(", ", "[", "]")) : String.valueOf(value);
        }

        private static String jsonValue(Object value) {
            if (value instanceof String text) {
                return "\"" + text + "\"";
            }
            return value instanceof List<?> list ? list.stream().map(v -> "\"" + v + "\"")
                    .collect(Collectors.joining(", ", "[", "]")) : String.valueOf(value);
        }
    }

    @Provide
    Arbitrary<Settings> settings() {
        Map<String, Arbitrary<Object>> keys = new LinkedHashMap<>();
        keys.put("epochs", value(Arbitraries.integers().between(1, 500)));
        keys.put("batch_size", value(Arbitraries.integers().between(1, 4096)));
        keys.put("lr", value(Arbitraries.doubles().between(1e-6, 1).ofScale(8)));
        keys.put("weight_decay", value(Arbitraries.doubles().between(0, 0.1)));
        keys.put("dropout", value(Arbitraries.doubles().between(0, 0.9)));
        keys.put("val_fraction", value(Arbitraries.doubles().between(0, 0.5)));
        keys.put("limit", value(Arbitraries.integers().between(0, 100_000)));
        keys.put("seed", value(Arbitraries.longs()));
        keys.put("augment_flip", value(Arbitraries.of(true, false)));
        keys.put("augment_shift", value(Arbitraries.integers().between(0, 4)));
        keys.put("optimizer", value(Arbitraries.of("sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop")));
        keys.put("schedule", value(Arbitraries.of("constant", "cosine", "step:3:0.5", "exp:0.9", "plateau:0.5:2")));
        keys.put("normalization", value(Arbitraries.of("fit", "scale", "none", "standardize:0.13:0.31")));
        keys.put("device", value(Arbitraries.of("cpu", "auto")));
        keys.put("precision", value(Arbitraries.of("float32", "mixed_bfloat16")));
        keys.put("classes", value(Arbitraries.integers().between(0, 9).set().ofMinSize(2).ofMaxSize(4)
                .map(set -> set.stream().map(String::valueOf).toList())));
        List<String> names = new ArrayList<>(keys.keySet());
        Arbitrary<String> preset = Arbitraries.of("mnist-mlp", "mnist-cnn", "fashion-cnn", "base");
        return Combinators.combine(preset, Arbitraries.subsetOf(names))
                .flatAs((name, chosen) -> {
                    List<String> order = names.stream().filter(chosen::contains).toList();
                    List<Arbitrary<Object>> values = order.stream().map(keys::get).toList();
                    return Combinators.combine(values).as(list -> {
                        Map<String, Object> settings = new LinkedHashMap<>();
                        settings.put("preset", name);
                        for (int i = 0; i < order.size(); i++) {
                            settings.put(order.get(i), list.get(i));
                        }
                        return new Settings(settings);
                    });
                });
    }

    /**
     * One damage to a config's text, by line or by character.
     *
     * @param description what was done, as jqwik reports a failing case
     */
    record Damage(String description, UnaryOperator<String> apply) {
        @Override
        public String toString() {
            return description;
        }
    }

    @Provide
    Arbitrary<List<Damage>> damage() {
        Arbitrary<Double> at = Arbitraries.doubles().between(0, 1);
        Arbitrary<Damage> one = Arbitraries.oneOf(
                Combinators.combine(at, Arbitraries.of(BAD_VALUES)).as((where, value) -> new Damage(
                        "value of line " + percent(where) + " := " + value, text -> onLine(text, where,
                                line -> line.contains(":") ? line.substring(0, line.indexOf(':') + 1) + " " + value
                                        : line + value))),
                Combinators.combine(at, Arbitraries.of(BAD_LINES)).as((where, line) -> new Damage(
                        "insert line '" + line + "' at " + percent(where), text -> insertLine(text, where, line))),
                at.map(where -> new Damage("repeat line at " + percent(where),
                        text -> onLine(text, where, line -> line + "\n" + line))),
                at.map(where -> new Damage("delete line at " + percent(where), text -> onLine(text, where, l -> ""))),
                at.map(where -> new Damage("cut at " + percent(where),
                        text -> text.substring(0, (int) (where * text.length())))),
                Combinators.combine(at, Arbitraries.chars().all()).as((where, c) -> new Damage(
                        "set char at " + percent(where) + " to U+" + Integer.toHexString(c), text -> {
                            if (text.isEmpty()) {
                                return text;
                            }
                            int i = Math.min(text.length() - 1, (int) (where * text.length()));
                            return text.substring(0, i) + c + text.substring(i + 1);
                        })),
                Arbitraries.strings().ofMaxLength(64).map(random -> new Damage("replace by random text",
                        text -> random)));
        return one.list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = 150)
    void generatedConfigsReadBackExactly(@ForAll("settings") Settings settings, @ForAll boolean asJson)
            throws IOException {
        Path file = Files.writeString(asJson ? json : yaml, asJson ? settings.json() : settings.yaml());

        ExperimentConfig config = ExperimentConfig.read(file, null);

        Map<String, Object> read = new LinkedHashMap<>();
        Map<String, Object> expected = new LinkedHashMap<>(settings.values());
        Map<String, Object> all = Map.ofEntries(
                Map.entry("preset", config.preset()), Map.entry("epochs", config.epochs()),
                Map.entry("batch_size", config.batchSize()), Map.entry("lr", config.lr()),
                Map.entry("weight_decay", config.weightDecay()), Map.entry("dropout", config.dropout()),
                Map.entry("val_fraction", config.valFraction()), Map.entry("limit", config.limit()),
                Map.entry("seed", config.seed()), Map.entry("augment_flip", config.augmentFlip()),
                Map.entry("augment_shift", config.augmentShift()), Map.entry("optimizer", config.optimizer()),
                Map.entry("schedule", config.schedule()), Map.entry("normalization", config.normalization()),
                Map.entry("device", config.device()), Map.entry("classes", config.classes()),
                Map.entry("precision", config.precision()));
        expected.keySet().forEach(key -> read.put(key, all.get(key)));
        assertThat(read).isEqualTo(expected);
    }

    @Property(tries = 1000)
    void damagedConfigsGiveAConfigOrOneInvalidDataException(@ForAll("settings") Settings settings,
            @ForAll boolean asJson, @ForAll("damage") List<Damage> damage) throws IOException {
        String text = asJson ? settings.json() : settings.yaml();
        for (Damage d : damage) {
            text = d.apply().apply(text);
        }
        Path file = Files.write(asJson ? json : yaml, text.getBytes(StandardCharsets.UTF_8));

        Object outcome = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                return ExperimentConfig.read(file, null);
            } catch (InvalidDataException e) {
                return e;
            }
        });

        if (outcome instanceof InvalidDataException e) {
            assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n");
            assertThat(e.problem()).isNotBlank();
            Statistics.label("outcome").collect("refused");
        } else {
            assertThat(outcome).isInstanceOf(ExperimentConfig.class);
            Statistics.label("outcome").collect("config");
        }
    }

    private static Arbitrary<Object> value(Arbitrary<?> values) {
        return values.map(v -> (Object) v);
    }

    private static String onLine(String text, double where, UnaryOperator<String> change) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int i = Math.min(lines.size() - 1, (int) (where * lines.size()));
        lines.set(i, change.apply(lines.get(i)));
        return String.join("\n", lines);
    }

    private static String insertLine(String text, double where, String line) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        lines.add(Math.min(lines.size(), (int) (where * lines.size())), line);
        return String.join("\n", lines);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }
}
