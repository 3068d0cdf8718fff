package org.digitlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Assertions;

/**
 * What reading one generated or mutated input may end in, for the readers' property tests: a consistent dataset,
 * or exactly one {@link InvalidDataException} whose one-line message names the input. Anything else (another
 * exception, an error such as OutOfMemoryError, a read that does not finish in time) fails the property.
 */
public enum ReaderOutcome {
    /** The reader returned a dataset, and it is consistent. */
    DATASET,
    /** The reader refused the input with one {@link InvalidDataException}. */
    REFUSED;

    /** A read that takes longer is taken for a hang (the inputs are a few kilobytes). */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * Runs {@code read}, checks its outcome as the class comment says, and counts it in jqwik's statistics.
     *
     * @param sources the inputs (file or stream names); an error's source must start with one of them
     */
    public static ReaderOutcome of(List<String> sources, Callable<Dataset> read) {
        Object result = Assertions.assertTimeoutPreemptively(TIMEOUT, () -> {
            try {
                return read.call();
            } catch (InvalidDataException e) {
                return e;
            }
        }, () -> "reading " + sources + " did not finish within " + TIMEOUT.toSeconds() + " s");
        ReaderOutcome outcome;
        if (result instanceof InvalidDataException e) {
            assertThat(e.getMessage()).as("message of %s", e).doesNotContain("\n");
            assertThat(sources).as("source of %s", e).anyMatch(source -> e.source().startsWith(source));
            assertThat(e.problem()).isNotBlank().doesNotContain("null");
            outcome = REFUSED;
        } else if (result instanceof Dataset dataset) {
            assertConsistent(dataset);
            outcome = DATASET;
        } else {
            throw new AssertionError("reader returned " + result);
        }
        Statistics.label("outcome").collect(outcome);
        return outcome;
    }

    /** N labels each naming one of the classes, N·H·W·C pixels in [0, pixelMax], distinct non-blank class names. */
    public static void assertConsistent(Dataset data) {
        int n = data.size();
        assertThat(n).isPositive();
        assertThat(data.labels()).hasSize(n);
        assertThat(data.numClasses()).isPositive().isEqualTo(data.classNames().size());
        assertThat(new HashSet<>(data.classNames())).hasSize(data.numClasses());
        assertThat(data.classNames()).allMatch(name -> !name.isBlank());
        for (int label : data.labels()) {
            assertThat(label).isBetween(0, data.numClasses() - 1);
        }
        float[] pixels = data.pixelsAsFloats();
        assertThat((long) pixels.length).isEqualTo((long) n * data.shape().pixelsPerImage());
        for (float p : pixels) {
            if (!(p >= 0 && p <= data.pixelMax())) {
                fail("pixel " + p + " outside [0, " + data.pixelMax() + "]");
            }
        }
    }
}
