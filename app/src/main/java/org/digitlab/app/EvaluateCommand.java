package org.digitlab.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.digitlab.app.model.ModelDirectory;
import org.digitlab.app.model.TestReportWriter;
import org.digitlab.data.Dataset;
import org.digitlab.data.StratifiedSplit;
import org.digitlab.data.builtin.LoadedData;
import org.digitlab.evaluation.ClassificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code digitlab evaluate}: a saved model's classification report on any dataset. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a trained model on a dataset: its official test split when it has one, else the "
                + "whole source. Images get the normalisation stored with the model; a model trained on a subset of "
                + "the classes (e.g. 6 vs 8) is evaluated on those classes.",
            "Writes report.txt, confusion.csv, predictions.csv, metrics.json and plots/ into --out and prints the "
                + "report."})
final class EvaluateCommand implements Callable<Integer>, UsesTensorFlow {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Run directory written by 'digitlab train' (or its model/ subfolder).")
    Path model;

    @Mixin
    DataOptions data;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Evaluate only a stratified sample of N images (0 = all). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--exclude-unknown-classes",
            description = "Leave out (and count) images of classes the model does not know, instead of stopping.")
    boolean excludeUnknown;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory (default: DIR/evaluations/<data>-<yyyyMMdd-HHmmss> inside the model "
                    + "directory).")
    Path out;

    @Option(names = "--json", description = "Print metrics.json (one JSON object) instead of the text report.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be ≥ 0 (0 = all), got " + limit);
        }
        try (ModelDirectory trained = ModelDirectory.open(model)) {
            data.defaultImageShape(trained.dataset().shape());
            LoadedData loaded = data.load();
            boolean official = loaded.test() != null;
            String source = loaded.name() + (official ? " (official test split)" : " (all samples)");
            ModelDirectory.Matched matched = trained.compatible(official ? loaded.test() : loaded.train(), source,
                    excludeUnknown);
            Dataset test = first(matched.data());
            float[][] probabilities = trained.predict(test);
            Path dir = out != null ? out : trained.dir().resolve("evaluations").resolve(fileName(loaded.name()) + "-"
                    + LocalDateTime.now().format(STAMP));
            ClassificationReport report = TestReportWriter.write(dir, test, probabilities, null);

            Map<String, Object> testMetrics = new LinkedHashMap<>(report.toMap());
            testMetrics.put("samples", test.size());
            testMetrics.put("source", source);
            if (matched.excluded() > 0) {
                testMetrics.put("excluded", Map.of("images", matched.excluded(), "classes", matched.excludedClasses()));
            }
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("test", testMetrics);
            metrics.put("model", model.toString());
            metrics.put("data", loaded.name());
            metrics.put("out", dir.toString());
            TestReportWriter.writeMetrics(dir, metrics);

            PrintWriter printer = spec.commandLine().getOut();
            if (json) {
                printer.println(new ObjectMapper().writeValueAsString(metrics));
            } else {
                printer.println("model " + model + " on " + source + ", " + test.size() + " images:");
                if (matched.excluded() > 0) {
                    printer.println("(left out: " + matched.excluded() + " images of classes the model does not know: "
                            + String.join(", ", matched.excludedClasses()) + ")");
                }
                printer.println();
                printer.print(report.toFormattedString());
                printer.println();
                printer.println("written to " + dir + " (report.txt, metrics.json, confusion.csv, predictions.csv, "
                        + "plots/)");
            }
            printer.flush();
        }
        return 0;
    }

    private Dataset first(Dataset dataset) {
        return limit == 0 ? dataset : StratifiedSplit.sample(dataset, limit, 0);
    }

    /** A dataset name usable as a directory name (CSV names are file names, possibly with odd characters). */
    private static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
