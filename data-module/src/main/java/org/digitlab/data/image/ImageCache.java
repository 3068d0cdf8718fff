package org.digitlab.data.image;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.digitlab.data.Checksums;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decoded copy of an image folder, so the next read skips decoding. The file is {@code <key>.bin} in the cache
 * folder, where the key is a SHA-256 over the format version, the options (size, colour, resize method,
 * skipping) and every image's path, size and modification time: changing a file or an option makes a new key,
 * and listing and stat'ing the files is all a cached read costs.
 *
 * <p>Format (big-endian): magic {@code "DLIMGC\r\n"}, format version (int), the key (32 bytes), height, width,
 * channels (ints), class count and names, image count and each image's path and label, bad-image count and each
 * one's path and reason (strings as Java's modified UTF-8 with a 2-byte length), the pixels, and a SHA-256 over
 * everything before it. A file that is missing, truncated, corrupt or does not match the listing is ignored
 * with a warning. Files are written to a unique temporary name and renamed, so concurrent runs cannot corrupt one.
 */
final class ImageCache {
    /** Changes whenever the format or the decoding changes, so old copies are not reused. */
    static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = {'D', 'L', 'I', 'M', 'G', 'C', '\r', '\n'};
    private static final int DIGEST_BYTES = 32;
    private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class);

    private final Path file;
    private final byte[] key;

    private ImageCache(Path file, byte[] key) {
        this.file = file;
        this.key = key;
    }

    /** The cache entry in {@code dir} for reading {@code listing} with {@code options}. */
    static ImageCache of(Path dir, FolderListing listing, ImageFolderOptions options) {
        MessageDigest sha = Checksums.sha256();
        try (DataOutputStream out = new DataOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(),
                sha))) {
            out.writeUTF("digitlab image cache");
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(String.valueOf(options.size()));
            out.writeUTF(String.valueOf(options.color()));
            out.writeUTF(ImageConversion.RESIZE_METHOD);
            out.writeBoolean(options.skipBad());
            writeStrings(out, listing.classNames());
            out.writeInt(listing.size());
            for (FolderListing.FileEntry image : listing.images()) {
                Instant modified = image.modified().toInstant();
                out.writeUTF(image.key());
                out.writeLong(image.size());
                out.writeLong(modified.getEpochSecond());
                out.writeInt(modified.getNano());
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to a digest cannot fail", e);
        }
        byte[] key = sha.digest();
        return new ImageCache(dir.resolve(HexFormat.of().formatHex(key) + ".bin"), key);
    }

    /** The cache file. */
    Path file() {
        return file;
    }

    /** The cached copy, or null when there is none or it cannot be trusted (then a warning says why). */
    ImageFolderReader.Decoded load(FolderListing listing, ImageFolderOptions options) {
        long length;
        try {
            length = Files.size(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return ignored("cannot read it: " + e);
        }
        MessageDigest sha = Checksums.sha256();
        try (CountingInputStream counter = new CountingInputStream(new BufferedInputStream(Files.newInputStream(file)));
             DataInputStream in = new DataInputStream(new DigestInputStream(counter, sha))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                return ignored("not a DigitLab image cache file");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                return ignored("format version " + version + ", expected " + FORMAT_VERSION);
            }
            byte[] storedKey = new byte[DIGEST_BYTES];
            in.readFully(storedKey);
            if (!Arrays.equals(storedKey, key)) {
                return ignored("it holds another folder's images (key differs from its name)");
            }
            int height = in.readInt();
            int width = in.readInt();
            int channels = in.readInt();
            if (height < 1 || width < 1 || height > ImageSize.MAX_SIDE || width > ImageSize.MAX_SIDE
                    || (channels != 1 && channels != 3)) {
                return ignored("invalid image shape " + height + "x" + width + "x" + channels);
            }
            ImageSize size = new ImageSize(height, width);
            ImageColor color = ImageColor.ofChannels(channels);
            if ((options.size() != null && !options.size().equals(size))
                    || (options.color() != null && options.color() != color)) {
                return ignored("it holds images of " + size + " " + color + ", not as asked");
            }
            List<String> classNames = readStrings(in, counter, length);
            if (classNames == null || !classNames.equals(listing.classNames())) {
                return ignored("its class names differ from the folder's");
            }
            int count = readCount(in, counter, length, 6);
            if (count < 0 || count > listing.size()) {
                return ignored("invalid image count " + count);
            }
            List<String> files = new ArrayList<>(count);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                files.add(in.readUTF());
                labels[i] = in.readInt();
            }
            int badCount = readCount(in, counter, length, 4);
            if (badCount != listing.size() - count) {
                return ignored("it lists " + count + " images and " + badCount + " bad ones for "
                        + listing.size() + " files");
            }
            List<ImageFolderReader.BadImage> bad = new ArrayList<>(badCount);
            for (int i = 0; i < badCount; i++) {
                bad.add(new ImageFolderReader.BadImage(in.readUTF(), in.readUTF()));
            }
            String mismatch = mismatch(listing, files, labels, bad);
            if (mismatch != null) {
                return ignored(mismatch);
            }
            long pixelBytes = (long) count * height * width * channels;
            if (pixelBytes != length - counter.count() - DIGEST_BYTES || pixelBytes > Integer.MAX_VALUE - 8) {
                return ignored("expected " + pixelBytes + " bytes of pixels and " + DIGEST_BYTES + " of checksum "
                        + "after the header, found " + (length - counter.count()) + " bytes");
            }
            byte[] pixels = new byte[(int) pixelBytes];
            in.readFully(pixels);
            byte[] digest = sha.digest();
            byte[] stored = new byte[DIGEST_BYTES];
            in.readFully(stored);
            if (!MessageDigest.isEqual(digest, stored) || in.read() >= 0) {
                return ignored("checksum mismatch (the file is corrupt)");
            }
            return new ImageFolderReader.Decoded(size, color, classNames, files, labels, pixels, bad);
        } catch (EOFException e) {
            return ignored("truncated (it ends early)");
        } catch (IOException | RuntimeException e) {
            return ignored("unreadable (" + e + ")");
        }
    }

    /** Writes {@code decoded} atomically; a failure only costs the next run a decode, so it is a warning. */
    void store(ImageFolderReader.Decoded decoded) {
        Path temp = null;
        try {
            Files.createDirectories(file.getParent());
            temp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
            MessageDigest sha = Checksums.sha256();
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(temp));
                 DataOutputStream out = new DataOutputStream(new DigestOutputStream(raw, sha))) {
                out.write(MAGIC);
                out.writeInt(FORMAT_VERSION);
                out.write(key);
                out.writeInt(decoded.size().height());
                out.writeInt(decoded.size().width());
                out.writeInt(decoded.color().channels());
                writeStrings(out, decoded.classNames());
                out.writeInt(decoded.files().size());
                for (int i = 0; i < decoded.files().size(); i++) {
                    out.writeUTF(decoded.files().get(i));
                    out.writeInt(decoded.labels()[i]);
                }
                out.writeInt(decoded.bad().size());
                for (ImageFolderReader.BadImage bad : decoded.bad()) {
                    out.writeUTF(bad.file());
                    out.writeUTF(bad.reason());
                }
                out.write(decoded.pixels());
                out.flush();
                raw.write(sha.digest());
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write image cache {}: {}; the next run decodes the images again", file, e.toString());
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}: {}", temp, e.toString());
                }
            }
        }
    }

    /** Why the cached files and labels differ from the listing's, or null when they match. */
    private static String mismatch(FolderListing listing, List<String> files, int[] labels,
                                   List<ImageFolderReader.BadImage> bad) {
        int kept = 0;
        int skipped = 0;
        for (int i = 0; i < listing.size(); i++) {
            String key = listing.images().get(i).key();
            if (kept < files.size() && files.get(kept).equals(key)) {
                if (labels[kept] != listing.labels()[i]) {
                    return "label of " + key + " differs from its class folder";
                }
                kept++;
            } else if (skipped < bad.size() && bad.get(skipped).file().equals(key)) {
                skipped++;
            } else {
                return "its files differ from the folder's at " + key;
            }
        }
        return null;
    }

    private ImageFolderReader.Decoded ignored(String reason) {
        LOG.warn("ignoring image cache {}: {}; decoding the images again", file, reason);
        return null;
    }

    /** A count read from the file, -1 when it exceeds what the rest of the file can hold at {@code minBytes} each. */
    private static int readCount(DataInputStream in, CountingInputStream counter, long length, int minBytes)
            throws IOException {
        int count = in.readInt();
        return count < 0 || (long) count * minBytes > length - counter.count() ? -1 : count;
    }

    private static List<String> readStrings(DataInputStream in, CountingInputStream counter, long length)
            throws IOException {
        int count = readCount(in, counter, length, 2);
        if (count < 0) {
            return null;
        }
        List<String> strings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            strings.add(in.readUTF());
        }
        return strings;
    }

    private static void writeStrings(DataOutputStream out, List<String> strings) throws IOException {
        out.writeInt(strings.size());
        for (String s : strings) {
            out.writeUTF(s);
        }
    }

    /** Counts the bytes read through it, so counts in the file can be checked against what is left. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
