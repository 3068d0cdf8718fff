package org.digitlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.digitlab.data.Dataset;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.Normalization;
import org.digitlab.model.Activation;
import org.digitlab.model.Head;
import org.digitlab.model.LayerSpec.ActivationLayer;
import org.digitlab.model.LayerSpec.BatchNorm;
import org.digitlab.model.LayerSpec.Conv2D;
import org.digitlab.model.LayerSpec.Flatten;
import org.digitlab.model.LayerSpec.Residual;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.Padding;
import org.digitlab.model.Presets;
import org.digitlab.model.SavedModelPredictor;
import org.digitlab.model.LayerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    private static final Normalization SCALE = Normalization.scale(255);
    private static final Dataset TRAIN = SyntheticImages.separable(240, 3, 1);
    private static final Dataset VALIDATION = SyntheticImages.separable(90, 3, 2);

    @TempDir
    Path dir;

    private static ModelSpec model(String preset, int classes) {
        return Presets.model(preset, SyntheticImages.SIZE, SyntheticImages.SIZE, 1, classes);
    }

    private static TrainingConfig config(int epochs) {
        return TrainingConfig.defaults().withEpochs(epochs).withBatchSize(32).withDevice(Device.CPU)
                .withDeterministic(true).withSeed(7);
    }

    @Test
    void fitLearnsSeparableDataAndRecordsEveryEpoch() throws Exception {
        try (Trainer trainer = new Trainer(model("mlp", 3), SCALE, config(4), dir)) {
            TrainingResult result = trainer.fit(TRAIN, VALIDATION);
            List<EpochMetrics> epochs = result.history().epochs();
            assertThat(epochs).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3, 4);
            assertThat(epochs.get(3).trainLoss()).isLessThan(epochs.get(0).trainLoss());
            assertThat(epochs.get(3).valAccuracy()).isGreaterThan(0.9);
            assertThat(epochs).allSatisfy(m -> assertThat(m.lr()).isEqualTo(1e-3));
            assertThat(result.stopReason()).isEqualTo("completed 4 epochs");
            assertThat(result.device()).isEqualTo("CPU");
            EvaluationResult val = trainer.evaluate(VALIDATION);
            assertThat(val.accuracy()).isEqualTo(epochs.get(3).valAccuracy());
            float[][] p = trainer.predictProbabilities(VALIDATION);
            assertThat(p).hasNumberOfRows(90);
            assertThat(p[0][0] + p[0][1] + p[0][2]).isCloseTo(1f, within(1e-5f));
        }
        try (Stream<Path> kept = Files.list(dir.resolve("checkpoints"))) {
            assertThat(kept.map(p -> p.getFileName().toString()))
                    .contains("run.json", "epoch-0004").noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void resumedRunMatchesUninterruptedRun() throws Exception {
        // Dropout (mlp), random shifts and a per-step schedule make every step depend on (seed, step).
        TrainingConfig config = config(4).withAugmentShift(1).withSchedule(ScheduleConfig.cosine(0.5, 1e-5));
        assertResumedRunMatchesUninterruptedRun(model("mlp", 3), config);
    }

    @Test
    void resumedResidualRunWithEveryAugmentationMatchesUninterruptedRun() throws Exception {
        // Batch-norm statistics in the blocks and shortcuts, and every random augmentation, must come back exactly.
        TrainingConfig config = config(3).withAugmentCrop(1).withAugmentFlip(true).withAugmentRotate(15)
                .withAugmentScale(0.1).withAugmentErase(0.5);
        ModelSpec residual = new ModelSpec(SyntheticImages.SIZE, SyntheticImages.SIZE, 1, List.of(
                new Conv2D(4, 3, 1, Padding.SAME, Activation.LINEAR, 0, false), new BatchNorm(),
                new ActivationLayer(Activation.RELU),
                new Residual(List.of(
                        new Conv2D(8, 3, 2, Padding.SAME, Activation.LINEAR, 0, false), new BatchNorm(),
                        new ActivationLayer(Activation.RELU),
                        new Conv2D(8, 3, 1, Padding.SAME, Activation.LINEAR, 0, false), new BatchNorm()),
                        Activation.RELU),
                new Flatten()), Head.softmax(3));
        TrainingResult result = assertResumedRunMatchesUninterruptedRun(residual, config);
        assertThat(result.history().last().trainLoss()).isLessThan(result.history().epochs().get(0).trainLoss());
    }

    /** Kills a run in epoch 3, resumes it and compares with the same run uninterrupted; returns the latter. */
    private TrainingResult assertResumedRunMatchesUninterruptedRun(ModelSpec spec, TrainingConfig config)
            throws Exception {
        Path straight = dir.resolve("straight");
        Path interrupted = dir.resolve("interrupted");
        TrainingResult expected;
        float[][] expectedProbabilities;
        try (Trainer trainer = new Trainer(spec, SCALE, config, straight)) {
            expected = trainer.fit(TRAIN, VALIDATION);
            expectedProbabilities = trainer.predictProbabilities(VALIDATION);
        }
        try (Trainer trainer = new Trainer(spec, SCALE, config, interrupted)) {
            trainer.addListener(new TrainingListener() {
                @Override
                public void onBatchEnd(int epoch, int step, int stepsPerEpoch, double loss, double accuracy) {
                    if (epoch == 3 && step == 2) {
                        throw new IllegalStateException("killed");
                    }
                }
            });
            assertThatThrownBy(() -> trainer.fit(TRAIN, VALIDATION)).hasMessage("killed");
        }
        // A crash while writing epoch 3's checkpoint leaves a partial directory that resume must ignore.
        Files.createDirectories(interrupted.resolve("checkpoints/epoch-0003.tmp"));
        try (Trainer trainer = Trainer.resume(interrupted)) {
            assertThat(trainer.epochsCompleted()).isEqualTo(2);
            TrainingResult resumed = trainer.fit(TRAIN, VALIDATION);
            assertThat(withoutTimes(resumed.history())).isEqualTo(withoutTimes(expected.history()));
            assertThat(trainer.predictProbabilities(VALIDATION)).isDeepEqualTo(expectedProbabilities);
        }
        assertThat(interrupted.resolve("checkpoints/epoch-0003.tmp")).doesNotExist();
        return expected;
    }

    @Test
    void runTrainedInPausedPiecesMatchesUninterruptedRunWithTheWholeRunsSchedule() {
        // Successive halving trains a trial to epoch 1, later to 3, later to 4: the cosine curve is the 4-epoch one.
        TrainingConfig config = config(4).withAugmentShift(1).withSchedule(ScheduleConfig.cosine(0, 0));
        TrainingResult expected;
        float[][] expectedProbabilities;
        try (Trainer trainer = new Trainer(model("mlp", 3), SCALE, config, dir.resolve("straight"))) {
            expected = trainer.fit(TRAIN, VALIDATION);
            expectedProbabilities = trainer.predictProbabilities(VALIDATION);
        }
        Path pieces = dir.resolve("pieces");
        try (Trainer trainer = new Trainer(model("mlp", 3), SCALE, config, pieces)) {
            TrainingResult first = trainer.fit(TRAIN, VALIDATION, 1);
            assertThat(first.stopReason()).isEqualTo("paused after epoch 1 of 4");
            assertThat(first.history().epochs()).hasSize(1);
        }
        try (Trainer trainer = Trainer.resume(pieces)) {
            assertThat(trainer.epochsCompleted()).isEqualTo(1);
            TrainingResult second = trainer.fit(TRAIN, VALIDATION, 3);
            assertThat(second.stopReason()).isEqualTo("paused after epoch 3 of 4");
            assertThat(withoutTimes(second.history())).isEqualTo(withoutTimes(expected.history()).subList(0, 3));
            assertThat(trainer.fit(TRAIN, VALIDATION, 3).history().epochs()).hasSize(3);
        }
        try (Trainer trainer = Trainer.resume(pieces)) {
            TrainingResult last = trainer.fit(TRAIN, VALIDATION, 9);
            assertThat(last.stopReason()).isEqualTo("completed 4 epochs");
            assertThat(withoutTimes(last.history())).isEqualTo(withoutTimes(expected.history()));
            assertThat(last.history().epochs().get(3).lr()).isLessThan(last.history().epochs().get(0).lr() / 5);
            assertThat(trainer.predictProbabilities(VALIDATION)).isDeepEqualTo(expectedProbabilities);
        }
    }

    @Test
    void resumingAFinishedRunTrainsNothingMoreUnlessExtended() {
        try (Trainer trainer = new Trainer(model("logreg", 3), SCALE, config(2), dir)) {
            trainer.fit(TRAIN, VALIDATION);
        }
        try (Trainer trainer = Trainer.resume(dir)) {
            TrainingResult again = trainer.fit(TRAIN, VALIDATION);
            assertThat(again.epochsRun()).isEqualTo(2);
            assertThat(again.stopReason()).isEqualTo("completed 2 epochs");
        }
        try (Trainer trainer = Trainer.resume(dir, 3)) {
            TrainingResult extended = trainer.fit(TRAIN, VALIDATION);
            assertThat(extended.history().epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
            assertThat(extended.stopReason()).isEqualTo("completed 3 epochs");
        }
    }

    @Test
    void trainsAndResumesWithoutValidation() {
        try (Trainer trainer = new Trainer(model("logreg", 3), SCALE, config(1), dir)) {
            TrainingResult result = trainer.fit(TRAIN, null);
            assertThat(result.history().last().valLoss()).isNaN();
            assertThat(result.bestEpoch()).isEqualTo(1);
        }
        try (Trainer trainer = Trainer.resume(dir, 2)) {
            TrainingResult result = trainer.fit(TRAIN, null);
            assertThat(result.history().epochs()).extracting(EpochMetrics::valAccuracy).allMatch(v -> Double.isNaN(v));
            assertThat(result.bestEpoch()).isEqualTo(2);
            assertThat(result.history().toCsv()).startsWith(History.CSV_HEADER + "\n1,");
        }
    }

    @Test
    void earlyStoppingOnValLossMeasuresMinDeltaAgainstTheBestAndRestoresItsWeights() {
        // No later epoch can beat epoch 1 by 100: patience 2 stops after epoch 3 and epoch 1's weights come back.
        TrainingConfig config = config(10).withEarlyStopping(new EarlyStoppingConfig(Monitor.VAL_LOSS, 100, 2));
        try (Trainer trainer = new Trainer(model("mlp", 3), SCALE, config, dir)) {
            TrainingResult result = trainer.fit(TRAIN, VALIDATION);
            assertThat(result.epochsRun()).isEqualTo(3);
            assertThat(result.bestEpoch()).isEqualTo(1);
            EpochMetrics first = result.history().epochs().get(0);
            assertThat(result.stopReason()).isEqualTo(String.format(java.util.Locale.ROOT,
                    "early stopping: val_loss did not improve by 100.0 for 2 epochs (best %.4f at epoch 1)",
                    first.valLoss()));
            EvaluationResult restored = trainer.evaluate(VALIDATION);
            assertThat(restored.loss()).isEqualTo(first.valLoss());
            assertThat(restored.accuracy()).isEqualTo(first.valAccuracy());
        }
    }

    @Test
    void endsWithTheBestEpochsWeightsByValidationLossUnlessToldToKeepTheLast() {
        // A high rate on random labels: validation loss wanders, so the best epoch is rarely the last.
        TrainingConfig config = config(6).withOptimizer(OptimizerConfig.adam(0.05));
        Dataset train = SyntheticImages.randomLabels(240, 3, 3);
        Dataset validation = SyntheticImages.randomLabels(90, 3, 4);
        try (Trainer trainer = new Trainer(model("mlp", 3), SCALE, config, dir.resolve("best"))) {
            TrainingResult result = trainer.fit(train, validation);
            List<EpochMetrics> epochs = result.history().epochs();
            double lowest = epochs.stream().mapToDouble(EpochMetrics::valLoss).min().orElseThrow();
            assertThat(result.kept()).isEqualTo("best val_loss");
            assertThat(epochs.get(result.keptEpoch() - 1).valLoss()).isEqualTo(lowest);
            assertThat(trainer.evaluate(validation).loss()).isEqualTo(lowest);
        }
        try (Trainer trainer = new Trainer(model("mlp", 3), SCALE, config.withKeep(KeepWeights.lastEpoch()),
                dir.resolve("last"))) {
            TrainingResult result = trainer.fit(train, validation);
            assertThat(result.kept()).isEqualTo("last");
            assertThat(result.keptEpoch()).isEqualTo(6);
            assertThat(trainer.evaluate(validation).loss()).isEqualTo(result.history().last().valLoss());
        }
        try (Trainer trainer = new Trainer(model("mlp", 3), SCALE,
                config.withKeep(KeepWeights.parse("best:val_accuracy")), dir.resolve("accuracy"))) {
            TrainingResult result = trainer.fit(train, validation);
            double highest = result.history().epochs().stream().mapToDouble(EpochMetrics::valAccuracy).max()
                    .orElseThrow();
            assertThat(result.kept()).isEqualTo("best val_accuracy");
            assertThat(trainer.evaluate(validation).accuracy()).isEqualTo(highest);
        }
    }

    @Test
    void aModelTooLargeForMemoryIsRefusedBeforeAnythingIsAllocated() {
        ModelSpec huge = new ModelSpec(28, 28, 1, List.of(new LayerSpec.Flatten(),
                new LayerSpec.Dense(1_000_000_000, Activation.RELU)), Head.softmax(10));
        assertThatThrownBy(() -> new Trainer(huge, SCALE, config(1), dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the model needs about ")
                .hasMessageContaining("to train at batch 32, more than")
                .hasMessageContaining("dense_1 (dense, 785,000,000,000 parameters");
        assertThat(dir.resolve("checkpoints")).doesNotExist();
    }

    @Test
    void stepsPerCallGiveTheSameRunAsOneStepPerCall() {
        // Batch norm, dropout, augmentation and Adam: every kind of state a step changes; 240 samples in batches
        // of 32 make 7 full batches and a last one of 16, so calls of 3 steps leave single steps over.
        ModelSpec spec = Presets.model("cnn-bn", SyntheticImages.SIZE, SyntheticImages.SIZE, 1, 3);
        TrainingConfig base = config(2).withAugmentShift(1).withAugmentFlip(true);
        List<EpochMetrics> single;
        float[][] singleProbabilities;
        try (Trainer trainer = new Trainer(spec, SCALE, base, dir.resolve("one"))) {
            single = trainer.fit(TRAIN, VALIDATION).history().epochs();
            singleProbabilities = trainer.predictProbabilities(VALIDATION);
        }
        try (Trainer trainer = new Trainer(spec, SCALE, base.withStepsPerCall(3), dir.resolve("three"))) {
            List<EpochMetrics> chunked = trainer.fit(TRAIN, VALIDATION).history().epochs();
            for (int e = 0; e < single.size(); e++) {
                EpochMetrics a = single.get(e);
                EpochMetrics b = chunked.get(e);
                assertThat(List.of(b.trainLoss(), b.trainAccuracy(), b.valLoss(), b.valAccuracy(), b.lr()))
                        .isEqualTo(List.of(a.trainLoss(), a.trainAccuracy(), a.valLoss(), a.valAccuracy(), a.lr()));
            }
            assertThat(trainer.predictProbabilities(VALIDATION)).isDeepEqualTo(singleProbabilities);
        }
    }

    @Test
    void keepMonitorMustAgreeWithEarlyStopping() {
        assertThatThrownBy(() -> config(3).withEarlyStopping(new EarlyStoppingConfig(Monitor.VAL_LOSS, 0, 2))
                .withKeep(KeepWeights.parse("best:val_accuracy")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("early stopping's monitor val_loss");
        assertThat(KeepWeights.parse("best:val_accuracy").toString()).isEqualTo("best:val_accuracy");
        assertThatThrownBy(() -> KeepWeights.parse("first")).hasMessageContaining("keep 'first'");
    }

    @Test
    void earlyStoppingOnValAccuracyMaximises() {
        // Random labels: validation accuracy wanders near chance; with min_delta 0 the best is the maximum so far.
        TrainingConfig config = config(8).withOptimizer(OptimizerConfig.adam(0.05))
                .withEarlyStopping(new EarlyStoppingConfig(Monitor.VAL_ACCURACY, 0, 2));
        try (Trainer trainer = new Trainer(model("mlp", 3), SCALE, config, dir)) {
            TrainingResult result = trainer.fit(SyntheticImages.randomLabels(240, 3, 3),
                    SyntheticImages.randomLabels(90, 3, 4));
            List<EpochMetrics> epochs = result.history().epochs();
            double best = epochs.stream().mapToDouble(EpochMetrics::valAccuracy).max().orElseThrow();
            assertThat(epochs.get(result.bestEpoch() - 1).valAccuracy()).isEqualTo(best);
            // The first epoch reaching the maximum is the best (later equal values do not improve on it).
            assertThat(epochs.subList(0, result.bestEpoch() - 1))
                    .allSatisfy(m -> assertThat(m.valAccuracy()).isLessThan(best));
            if (result.epochsRun() < 8) {
                assertThat(result.epochsRun()).isEqualTo(result.bestEpoch() + 2);
                assertThat(result.stopReason()).startsWith("early stopping: val_accuracy did not improve by 0.0 for 2");
            }
            assertThat(trainer.evaluate(SyntheticImages.randomLabels(90, 3, 4)).accuracy()).isEqualTo(best);
        }
    }

    @Test
    void reduceOnPlateauLowersTheRateAndLogsItInTheHistory() {
        // No epoch after the first beats it by 100: with patience 1 the rate halves after epochs 2 and 3.
        ScheduleConfig plateau = new ScheduleConfig(ScheduleConfig.Kind.PLATEAU, 1, 1, 0, 0, 0, 0.5, 1, 0, 100,
                Monitor.VAL_LOSS);
        try (Trainer trainer = new Trainer(model("logreg", 3), SCALE, config(4).withSchedule(plateau), dir)) {
            TrainingResult result = trainer.fit(TRAIN, VALIDATION);
            assertThat(result.history().epochs()).extracting(EpochMetrics::lr)
                    .containsExactly(1e-3, 1e-3, 5e-4, 2.5e-4);
        }
    }

    @Test
    void nonFiniteLossStopsWithEpochAndStep() {
        TrainingConfig config = config(3).withOptimizer(OptimizerConfig.sgd(1e30));
        try (Trainer trainer = new Trainer(model("mlp", 3), SCALE, config, dir)) {
            assertThatThrownBy(() -> trainer.fit(TRAIN, VALIDATION))
                    .isInstanceOf(NonFiniteLossException.class)
                    .hasMessageMatching("training diverged: loss is (NaN|-?Infinity) at epoch 1, step [0-9]+ of 8 .*");
        }
    }

    @Test
    void binaryHeadTrains() {
        Dataset train = SyntheticImages.separable(200, 2, 5);
        Dataset validation = SyntheticImages.separable(80, 2, 6);
        try (Trainer trainer = new Trainer(model("mlp-binary", 2), SCALE, config(5), dir)) {
            TrainingResult result = trainer.fit(train, validation);
            assertThat(result.history().last().trainLoss()).isLessThan(result.history().epochs().get(0).trainLoss());
            assertThat(result.history().last().valAccuracy()).isGreaterThan(0.9);
        }
    }

    @Test
    void cnnTrainsWithEveryOptimizer() {
        for (OptimizerConfig.Type type : OptimizerConfig.Type.values()) {
            double lr = type == OptimizerConfig.Type.SGD || type == OptimizerConfig.Type.MOMENTUM ? 0.05 : 2e-3;
            TrainingConfig config = config(2).withOptimizer(OptimizerConfig.of(type, lr));
            try (Trainer trainer = new Trainer(model("cnn", 3), SCALE, config, dir.resolve(type.name()))) {
                TrainingResult result = trainer.fit(TRAIN, VALIDATION);
                assertThat(result.history().last().trainLoss()).as(type.name())
                        .isLessThan(result.history().epochs().get(0).trainLoss());
            }
        }
    }

    @Test
    void exportedSavedModelPredictsWhatTheTrainerPredicts() {
        try (Trainer trainer = new Trainer(model("cnn", 3), SCALE, config(1), dir.resolve("run"))) {
            trainer.fit(TRAIN, VALIDATION);
            trainer.exportSavedModel(dir.resolve("model"));
            float[][] expected = trainer.predictProbabilities(VALIDATION);
            try (SavedModelPredictor predictor = SavedModelPredictor.open(dir.resolve("model"))) {
                float[][] exported = predictor.predict(SCALE.apply(VALIDATION).pixelsAsFloats(), VALIDATION.size());
                for (int i = 0; i < expected.length; i++) {
                    assertThat(exported[i]).containsExactly(expected[i], within(1e-6f));
                }
            }
        }
    }

    @Test
    void mixedBfloat16TrainsRepeatsBitForBitAndExportsAFloat32ModelThatAgrees() {
        TrainingConfig config = config(2).withPrecision(Precision.MIXED_BFLOAT16);
        float[][] first;
        try (Trainer trainer = new Trainer(model("cnn", 3), SCALE, config, dir.resolve("a"))) {
            TrainingResult result = trainer.fit(TRAIN, VALIDATION);
            assertThat(result.history().last().trainLoss()).isLessThan(result.history().epochs().get(0).trainLoss());
            assertThat(result.history().last().valAccuracy()).isGreaterThan(0.9);
            trainer.exportSavedModel(dir.resolve("model"));
            first = trainer.predictProbabilities(VALIDATION);
            try (SavedModelPredictor predictor = SavedModelPredictor.open(dir.resolve("model"))) {
                float[][] exported = predictor.predict(SCALE.apply(VALIDATION).pixelsAsFloats(), VALIDATION.size());
                for (int i = 0; i < first.length; i++) {
                    // bfloat16 keeps 8 bits of mantissa: the float32 export agrees to rounding, not to the bit.
                    assertThat(exported[i]).containsExactly(first[i], within(0.05f));
                }
            }
        }
        try (Trainer again = new Trainer(model("cnn", 3), SCALE, config, dir.resolve("b"))) {
            again.fit(TRAIN, VALIDATION);
            assertThat(again.predictProbabilities(VALIDATION)).isDeepEqualTo(first);
        }
    }

    @Test
    void gpuRequestedWithoutAGpuIsAClearError() {
        try (Trainer trainer = new Trainer(model("logreg", 3), SCALE, config(1).withDevice(Device.GPU), dir)) {
            assertThatThrownBy(() -> trainer.fit(TRAIN, VALIDATION))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("GPU requested but TensorFlow sees no GPU: ");
        }
    }

    @Test
    void newTrainerRefusesARunDirectoryThatHoldsARun() {
        try (Trainer trainer = new Trainer(model("logreg", 3), SCALE, config(1), dir)) {
            trainer.fit(TRAIN, VALIDATION);
        }
        assertThatThrownBy(() -> new Trainer(model("logreg", 3), SCALE, config(1), dir))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already holds a run");
    }

    @Test
    void rejectsDataOfAnotherShapeOrScale() {
        try (Trainer trainer = new Trainer(model("logreg", 3), SCALE, config(1), dir)) {
            Dataset scaled = SCALE.apply(TRAIN);
            assertThatThrownBy(() -> trainer.fit(scaled, VALIDATION))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pass the raw dataset");
        }
    }

    @Test
    void resumeFallsBackToThePreviousCheckpointWhenTheLatestIsDamaged() throws Exception {
        TrainingResult straight;
        try (Trainer trainer = new Trainer(model("mlp", 3), SCALE, config(3), dir.resolve("straight"))) {
            straight = trainer.fit(TRAIN, VALIDATION);
        }
        Path run = dir.resolve("damaged");
        try (Trainer trainer = new Trainer(model("mlp", 3), SCALE, config(3), run)) {
            trainer.fit(TRAIN, VALIDATION, 2);
        }
        // One flipped bit in the latest checkpoint's weights: TensorFlow would read it (or fail with a dump).
        Path weights = run.resolve("checkpoints/epoch-0002/weights.data-00000-of-00001");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length / 2] ^= 0x04;
        Files.write(weights, bytes);
        try (Trainer trainer = Trainer.resume(run)) {
            assertThat(trainer.epochsCompleted()).isEqualTo(1);
            assertThat(trainer.skippedCheckpoints()).singleElement().asString()
                    .contains(weights.getFileName().toString()).contains("is damaged").doesNotContain("\n");
            TrainingResult resumed = trainer.fit(TRAIN, VALIDATION);
            assertThat(withoutTimes(resumed.history())).isEqualTo(withoutTimes(straight.history()));
        }
        try (Trainer trainer = Trainer.resume(run)) {
            assertThat(trainer.skippedCheckpoints()).isEmpty();
            assertThat(trainer.epochsCompleted()).isEqualTo(3);
        }
    }

    @Test
    void resumeWithEveryCheckpointDamagedIsOneLineNamingThem() throws Exception {
        try (Trainer trainer = new Trainer(model("logreg", 3), SCALE, config(2), dir)) {
            trainer.fit(TRAIN, VALIDATION);
        }
        for (String epoch : List.of("epoch-0001", "epoch-0002")) {
            Path weights = dir.resolve("checkpoints").resolve(epoch).resolve("weights.index");
            Files.write(weights, Arrays.copyOf(Files.readAllBytes(weights), 10));
        }
        assertThatThrownBy(() -> Trainer.resume(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("every checkpoint is damaged")
                .hasMessageContaining("epoch-0002" + dir.getFileSystem().getSeparator() + "weights.index")
                .hasMessageContaining("epoch-0001" + dir.getFileSystem().getSeparator() + "weights.index")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aDamagedCheckpointWithoutChecksumsIsOneLineNamingIt() throws Exception {
        try (Trainer trainer = new Trainer(model("logreg", 3), SCALE, config(1), dir)) {
            trainer.fit(TRAIN, VALIDATION);
        }
        // As a checkpoint from before checksums: TensorFlow's "Read less bytes than requested" comes back as one line.
        Path epoch = dir.resolve("checkpoints/epoch-0001");
        Files.delete(epoch.resolve(RunFiles.CHECKSUMS));
        Path weights = epoch.resolve("weights.data-00000-of-00001");
        Files.write(weights, Arrays.copyOf(Files.readAllBytes(weights), 20));
        try (Trainer trainer = Trainer.resume(dir, 2)) {
            assertThatThrownBy(() -> trainer.fit(TRAIN, VALIDATION)).isInstanceOf(InvalidDataException.class)
                    .hasMessageStartingWith(epoch.resolve("weights") + ": cannot read checkpoint")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void resumeRefusesFewerEpochsThanTheRunHasCompleted() {
        try (Trainer trainer = new Trainer(model("logreg", 3), SCALE, config(3), dir)) {
            trainer.fit(TRAIN, VALIDATION);
        }
        assertThatThrownBy(() -> Trainer.resume(dir, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("with 2 epochs in all: it has completed 3 already");
        try (Trainer trainer = Trainer.resume(dir, 3)) {
            assertThat(trainer.fit(TRAIN, VALIDATION).epochsRun()).isEqualTo(3);
        }
    }

    @Test
    void aRunThatNeverCompletedAnEpochIsStartedOver() {
        try (Trainer trainer = new Trainer(model("logreg", 3), SCALE, config(2), dir)) {
            trainer.addListener(new TrainingListener() {
                @Override
                public void onBatchEnd(int epoch, int step, int stepsPerEpoch, double loss, double accuracy) {
                    throw new IllegalStateException("killed in the first epoch");
                }
            });
            assertThatThrownBy(() -> trainer.fit(TRAIN, VALIDATION)).hasMessage("killed in the first epoch");
        }
        assertThat(dir.resolve("checkpoints/run.json")).exists();
        assertThat(Trainer.hasCheckpoint(dir)).isFalse();
        try (Trainer trainer = new Trainer(model("mlp", 3), SCALE, config(1), dir)) {
            assertThat(trainer.fit(TRAIN, VALIDATION).epochsRun()).isEqualTo(1);
        }
        assertThat(Trainer.hasCheckpoint(dir)).isTrue();
    }

    @Test
    void prepareChecksEverythingBeforeAFileIsWritten() {
        try (Trainer trainer = new Trainer(model("logreg", 3), SCALE, config(1), dir)) {
            Dataset empty = TRAIN.subset(new int[0]);
            assertThatThrownBy(() -> trainer.prepare(TRAIN, VALIDATION, empty))
                    .hasMessage("test dataset is empty");
            assertThatThrownBy(() -> trainer.prepare(TRAIN, empty, null)).hasMessage("validation dataset is empty");
            trainer.prepare(TRAIN, VALIDATION, VALIDATION);
        }
        assertThat(dir.resolve("checkpoints")).doesNotExist();
    }

    private static List<EpochMetrics> withoutTimes(History h) {
        return h.epochs().stream().map(m -> new EpochMetrics(m.epoch(), m.trainLoss(), m.trainAccuracy(),
                m.valLoss(), m.valAccuracy(), m.lr(), 0)).toList();
    }
}
