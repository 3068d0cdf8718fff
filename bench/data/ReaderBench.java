import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.digitlab.data.Dataset;
import org.digitlab.data.csv.CsvOptions;
import org.digitlab.data.csv.CsvReader;
import org.digitlab.data.idx.IdxReader;

/**
 * IDX and CSV reader timings: the first (cold JVM) run, then the median wall and CPU time of 5 runs after
 * warm-up. A single-file program; from the repository root:
 *
 * <pre>
 *   mvn -B -q -pl data-module -am compile
 *   CP=data-module/target/classes:$HOME/.m2/repository/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar
 *   D=/usr/share/datasets/fashion-mnist   # apt-get install dataset-fashion-mnist
 *   java -cp $CP bench/data/ReaderBench.java idx $D/train-images-idx3-ubyte.gz $D/train-labels-idx1-ubyte.gz
 *   java -cp $CP bench/data/ReaderBench.java make-csv $D/train-images-idx3-ubyte.gz \
 *       $D/train-labels-idx1-ubyte.gz /tmp/fashion-train.csv
 *   java -cp $CP bench/data/ReaderBench.java csv /tmp/fashion-train.csv
 * </pre>
 * {@code make-csv} writes the Kaggle layout ({@code label,pixel1,…,pixel784} with a header row).
 */
public final class ReaderBench {
    private static final int WARMUP = 2;
    private static final int RUNS = 5;

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "idx" -> {
                Path images = Path.of(args[1]);
                Path labels = Path.of(args[2]);
                double[] ms = timeMillis(() -> IdxReader.read(images, labels));
                System.out.printf("IDX %s + %s: %s, first (cold JVM) load %.1f ms, median load %.1f ms wall /"
                        + " %.1f ms CPU (of %d runs after %d warm-up)%n", images, labels,
                        IdxReader.read(images, labels), ms[0], ms[1], ms[2], RUNS, WARMUP);
            }
            case "make-csv" -> writeKaggleCsv(IdxReader.read(Path.of(args[1]), Path.of(args[2])), Path.of(args[3]));
            case "csv" -> {
                Path file = Path.of(args[1]);
                double mb = Files.size(file) / 1e6;
                double[] ms = timeMillis(() -> CsvReader.read(file, CsvOptions.defaults()));
                System.out.printf("CSV %s (%.1f MB on disk): %s, first (cold JVM) parse %.1f ms = %.0f MB/s, median"
                        + " parse %.1f ms wall = %.0f MB/s, %.1f ms CPU = %.0f MB/s (of %d runs after %d warm-up)%n",
                        file, mb, CsvReader.read(file, CsvOptions.defaults()), ms[0], mb / (ms[0] / 1e3), ms[1],
                        mb / (ms[1] / 1e3), ms[2], mb / (ms[2] / 1e3), RUNS, WARMUP);
            }
            default -> {
                System.err.println("usage: ReaderBench idx IMAGES LABELS | make-csv IMAGES LABELS OUT | csv FILE");
                System.exit(2);
            }
        }
    }

    /**
     * {first run, median wall time, median CPU time of the calling thread} in milliseconds. CPU time is reported
     * too because wall time on a shared machine depends on what else runs.
     */
    private static double[] timeMillis(Runnable task) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        task.run();
        double first = (System.nanoTime() - start) / 1e6;
        for (int i = 1; i < WARMUP; i++) {
            task.run();
        }
        double[] wall = new double[RUNS];
        double[] cpu = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            task.run();
            wall[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new double[] {first, wall[RUNS / 2], cpu[RUNS / 2]};
    }

    /** Kaggle / Sign-Language-MNIST layout: header row, then label,pixel1,…,pixelN. */
    private static void writeKaggleCsv(Dataset data, Path out) throws Exception {
        int n = data.shape().pixelsPerImage();
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.US_ASCII)) {
            w.write("label");
            for (int p = 1; p <= n; p++) {
                w.write(",pixel" + p);
            }
            w.newLine();
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < data.size(); i++) {
                row.setLength(0);
                row.append(data.label(i));
                for (int p = 0; p < n; p++) {
                    row.append(',').append((int) data.pixel(i, p));
                }
                w.write(row.append('\n').toString());
            }
        }
        System.out.printf("wrote %s: %d rows, %.1f MB%n", out, data.size(), Files.size(out) / 1e6);
    }
}
