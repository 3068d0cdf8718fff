package org.digitlab.app;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Photo-like image folders for tests, written with ImageIO: bright, noisy colour backgrounds (far from MNIST's dark
 * ones: mean about 0.7) with a dark shape whose kind tells the class, some files PNG and some JPEG.
 */
public final class PhotoFolders {
    private PhotoFolders() {
    }

    /**
     * Writes {@code perClass} images of {@code height}×{@code width} into {@code dir/<class>/} for each class name
     * (at most 3 classes: a vertical bar, a horizontal bar, a square), every third one a JPEG.
     */
    public static Path write(Path dir, List<String> classes, int perClass, int height, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        try {
            for (int c = 0; c < classes.size(); c++) {
                Path classDir = Files.createDirectories(dir.resolve(classes.get(c)));
                for (int i = 0; i < perClass; i++) {
                    BufferedImage image = photo(c, height, width, random);
                    boolean jpeg = i % 3 == 2;
                    Path file = classDir.resolve(String.format("img%03d.%s", i, jpeg ? "jpg" : "png"));
                    if (!ImageIO.write(image, jpeg ? "jpg" : "png", file.toFile())) {
                        throw new IOException("no ImageIO writer for " + file);
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage photo(int kind, int height, int width, SplittableRandom random) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        int r = random.nextInt(170, 250);
        int g = random.nextInt(150, 240);
        int b = random.nextInt(140, 230);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int noise = random.nextInt(-12, 13);
                image.setRGB(x, y, new Color(clamp(r + noise), clamp(g + noise), clamp(b + noise)).getRGB());
            }
        }
        Graphics2D pen = image.createGraphics();
        pen.setColor(new Color(random.nextInt(0, 80), random.nextInt(0, 80), random.nextInt(0, 80)));
        int dx = random.nextInt(-2, 3);
        int dy = random.nextInt(-2, 3);
        switch (kind) {
            case 0 -> pen.fillRect(width / 2 - 2 + dx, 2, 4, height - 4);
            case 1 -> pen.fillRect(2, height / 2 - 2 + dy, width - 4, 4);
            default -> pen.fillRect(width / 4 + dx, height / 4 + dy, width / 2, height / 2);
        }
        pen.dispose();
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
