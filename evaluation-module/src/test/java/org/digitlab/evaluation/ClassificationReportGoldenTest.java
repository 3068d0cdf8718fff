package org.digitlab.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares against scikit-learn 1.2.1 outputs stored in {@code src/test/resources/golden} by {@code make_golden.py}.
 */
class ClassificationReportGoldenTest {
    private static final double TOL = 1e-12;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Golden(String name, ClassificationReport report, JsonNode expected) {
    }

    private static Golden load(String name) throws IOException {
        JsonNode doc;
        try (InputStream in = resource(name + ".json")) {
            doc = JSON.readTree(in);
        }
        ClassificationReport.Builder builder = ClassificationReport.builder(ints(doc.get("y_true")),
                ints(doc.get("y_pred"))).numClasses(doc.get("num_classes").asInt());
        if (!doc.get("class_names").isNull()) {
            List<String> names = new ArrayList<>();
            doc.get("class_names").forEach(n -> names.add(n.asText()));
            builder.classNames(names);
        }
        if (!doc.get("probabilities").isNull()) {
            builder.probabilities(JSON.treeToValue(doc.get("probabilities"), double[][].class));
        }
        return new Golden(name, builder.build(), doc.get("expected"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"absent_classes", "label_in_neither", "rounding_ties", "binary",
        "multiclass_probabilities"})
    void textReportMatchesScikitLearnCharacterForCharacter(String name) throws IOException {
        ClassificationReport report = load(name).report();
        assertThat(report.toText()).isEqualTo(text(name + "_digits2.txt"));
        assertThat(report.toText(4)).isEqualTo(text(name + "_digits4.txt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"absent_classes", "label_in_neither", "rounding_ties", "binary",
        "multiclass_probabilities"})
    void perClassAndAveragedNumbersMatchScikitLearn(String name) throws IOException {
        Golden g = load(name);
        JsonNode dict = g.expected().get("report_dict");
        for (ClassMetrics m : g.report().perClass()) {
            JsonNode row = dict.get(m.name());
            assertThat(m.precision()).as("precision of %s", m.name())
                    .isCloseTo(row.get("precision").asDouble(), within(TOL));
            assertThat(m.recall()).as("recall of %s", m.name()).isCloseTo(row.get("recall").asDouble(), within(TOL));
            assertThat(m.f1()).as("f1 of %s", m.name()).isCloseTo(row.get("f1-score").asDouble(), within(TOL));
            assertThat(m.support()).as("support of %s", m.name()).isEqualTo(row.get("support").asLong());
        }
        assertAverage(g.report().macroAverage(), dict.get("macro avg"));
        assertAverage(g.report().weightedAverage(), dict.get("weighted avg"));
        if (dict.has("accuracy")) {
            assertThat(g.report().accuracy()).isCloseTo(dict.get("accuracy").asDouble(), within(TOL));
        } else {
            assertAverage(g.report().microAverage(), dict.get("micro avg"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"absent_classes", "label_in_neither", "rounding_ties", "binary",
        "multiclass_probabilities"})
    void confusionMatrixMatchesScikitLearn(String name) throws IOException {
        Golden g = load(name);
        long[][] expected = JSON.treeToValue(g.expected().get("confusion_matrix"), long[][].class);
        assertThat(g.report().confusionMatrix().counts()).isDeepEqualTo(expected);
        double[][] normalized = JSON.treeToValue(g.expected().get("confusion_matrix_normalized"), double[][].class);
        double[][] actual = g.report().confusionMatrix().rowNormalized();
        for (int t = 0; t < expected.length; t++) {
            assertThat(actual[t]).as("normalised row %d", t).containsExactly(normalized[t], within(TOL));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary", "multiclass_probabilities"})
    void logLossAndTopKAccuracyMatchScikitLearn(String name) throws IOException {
        Golden g = load(name);
        assertThat(g.report().logLoss()).hasValueCloseTo(g.expected().get("log_loss").asDouble(), within(TOL));
        JsonNode topK = g.expected().get("top_k_accuracy");
        assertThat(g.report().topKAccuracy()).hasSize(topK.size());
        topK.fields().forEachRemaining(e -> assertThat(g.report().topKAccuracy().get(Integer.parseInt(e.getKey())))
                .as("top-%s", e.getKey()).isCloseTo(e.getValue().asDouble(), within(TOL)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary"})
    void binaryRocAucAveragePrecisionAndCurveMatchScikitLearn(String name) throws IOException {
        Golden g = load(name);
        BinaryMetrics b = g.report().binaryMetrics().orElseThrow();
        assertThat(b.rocAuc()).isCloseTo(g.expected().get("roc_auc").asDouble(), within(TOL));
        assertThat(b.prAuc()).isCloseTo(g.expected().get("average_precision").asDouble(), within(TOL));
        assertThat(b.threshold()).isEqualTo(0.5);
        JsonNode curve = g.expected().get("roc_curve");
        assertThat(b.rocCurve().fpr()).containsExactly(JSON.treeToValue(curve.get("fpr"), double[].class), within(TOL));
        assertThat(b.rocCurve().tpr()).containsExactly(JSON.treeToValue(curve.get("tpr"), double[].class), within(TOL));
        assertThat(b.rocCurve().thresholds())
                .containsExactly(JSON.treeToValue(curve.get("thresholds"), double[].class), within(TOL));
    }

    private static void assertAverage(AverageMetrics actual, JsonNode expected) {
        assertThat(actual.precision()).isCloseTo(expected.get("precision").asDouble(), within(TOL));
        assertThat(actual.recall()).isCloseTo(expected.get("recall").asDouble(), within(TOL));
        assertThat(actual.f1()).isCloseTo(expected.get("f1-score").asDouble(), within(TOL));
        assertThat(actual.support()).isEqualTo(expected.get("support").asLong());
    }

    private static int[] ints(JsonNode array) throws IOException {
        return JSON.treeToValue(array, int[].class);
    }

    private static String text(String file) throws IOException {
        try (InputStream in = resource(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream resource(String file) {
        InputStream in = ClassificationReportGoldenTest.class.getResourceAsStream("/golden/" + file);
        assertThat(in).as("test resource golden/%s", file).isNotNull();
        return in;
    }
}
