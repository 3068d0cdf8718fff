package org.digitlab.data.image;

import java.nio.file.Path;

/**
 * How to read an image folder; each option is one command-line flag.
 *
 * @param size     every image is centre-cropped and resized to this ({@code --image-size HxW}, see
 *                 {@link ImageSize#parse}); null keeps the size the images share, and differing sizes are an error
 * @param color    grey or RGB ({@code --color grey|rgb}, see {@link ImageColor#parse}); null means grey when every
 *                 image is grey, else RGB
 * @param skipBad  skip (and list) images that cannot be decoded instead of failing ({@code --skip-bad-images})
 * @param threads  decoding threads; 0 uses every core
 * @param cacheDir where decoded copies are kept so the next read of the same files skips decoding; null: no cache
 */
public record ImageFolderOptions(ImageSize size, ImageColor color, boolean skipBad, int threads, Path cacheDir) {
    /** Checks {@code threads} is not negative. */
    public ImageFolderOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (every core) or more, got " + threads);
        }
    }

    /** Size and colour from the images, bad images fail, every core, no cache. */
    public static ImageFolderOptions defaults() {
        return new ImageFolderOptions(null, null, false, 0, null);
    }

    /** These options with {@code imageSize} (null: keep the images' common size). */
    public ImageFolderOptions withSize(ImageSize imageSize) {
        return new ImageFolderOptions(imageSize, color, skipBad, threads, cacheDir);
    }

    /** These options with {@code imageColor} (null: grey when every image is grey, else RGB). */
    public ImageFolderOptions withColor(ImageColor imageColor) {
        return new ImageFolderOptions(size, imageColor, skipBad, threads, cacheDir);
    }

    /** These options skipping undecodable images ({@code true}) or failing on them. */
    public ImageFolderOptions withSkipBad(boolean skip) {
        return new ImageFolderOptions(size, color, skip, threads, cacheDir);
    }

    /** These options with {@code count} decoding threads (0: every core). */
    public ImageFolderOptions withThreads(int count) {
        return new ImageFolderOptions(size, color, skipBad, count, cacheDir);
    }

    /** These options caching decoded images in {@code dir} (null: no cache). */
    public ImageFolderOptions withCacheDir(Path dir) {
        return new ImageFolderOptions(size, color, skipBad, threads, dir);
    }

    /** The number of decoding threads: {@link #threads}, or the number of cores when it is 0. */
    public int threadCount() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
