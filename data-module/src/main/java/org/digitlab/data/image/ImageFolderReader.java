package org.digitlab.data.image;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.digitlab.data.ClassLabels;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.InvalidDataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an image folder the way torchvision's {@code ImageFolder} and Keras' {@code image_dataset_from_directory}
 * do: one subfolder per class, named after it; class names in natural order ("2" before "10"); the PNG, JPEG,
 * BMP and GIF files of each class folder and its subfolders in natural order of their paths. Each image is
 * converted as {@link ImageConversion} says. Decoding runs on several threads; the result does not depend on
 * how many. With a cache folder, a decoded copy is kept and reused while the files and options stay the same.
 */
public final class ImageFolderReader {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderReader.class);
    /** The most bytes one dataset's pixel array holds. */
    private static final long MAX_PIXEL_BYTES = Integer.MAX_VALUE - 8;

    private ImageFolderReader() {
    }

    /**
     * An image that could not be decoded.
     *
     * @param file   its path below the folder, "/" between names
     * @param reason what the decoder found
     */
    record BadImage(String file, String reason) {
    }

    /**
     * A decoded folder, independent of how the folder's path was spelt (what the cache keeps).
     *
     * @param size       the size of every image
     * @param color      the colour of every image
     * @param classNames the class names, index = label
     * @param files      each image's path below the folder, "/" between names
     * @param labels     each image's class
     * @param pixels     all images, unsigned bytes, channels last
     * @param bad        the images that could not be decoded and were skipped
     */
    record Decoded(ImageSize size, ImageColor color, List<String> classNames, List<String> files, int[] labels,
                   byte[] pixels, List<BadImage> bad) {
    }

    /**
     * Reads image folder {@code dir}.
     *
     * @throws InvalidDataException naming the folder or file at fault: not a folder, no class folders, a class
     *                              folder without images, an undecodable image (unless skipped), images of
     *                              different sizes when no size was given, or too many pixels for memory
     */
    public static ImageFolder read(Path dir, ImageFolderOptions options) {
        long start = System.nanoTime();
        return read(dir, FolderListing.of(dir), options, start);
    }

    /**
     * Reads test image folder {@code dir} as {@code train} was read: at its size and colour, labelled by its class
     * names. A training class missing from the test folder is fine; a class unknown to the training data is an
     * error, found before anything is decoded. Skipping, threads and cache come from {@code options}.
     */
    public static ImageFolder readTest(Path dir, ImageFolder train, ImageFolderOptions options) {
        long start = System.nanoTime();
        FolderListing listing = FolderListing.of(dir);
        List<String> trainNames = train.data().classNames();
        String what = "test image folder " + dir;
        // One stand-in pixel per class lets ClassLabels check the class names before anything is decoded.
        int classes = listing.classNames().size();
        int[] oneEach = new int[classes];
        for (int c = 0; c < classes; c++) {
            oneEach[c] = c;
        }
        ClassLabels.align(Dataset.ofBytes(ImageShape.grey(1, 1), new byte[classes], oneEach,
                listing.classNames(), 255f), trainNames, what);
        ImageFolder test = read(dir, listing, options.withSize(train.size()).withColor(train.color()), start);
        return test.withData(ClassLabels.align(test.data(), trainNames, what));
    }

    private static ImageFolder read(Path dir, FolderListing listing, ImageFolderOptions options, long start) {
        ImageCache cache = options.cacheDir() == null ? null : ImageCache.of(options.cacheDir(), listing, options);
        Decoded decoded = cache == null ? null : cache.load(listing, options);
        boolean fromCache = decoded != null;
        if (decoded == null) {
            decoded = decode(dir, listing, options);
            if (cache != null) {
                cache.store(decoded);
            }
        }
        ImageShape shape = new ImageShape(decoded.size().height(), decoded.size().width(),
                decoded.color().channels());
        List<String> files = decoded.files().stream().map(file -> dir.resolve(file).toString()).toList();
        Dataset data = Dataset.ofBytes(shape, decoded.pixels(), decoded.labels(), decoded.classNames(), 255f)
                .withFiles(files);
        List<SkippedFile> skipped = new ArrayList<>(listing.skipped());
        for (BadImage bad : decoded.bad()) {
            skipped.add(new SkippedFile(dir.resolve(bad.file()).toString(), SkippedFile.Reason.BAD_IMAGE,
                    bad.reason()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.debug("{}: {} images {} in {} s", dir, data.size(), fromCache ? "read from cache" : "decoded", seconds);
        return new ImageFolder(data, decoded.size(), decoded.color(), skipped, fromCache, seconds);
    }

    /** Decodes every listed image on {@code options.threadCount()} threads. */
    private static Decoded decode(Path dir, FolderListing listing, ImageFolderOptions options) {
        int n = listing.size();
        Path[] files = new Path[n];
        for (int i = 0; i < n; i++) {
            files[i] = dir.resolve(listing.images().get(i).relative());
        }
        ImageSize size = options.size();
        int reference = -1;
        if (size == null) {
            int[] found = new int[2];
            reference = firstReadable(files, options.skipBad(), found);
            if (reference < 0) {
                throw InvalidDataException.of(dir, "none of the " + n + " images can be decoded");
            }
            if (found[0] > ImageSize.MAX_SIDE || found[1] > ImageSize.MAX_SIDE) {
                throw InvalidDataException.of(files[reference], "image of " + found[0] + "x" + found[1]
                        + " is larger than " + ImageSize.MAX_SIDE + " pixels on a side; choose a size with "
                        + "--image-size HxW");
            }
            size = new ImageSize(found[0], found[1]);
        }
        checkMemory(dir, n, size, options.color() == ImageColor.GREY ? 1 : 3);

        ImageSize target = size;
        boolean keepSize = options.size() == null;
        ImageConversion.Converted[] converted = new ImageConversion.Converted[n];
        String[] bad = new String[n];
        InvalidDataException[] problems = new InvalidDataException[n];
        // The lowest-numbered problem is reported, so the error is the same whatever the threads' timing.
        AtomicInteger firstProblem = new AtomicInteger(n);
        AtomicInteger next = new AtomicInteger();
        int referenceIndex = reference;
        Callable<Void> worker = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                if (i > firstProblem.get()) {
                    continue;
                }
                int[] found = new int[2];
                try {
                    BufferedImage image = ImageFiles.read(files[i], (height, width) -> {
                        found[0] = height;
                        found[1] = width;
                        return !keepSize || (height == target.height() && width == target.width());
                    });
                    if (image != null) {
                        converted[i] = ImageConversion.convert(image, target, options.color());
                        continue;
                    }
                    problems[i] = InvalidDataException.of(dir, "images differ in size: " + files[referenceIndex]
                            + " is " + target + ", " + files[i] + " is " + found[0] + "x" + found[1]
                            + "; choose one size with --image-size HxW (images are centre-cropped to its aspect "
                            + "ratio and resized)");
                } catch (InvalidDataException e) {
                    if (options.skipBad()) {
                        bad[i] = e.problem();
                        continue;
                    }
                    problems[i] = withSkipHint(e);
                }
                firstProblem.accumulateAndGet(i, Math::min);
            }
            return null;
        };
        runOnThreads(worker, Math.min(options.threadCount(), n));
        if (firstProblem.get() < n) {
            throw problems[firstProblem.get()];
        }
        return assemble(dir, listing, target, options.color(), converted, bad);
    }

    /**
     * The index of the first image whose header can be read, its height and width put in {@code found}; -1 when
     * there is none. A bad image fails unless bad images are skipped.
     */
    private static int firstReadable(Path[] files, boolean skipBad, int[] found) {
        for (int i = 0; i < files.length; i++) {
            try {
                ImageFiles.read(files[i], (height, width) -> {
                    found[0] = height;
                    found[1] = width;
                    return false;
                });
                return i;
            } catch (InvalidDataException e) {
                if (!skipBad) {
                    throw withSkipHint(e);
                }
            }
        }
        return -1;
    }

    /** A bad image's error, saying how to go on without it. */
    private static InvalidDataException withSkipHint(InvalidDataException e) {
        return InvalidDataException.of(e.source(), e.problem() + " (--skip-bad-images skips such files)", e);
    }

    /** Refuses folders whose pixels would not fit one array, or the memory Java may use, before decoding. */
    private static void checkMemory(Path dir, int images, ImageSize size, int channels) {
        long bytes = (long) images * size.height() * size.width() * channels;
        String what = images + " images of " + size + "x" + channels + " take " + bytes / 1_000_000 + " MB";
        if (bytes > MAX_PIXEL_BYTES) {
            throw InvalidDataException.of(dir, what + ", more than one dataset holds (2 GB); choose a smaller "
                    + "--image-size HxW");
        }
        // Decoded images are gathered, then copied into one array: twice the pixels at the peak.
        long available = Runtime.getRuntime().maxMemory();
        if (2 * bytes > available) {
            throw InvalidDataException.of(dir, what + " (twice that while reading), more than the "
                    + available / 1_000_000 + " MB Java may use; choose a smaller --image-size HxW or give Java "
                    + "more memory (-Xmx)");
        }
    }

    /** Runs {@code worker} on {@code threads} threads and waits; a worker's unexpected exception is rethrown. */
    private static void runOnThreads(Callable<Void> worker, int threads) {
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "image-decoder-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Void>> futures = pool.invokeAll(Collections.nCopies(threads, worker));
            for (Future<Void> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding images", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One dataset of the decoded images in listing order, bad ones left out; auto colour settled here. */
    private static Decoded assemble(Path dir, FolderListing listing, ImageSize size, ImageColor color,
                                    ImageConversion.Converted[] converted, String[] bad) {
        ImageColor resolved = color;
        if (resolved == null) {
            resolved = ImageColor.GREY;
            for (ImageConversion.Converted image : converted) {
                if (image != null && image.channels() == 3) {
                    resolved = ImageColor.RGB;
                }
            }
        }
        int channels = resolved.channels();
        int perImage = size.height() * size.width() * channels;
        int kept = 0;
        for (ImageConversion.Converted image : converted) {
            kept += image != null ? 1 : 0;
        }
        byte[] pixels = new byte[kept * perImage];
        int[] labels = new int[kept];
        List<String> files = new ArrayList<>(kept);
        List<BadImage> badImages = new ArrayList<>();
        int[] counts = new int[listing.classNames().size()];
        int k = 0;
        for (int i = 0; i < converted.length; i++) {
            String file = listing.images().get(i).key();
            if (converted[i] == null) {
                badImages.add(new BadImage(file, bad[i]));
                continue;
            }
            byte[] source = converted[i].pixels();
            if (converted[i].channels() == channels) {
                System.arraycopy(source, 0, pixels, k * perImage, perImage);
            } else {
                // A grey image in an RGB folder: its value in all three channels.
                for (int p = 0; p < source.length; p++) {
                    int at = k * perImage + 3 * p;
                    pixels[at] = source[p];
                    pixels[at + 1] = source[p];
                    pixels[at + 2] = source[p];
                }
            }
            labels[k] = listing.labels()[i];
            counts[labels[k]]++;
            files.add(file);
            k++;
        }
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 0) {
                throw InvalidDataException.of(dir.resolve(listing.classNames().get(c)), "class folder holds no "
                        + "readable image: every one was skipped as bad");
            }
        }
        return new Decoded(size, resolved, listing.classNames(), files, labels, pixels, badImages);
    }
}
