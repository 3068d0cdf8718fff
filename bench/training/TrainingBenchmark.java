import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.digitlab.data.Dataset;
import org.digitlab.data.Normalization;
import org.digitlab.data.idx.IdxReader;
import org.digitlab.model.ModelSpec;
import org.digitlab.model.Presets;
import org.digitlab.training.Device;
import org.digitlab.training.OptimizerConfig;
import org.digitlab.training.Trainer;
import org.digitlab.training.TrainingConfig;
import org.digitlab.training.TrainingListener;

/**
 * Training throughput of DigitLab's Trainer: one epoch over 60,000 Fashion-MNIST images per (model, batch size),
 * Adam 1e-3, pixels scaled to [0, 1], the first 5 batches excluded from the timing (as bench/pytorch/cnn_epoch.py).
 * Run with bench/training/run.sh (see bench/training/README.md); {@code --limit N} times only the first N images.
 */
public final class TrainingBenchmark {
    private static final int WARMUP_BATCHES = 5;

    public static void main(String[] args) throws Exception {
        List<String> models = List.of("cnn", "mlp");
        List<Integer> batchSizes = List.of(64, 128);
        Path images = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
        Path labels = Path.of("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz");
        Device device = Device.AUTO;
        int limit = 0;
        List<Integer> stepsPerCall = List.of(1);
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--models" -> models = List.of(value.split(","));
                case "--batch-sizes" -> batchSizes = parseInts(value);
                case "--images" -> images = Path.of(value);
                case "--labels" -> labels = Path.of(value);
                case "--device" -> device = Device.parse(value);
                case "--limit" -> limit = Integer.parseInt(value);
                case "--steps-per-call" -> stepsPerCall = parseInts(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; expected --models, "
                        + "--batch-sizes, --images, --labels, --device, --limit, --steps-per-call");
            }
        }
        Dataset train = IdxReader.read(images, labels);
        if (limit > 0 && limit < train.size()) {
            train = train.subset(java.util.stream.IntStream.range(0, limit).toArray());
        }
        System.out.printf(Locale.ROOT, "DigitLab Trainer, %d images %s, %d cores visible%n", train.size(),
                train.shape(), Runtime.getRuntime().availableProcessors());
        for (String model : models) {
            for (int batchSize : batchSizes) {
                for (int k : stepsPerCall) {
                    run(train, model, batchSize, k, device);
                }
            }
        }
    }

    private static void run(Dataset train, String model, int batchSize, int k, Device device) throws Exception {
        ModelSpec spec = Presets.model(model, train.shape().height(), train.shape().width(),
                train.shape().channels(), train.numClasses());
        TrainingConfig config = TrainingConfig.defaults().withEpochs(1).withBatchSize(batchSize)
                .withOptimizer(OptimizerConfig.adam(1e-3)).withDevice(device).withStepsPerCall(k);
        Path runDir = Files.createTempDirectory("digitlab-bench");
        // The clock starts after the first calls that cover the warm-up batches (listeners see K steps at once).
        int warmup = k * ((WARMUP_BATCHES + k - 1) / k);
        Timing timing = new Timing(warmup);
        try (Trainer trainer = new Trainer(spec, Normalization.scale(train.pixelMax()), config, runDir)) {
            trainer.addListener(timing);
            var result = trainer.fit(train, null);
            long timedSamples = (long) train.size() - (long) warmup * batchSize;
            double seconds = (timing.end - timing.afterWarmup) / 1e9;
            double cpuSeconds = (timing.cpuEnd - timing.cpuAfterWarmup) / 1e9;
            System.out.printf(Locale.ROOT, "%-4s batch %4d, %2d steps/call: %9.0f samples/s, epoch %7.2f s, last loss"
                            + " %.4f, %s (process CPU %.1f s for %.1f s wall)%n",
                    model, batchSize, k, timedSamples / seconds, result.history().last().seconds(), timing.lastLoss,
                    result.device(), cpuSeconds, seconds);
        } finally {
            try (var walk = Files.walk(runDir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<Integer> parseInts(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }

    /** Clock readings after the warm-up batches and after the last batch. */
    private static final class Timing implements TrainingListener {
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean();
        final int warmup;
        long afterWarmup;
        long end;
        long cpuAfterWarmup;
        long cpuEnd;
        double lastLoss;

        Timing(int warmup) {
            this.warmup = warmup;
        }

        @Override
        public void onBatchEnd(int epoch, int step, int stepsPerEpoch, double loss, double accuracy) {
            if (step == warmup) {
                afterWarmup = System.nanoTime();
                cpuAfterWarmup = os.getProcessCpuTime();
            }
            if (step == stepsPerEpoch) {
                end = System.nanoTime();
                cpuEnd = os.getProcessCpuTime();
                lastLoss = loss;
            }
        }
    }
}
