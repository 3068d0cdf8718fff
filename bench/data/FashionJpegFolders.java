import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes Fashion-MNIST's official IDX files as photo-like image folders for the "your own images" benchmark: one
 * subfolder per class, every image a colour JPEG of SIZE×SIZE pixels (the garment in a random colour on a random
 * background, upscaled bilinearly from 28×28), so reading them back exercises decoding, resizing and colour.
 *
 * <pre>java bench/data/FashionJpegFolders.java /usr/share/datasets/fashion-mnist OUT 40</pre>
 * gives OUT/train/&lt;class&gt;/NNNNN.jpg (60,000) and OUT/test/&lt;class&gt;/NNNNN.jpg (10,000).
 */
public final class FashionJpegFolders {
    private static final String[] CLASSES = {"T-shirt_top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
        "Shirt", "Sneaker", "Bag", "Ankle_boot"};

    public static void main(String[] args) throws IOException {
        Path source = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int size = Integer.parseInt(args[2]);
        write(source.resolve("train-images-idx3-ubyte.gz"), source.resolve("train-labels-idx1-ubyte.gz"),
                out.resolve("train"), size, 1);
        write(source.resolve("t10k-images-idx3-ubyte.gz"), source.resolve("t10k-labels-idx1-ubyte.gz"),
                out.resolve("test"), size, 2);
    }

    private static void write(Path images, Path labels, Path dir, int size, long seed) throws IOException {
        byte[] pixels = body(images, 16);
        byte[] classes = body(labels, 8);
        for (String name : CLASSES) {
            Files.createDirectories(dir.resolve(name));
        }
        SplittableRandom random = new SplittableRandom(seed);
        ImageWriter writer = jpegWriter();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        for (int i = 0; i < classes.length; i++) {
            int[] background = colour(random, 150, 255);
            int[] garment = colour(random, 0, 200);
            BufferedImage small = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < 28 * 28; p++) {
                float ink = (pixels[i * 784 + p] & 0xFF) / 255f;
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    rgb = rgb << 8 | Math.round(background[c] * (1 - ink) + garment[c] * ink);
                }
                small.setRGB(p % 28, p / 28, rgb);
            }
            BufferedImage big = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            var g = big.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(small, 0, 0, size, size, null);
            g.dispose();
            Path file = dir.resolve(CLASSES[classes[i]]).resolve(String.format("%05d.jpg", i));
            try (ImageOutputStream stream = ImageIO.createImageOutputStream(file.toFile())) {
                writer.setOutput(stream);
                writer.write(null, new IIOImage(big, null, null), param);
            }
        }
        writer.dispose();
        System.out.println(dir + ": " + classes.length + " images");
    }

    private static int[] colour(SplittableRandom random, int low, int high) {
        return new int[] {random.nextInt(low, high), random.nextInt(low, high), random.nextInt(low, high)};
    }

    private static ImageWriter jpegWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        return writers.next();
    }

    private static byte[] body(Path gz, int header) throws IOException {
        try (InputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(gz)))) {
            byte[] all = in.readAllBytes();
            return java.util.Arrays.copyOfRange(all, header, all.length);
        }
    }
}
