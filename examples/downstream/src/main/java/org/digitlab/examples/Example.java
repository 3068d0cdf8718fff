package org.digitlab.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.digitlab.data.Dataset;
import org.digitlab.data.Normalization;
import org.digitlab.data.StratifiedSplit;
import org.digitlab.data.builtin.BuiltinDatasets;
import org.digitlab.evaluation.ClassificationReport;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.Presets;
import org.digitlab.training.EarlyStoppingConfig;
import org.digitlab.training.ScheduleConfig;
import org.digitlab.training.Trainer;
import org.digitlab.training.TrainingConfig;

/** DigitLab as a library: train the {@code cnn} preset on a slice of MNIST and print the classification report. */
public final class Example {
    private static final long SEED = 42;

    public static void main(String[] args) throws Exception {
        // 4,000 of the 10,000 bundled MNIST digits, split 70/15/15 with every class in proportion.
        Dataset digits = BuiltinDatasets.load(BuiltinDatasets.MNIST_SAMPLE, null, null).train();
        Dataset subset = StratifiedSplit.holdOut(digits, 0.4, SEED).heldOut();
        StratifiedSplit.Split split = StratifiedSplit.split(subset, 0.70, 0.15, 0.15, SEED);

        ModelSpec spec = Presets.model("cnn", 28, 28, 1, subset.numClasses());
        TrainingConfig config = TrainingConfig.defaults()
                .withEpochs(3)
                .withSchedule(ScheduleConfig.parse("cosine"))
                .withEarlyStopping(EarlyStoppingConfig.parse("val_loss:2"))
                .withSeed(SEED);
        // MNIST's mean and standard deviation; the trainer normalises raw pixels in-graph.
        Normalization normalization = Normalization.standardize(0.1307, 0.3081, 255);

        Path runDir = Files.createTempDirectory("digitlab-example");
        try (Trainer trainer = new Trainer(spec, normalization, config, runDir)) {
            trainer.fit(split.train(), split.validation()); // logs one line per epoch through SLF4J

            Dataset test = split.test();
            float[][] probabilities = trainer.predictProbabilities(test);
            int[] predicted = Arrays.stream(probabilities).mapToInt(Example::argmax).toArray();
            ClassificationReport report = ClassificationReport.builder(test.labels(), predicted)
                    .classNames(test.classNames())
                    .probabilities(probabilities)
                    .build();
            System.out.println(report.toText());
        }
    }

    private static int argmax(float[] row) {
        int best = 0;
        for (int c = 1; c < row.length; c++) {
            if (row[c] > row[best]) {
                best = c;
            }
        }
        return best;
    }
}
