package org.digitlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.digitlab.data.BatchSampler.LastBatch;
import org.junit.jupiter.api.Test;

class BatchSamplerTest {

    private static int[] flatten(int[][] batches) {
        return Arrays.stream(batches).flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void sameSeedGivesSameBatchesInEveryEpoch() {
        BatchSampler a = BatchSampler.shuffled(103, 10, 77, LastBatch.KEEP);
        BatchSampler b = BatchSampler.shuffled(103, 10, 77, LastBatch.KEEP);
        for (int epoch = 0; epoch < 5; epoch++) {
            assertThat(a.epoch(epoch)).isDeepEqualTo(b.epoch(epoch));
        }
    }

    @Test
    void resumedRunSeesTheSameOrderAsUninterruptedRun() {
        BatchSampler uninterrupted = BatchSampler.shuffled(50, 8, 5, LastBatch.KEEP);
        int[][] epoch3 = null;
        for (int epoch = 0; epoch <= 3; epoch++) {
            epoch3 = uninterrupted.epoch(epoch);
        }
        BatchSampler resumed = BatchSampler.shuffled(50, 8, 5, LastBatch.KEEP);
        assertThat(resumed.epoch(3)).isDeepEqualTo(epoch3);
        assertThat(uninterrupted.epoch(3)).isDeepEqualTo(epoch3);
    }

    @Test
    void keepVisitsEverySampleExactlyOncePerEpochWithSmallerLastBatch() {
        BatchSampler sampler = BatchSampler.shuffled(103, 10, 1, LastBatch.KEEP);
        assertThat(sampler.batchesPerEpoch()).isEqualTo(11);
        for (int epoch = 0; epoch < 3; epoch++) {
            int[][] batches = sampler.epoch(epoch);
            assertThat(batches.length).isEqualTo(11);
            assertThat(batches[10]).hasSize(3);
            assertThat(Arrays.stream(batches, 0, 10)).allSatisfy(batch -> assertThat(batch).hasSize(10));
            assertThat(flatten(batches)).containsExactlyInAnyOrder(IntStream.range(0, 103).toArray());
        }
    }

    @Test
    void dropLeavesOutTheIncompleteLastBatch() {
        BatchSampler sampler = BatchSampler.shuffled(103, 10, 1, LastBatch.DROP);
        assertThat(sampler.batchesPerEpoch()).isEqualTo(10);
        int[][] batches = sampler.epoch(0);
        assertThat(batches.length).isEqualTo(10);
        assertThat(Arrays.stream(batches)).allSatisfy(batch -> assertThat(batch).hasSize(10));
        assertThat(flatten(batches)).doesNotHaveDuplicates().hasSize(100);
    }

    @Test
    void exactMultipleHasNoPartialBatchEitherWay() {
        assertThat(BatchSampler.shuffled(100, 10, 1, LastBatch.KEEP).batchesPerEpoch()).isEqualTo(10);
        assertThat(BatchSampler.shuffled(100, 10, 1, LastBatch.DROP).batchesPerEpoch()).isEqualTo(10);
    }

    @Test
    void epochsAndSeedsGiveDifferentShuffledOrders() {
        BatchSampler sampler = BatchSampler.shuffled(100, 100, 3, LastBatch.KEEP);
        int[] epoch0 = flatten(sampler.epoch(0));
        assertThat(epoch0).isNotEqualTo(IntStream.range(0, 100).toArray());
        assertThat(flatten(sampler.epoch(1))).isNotEqualTo(epoch0);
        assertThat(flatten(BatchSampler.shuffled(100, 100, 4, LastBatch.KEEP).epoch(0))).isNotEqualTo(epoch0);
    }

    @Test
    void classBalancedSamplingDrawsClassesEquallyOftenOnImbalancedData() {
        Dataset imbalanced = SyntheticDatasets.withClassCounts(900, 90, 10);
        BatchSampler sampler = BatchSampler.of(imbalanced, 32, 9, LastBatch.KEEP, true);
        assertThat(sampler.classBalanced()).isTrue();
        int[] drawn = new int[3];
        int total = 0;
        for (int epoch = 0; epoch < 10; epoch++) {
            int[][] batches = sampler.epoch(epoch);
            assertThat(batches.length).isEqualTo(32);
            int[] indices = flatten(batches);
            assertThat(indices).hasSize(1000);
            for (int index : indices) {
                drawn[imbalanced.label(index)]++;
                total++;
            }
        }
        for (int c = 0; c < 3; c++) {
            assertThat(drawn[c] / (double) total).as("share of class %d", c).isBetween(0.3, 0.367);
        }
    }

    @Test
    void classBalancedSamplingIsDeterministicAndDiffersBetweenEpochs() {
        int[] labels = SyntheticDatasets.withClassCounts(40, 4, 6).labels();
        BatchSampler a = BatchSampler.of(labels, 7, 21, LastBatch.DROP, true);
        BatchSampler b = BatchSampler.of(labels, 7, 21, LastBatch.DROP, true);
        assertThat(a.epoch(2)).isDeepEqualTo(b.epoch(2));
        assertThat(flatten(a.epoch(0))).isNotEqualTo(flatten(a.epoch(1)));
        assertThat(Arrays.stream(flatten(a.epoch(0))).boxed().toList()).allSatisfy(i -> assertThat(i).isBetween(0, labels.length - 1));
    }

    @Test
    void classBalancedSamplingSkipsClassesWithoutSamples() {
        int[] labels = {0, 0, 0, 2, 2, 2, 2, 2, 2, 2};
        int[] indices = flatten(BatchSampler.of(labels, 4, 1, LastBatch.KEEP, true).epoch(0));
        assertThat(indices).hasSize(10);
        assertThat(Arrays.stream(indices).boxed().toList()).allSatisfy(i -> assertThat(labels[i]).isIn(0, 2));
    }

    @Test
    void rejectsUnusableSettings() {
        assertThatThrownBy(() -> BatchSampler.shuffled(10, 0, 1, LastBatch.KEEP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size");
        assertThatThrownBy(() -> BatchSampler.shuffled(10, 11, 1, LastBatch.DROP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every epoch would be empty");
        assertThatThrownBy(() -> BatchSampler.shuffled(0, 4, 1, LastBatch.KEEP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty dataset");
        assertThatThrownBy(() -> BatchSampler.shuffled(10, 4, 1, LastBatch.KEEP).epoch(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch index");
    }

    @Test
    void batchLargerThanDatasetWithKeepGivesOneBatchOfEverything() {
        int[][] batches = BatchSampler.shuffled(5, 64, 2, LastBatch.KEEP).epoch(0);
        assertThat(batches.length).isEqualTo(1);
        assertThat(batches[0]).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    }
}
