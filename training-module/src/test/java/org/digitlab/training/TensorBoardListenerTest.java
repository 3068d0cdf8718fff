package org.digitlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

class TensorBoardListenerTest {
    @TempDir
    Path dir;

    /** One scalar as TensorBoard would read it back. */
    private record Scalar(String tag, long step, float value) {
    }

    @Test
    void writesKerasStyleTrainAndValidationScalarsPerEpochSkippingMissingValidation() throws IOException {
        try (TensorBoardListener listener = new TensorBoardListener(dir)) {
            listener.onTrainBegin(1, 3, 10);
            listener.onEpochEnd(new EpochMetrics(1, 0.9, 0.6, 0.8, 0.65, 0.1, 1.0));
            listener.onEpochEnd(new EpochMetrics(2, 0.5, 0.8, 0.45, 0.82, 0.05, 1.0));
            listener.onEpochEnd(new EpochMetrics(3, 0.3, 0.9, Double.NaN, Double.NaN, 0.025, 1.0));
        }

        assertThat(scalars(dir.resolve("train"))).containsExactly(
                new Scalar("epoch_loss", 1, 0.9f), new Scalar("epoch_accuracy", 1, 0.6f),
                new Scalar("epoch_learning_rate", 1, 0.1f),
                new Scalar("epoch_loss", 2, 0.5f), new Scalar("epoch_accuracy", 2, 0.8f),
                new Scalar("epoch_learning_rate", 2, 0.05f),
                new Scalar("epoch_loss", 3, 0.3f), new Scalar("epoch_accuracy", 3, 0.9f),
                new Scalar("epoch_learning_rate", 3, 0.025f));
        assertThat(scalars(dir.resolve("validation"))).containsExactly(
                new Scalar("epoch_loss", 1, 0.8f), new Scalar("epoch_accuracy", 1, 0.65f),
                new Scalar("epoch_loss", 2, 0.45f), new Scalar("epoch_accuracy", 2, 0.82f));
    }

    @Test
    void eventsAreOnDiskAfterEachEpochAndALaterFitStartsANewFile() throws IOException {
        try (TensorBoardListener listener = new TensorBoardListener(dir)) {
            listener.onEpochEnd(new EpochMetrics(1, 0.9, 0.6, 0.8, 0.65, 0.1, 1.0));
            // flushed at epoch end, before the writer is closed
            assertThat(scalars(dir.resolve("validation"))).hasSize(2);
            listener.onTrainEnd(null);

            listener.onEpochEnd(new EpochMetrics(2, 0.5, 0.8, 0.45, 0.82, 0.05, 1.0));
            listener.close();
            listener.close();
            assertThatThrownBy(() -> listener.onEpochEnd(new EpochMetrics(3, 0, 0, 0, 0, 0, 0)))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(eventFiles(dir.resolve("train"))).hasSize(2);
        assertThat(scalars(dir.resolve("train"))).extracting(Scalar::step).containsExactly(1L, 1L, 1L, 2L, 2L, 2L);
    }

    /** The scalars of every event file in {@code runDir}, files in name (= creation time) order. */
    private static List<Scalar> scalars(Path runDir) throws IOException {
        List<Scalar> scalars = new ArrayList<>();
        for (Path file : eventFiles(runDir)) {
            List<Event> events = events(file);
            assertThat(events.get(0).getFileVersion()).isEqualTo("brain.Event:2");
            for (Event event : events.subList(1, events.size())) {
                assertThat(event.getSummary().getValueCount()).isEqualTo(1);
                Summary.Value v = event.getSummary().getValue(0);
                scalars.add(new Scalar(v.getTag(), event.getStep(), scalarValue(v)));
            }
        }
        return scalars;
    }

    private static float scalarValue(Summary.Value v) {
        // WriteScalarSummary stores the legacy simple_value, which TensorBoard's scalars plugin reads
        assertThat(v.getValueCase()).isEqualTo(Summary.Value.ValueCase.SIMPLE_VALUE);
        return v.getSimpleValue();
    }

    private static List<Path> eventFiles(Path runDir) throws IOException {
        try (Stream<Path> files = Files.list(runDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList();
        }
    }

    /** Reads TFRecord framing: u64 length, masked CRC32C of it, data, masked CRC32C of the data (little-endian). */
    private static List<Event> events(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] header = new byte[8];
            in.get(header);
            assertThat(in.getInt()).as("length CRC in %s", file).isEqualTo(maskedCrc(header));
            byte[] data = new byte[Math.toIntExact(ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong())];
            in.get(data);
            assertThat(in.getInt()).as("data CRC in %s", file).isEqualTo(maskedCrc(data));
            events.add(Event.parseFrom(data));
        }
        return events;
    }

    private static int maskedCrc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }
}
