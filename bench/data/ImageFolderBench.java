import com.sun.management.OperatingSystemMXBean;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.digitlab.data.image.ImageFolder;
import org.digitlab.data.image.ImageFolderOptions;
import org.digitlab.data.image.ImageFolderReader;
import org.digitlab.data.image.ImageSize;

/**
 * Image folder decoding speed: writes a folder of RGB JPEGs, then reads it without a cache, with an empty cache
 * (decode + write) and again (read from the cache). A single-file program; from the repository root:
 *
 * <pre>
 *   mvn -B -q -o -pl data-module -am compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 *   CP=data-module/target/classes:$(cat /tmp/cp.txt)
 *   java -cp $CP bench/data/ImageFolderBench.java make /tmp/jpegs 5000 100 100
 *   java -cp $CP bench/data/ImageFolderBench.java read /tmp/jpegs 28x28 0
 * </pre>
 * The last argument is the number of decoding threads (0: every core).
 */
public final class ImageFolderBench {
    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "make" -> make(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            case "read" -> read(Path.of(args[1]), ImageSize.parse(args[2]), Integer.parseInt(args[3]));
            default -> {
                System.err.println("usage: ImageFolderBench make DIR N HEIGHT WIDTH | read DIR HxW THREADS");
                System.exit(2);
            }
        }
    }

    /** N smooth RGB photos-like images with noise, in 10 class folders. */
    private static void make(Path dir, int n, int height, int width) throws Exception {
        Random random = new Random(1);
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            int base = random.nextInt(0xFFFFFF);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    image.setRGB(x, y, base + (x * 2 << 16) + (y * 2 << 8) + random.nextInt(32));
                }
            }
            Path file = dir.resolve("class" + i % 10).resolve("img" + i + ".jpg");
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "jpg", file.toFile());
        }
        System.out.printf("wrote %d JPEGs of %dx%d to %s%n", n, height, width, dir);
    }

    private static void read(Path dir, ImageSize size, int threads) throws Exception {
        ImageFolderOptions options = ImageFolderOptions.defaults().withSize(size).withThreads(threads);
        System.out.printf("%d decoding threads, %d cores%n", options.threadCount(),
                Runtime.getRuntime().availableProcessors());
        timed("warm-up, no cache", () -> ImageFolderReader.read(dir, options));
        timed("no cache", () -> ImageFolderReader.read(dir, options));
        Path cache = Files.createTempDirectory("image-cache");
        timed("empty cache (decode + write)", () -> ImageFolderReader.read(dir, options.withCacheDir(cache)));
        timed("cached", () -> ImageFolderReader.read(dir, options.withCacheDir(cache)));
    }

    /** Wall time as the reader measured it, and the CPU time of the whole process (all threads) meanwhile. */
    private static void timed(String what, Supplier<ImageFolder> read) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        ImageFolder folder = read.get();
        double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
        int n = folder.data().size();
        System.out.printf("%-30s %s: %d images %s in %.2f s = %.0f images/s; %.2f CPU-s = %.0f images per"
                + " CPU-second%n", what, folder.data().shape(), n, folder.fromCache() ? "read from cache" : "decoded",
                folder.seconds(), n / folder.seconds(), cpu, n / cpu);
    }
}
