package org.digitlab.data.numpy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.digitlab.data.ClassLabels;
import org.digitlab.data.Dataset;
import org.digitlab.data.ImageShape;
import org.digitlab.data.FileKinds;
import org.digitlab.data.InvalidDataException;
import org.digitlab.data.UserFiles;
import org.digitlab.data.builtin.LoadedData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads images and labels saved with NumPy: a pair of {@code .npy} files ({@code np.save}), or an {@code .npz}
 * archive in the layout of Keras' {@code mnist.npz} ({@code np.savez} or {@code np.savez_compressed} with
 * {@code x_train}, {@code y_train} and optionally {@code x_test}, {@code y_test}).
 *
 * <p>Images are N×H×W or N×H×W×C arrays of uint8 (full intensity 255) or float32/float64: floats all in [0, 1]
 * are understood as scaled (full intensity 1), all in [0, 255] as raw; other values, NaN and infinity are
 * errors. Labels are class numbers of any integer dtype (N or N×1) or one-hot rows (N×K); only the values present
 * become classes, named by value. Headers are checked like the IDX reader's, and nothing large is allocated
 * before the data it stands for has been found. Object arrays are refused, never unpickled.
 */
public final class NumpyReader {
    private static final Logger LOG = LoggerFactory.getLogger(NumpyReader.class);
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final int LISTED_MEMBERS = 20;

    private NumpyReader() {
    }

    /** Reads images from one .npy file and their labels from another. */
    public static Dataset readImages(Path images, Path labels) {
        try (NpyInput x = NpyInput.open(images); NpyInput y = NpyInput.open(labels)) {
            Dataset dataset = read(x, y).dataset();
            LOG.debug("read {} from {} and {}", dataset, images, labels);
            return dataset;
        }
    }

    /**
     * Reads an .npz archive holding {@code x_train.npy} and {@code y_train.npy}, and optionally both
     * {@code x_test.npy} and {@code y_test.npy}; the test set's classes are aligned to the training classes.
     *
     * @throws InvalidDataException naming the archive and member at fault
     */
    public static LoadedData readNpz(Path npz) {
        UserFiles.checkRegularFile(npz, "NumPy .npz archive");
        try (ZipFile zip = openZip(npz)) {
            long size = Files.size(npz);
            Map<String, ZipEntry> members = members(zip);
            ZipEntry xTrain = member(npz, members, "x_train");
            ZipEntry yTrain = member(npz, members, "y_train");
            ZipEntry xTest = find(members, "x_test");
            ZipEntry yTest = find(members, "y_test");
            if ((xTest == null) != (yTest == null)) {
                throw InvalidDataException.of(npz, "has " + (xTest == null ? "y_test but no x_test" : "x_test but "
                        + "no y_test") + "; expected both test arrays or neither; " + listing(members));
            }
            Read train = read(zip, npz, size, xTrain, yTrain);
            Dataset test = null;
            if (xTest != null) {
                test = testSet(train, read(zip, npz, size, xTest, yTest), npz + ":" + yTest.getName());
            }
            LoadedData data = new LoadedData(npz.getFileName().toString(), train.dataset(), test, List.of(npz));
            LOG.debug("read {} (test {}) from {}", data.train(), data.test(), npz);
            return data;
        } catch (IOException e) {
            throw InvalidDataException.of(npz, "cannot read file: " + UserFiles.reason(e), e);
        }
    }

    /** A dataset as read, and its pixels' scale and source, to check a test set against. */
    private record Read(Dataset dataset, String scale, String images) {
    }

    private static Read read(ZipFile zip, Path npz, long size, ZipEntry images, ZipEntry labels) {
        try (NpyInput x = NpyInput.open(zip, images, npz + ":" + images.getName(), size);
             NpyInput y = NpyInput.open(zip, labels, npz + ":" + labels.getName(), size)) {
            return read(x, y);
        }
    }

    /** Checks both headers and that they agree before reading either array's data. */
    private static Read read(NpyInput images, NpyInput labels) {
        ImageShape shape = NpyImages.check(images.header());
        int count = images.header().dim(0);
        int labelCount = NpyLabels.check(labels.header());
        if (labelCount != count) {
            throw InvalidDataException.of(labels.source(), "holds " + labelCount + " labels, but "
                    + images.source() + " holds " + count + " images; expected one label per image");
        }
        NpyImages.Pixels pixels = NpyImages.read(images, shape);
        ClassLabels.Compact classes = ClassLabels.compact(NpyLabels.read(labels), labels.source());
        return new Read(pixels.dataset(classes.labels(), classes.names()), pixels.scale(), images.source());
    }

    private static Dataset testSet(Read train, Read test, String labels) {
        ImageShape trainShape = train.dataset().shape();
        if (!test.dataset().shape().equals(trainShape)) {
            throw InvalidDataException.of(test.images(), "holds images of " + test.dataset().shape() + ", but "
                    + train.images() + " holds images of " + trainShape + "; expected one image shape");
        }
        if (!test.scale().equals(train.scale())) {
            throw InvalidDataException.of(test.images(), "pixel values lie in " + test.scale() + ", but "
                    + train.images() + "'s lie in " + train.scale() + "; expected both on one scale");
        }
        return ClassLabels.align(test.dataset(), train.dataset().classNames(), labels);
    }

    private static ZipFile openZip(Path npz) throws IOException {
        try {
            return new ZipFile(npz.toFile());
        } catch (ZipException e) {
            byte[] head;
            try (InputStream in = Files.newInputStream(npz)) {
                head = in.readNBytes(NpyHeader.MAGIC.length);
            }
            if (head.length == 0) {
                throw InvalidDataException.of(npz, "file is empty; expected an .npz archive");
            }
            if (head.length >= ZIP_MAGIC.length && head[0] == 'P' && head[1] == 'K') {
                throw InvalidDataException.of(npz, "not a readable zip archive (" + UserFiles.reason(e) + "); the "
                        + ".npz file is truncated or corrupt", e);
            }
            throw InvalidDataException.atOffset(npz, 0, "not an .npz archive (a zip of .npy files): expected "
                    + "magic bytes " + FileKinds.hex(ZIP_MAGIC) + ", found " + FileKinds.hex(head)
                    + FileKinds.describe(head));
        }
    }

    private static Map<String, ZipEntry> members(ZipFile zip) {
        Map<String, ZipEntry> members = new LinkedHashMap<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            ZipEntry entry = e.nextElement();
            if (!entry.isDirectory()) {
                members.put(entry.getName(), entry);
            }
        }
        return members;
    }

    /** The member NumPy loads as {@code key}: {@code key.npy}, or {@code key} itself. */
    private static ZipEntry find(Map<String, ZipEntry> members, String key) {
        ZipEntry entry = members.get(key + ".npy");
        return entry != null ? entry : members.get(key);
    }

    private static ZipEntry member(Path npz, Map<String, ZipEntry> members, String key) {
        ZipEntry entry = find(members, key);
        if (entry == null) {
            throw InvalidDataException.of(npz, "has no member " + key + ".npy; expected x_train.npy and "
                    + "y_train.npy, and optionally x_test.npy and y_test.npy, as in Keras' mnist.npz "
                    + "(np.savez(file, x_train=x, y_train=y) names them so); " + listing(members));
        }
        return entry;
    }

    private static String listing(Map<String, ZipEntry> members) {
        if (members.isEmpty()) {
            return "the archive has no members";
        }
        List<String> names = new ArrayList<>(members.keySet());
        String shown = String.join(", ", names.subList(0, Math.min(names.size(), LISTED_MEMBERS)));
        return "members found: " + shown + (names.size() > LISTED_MEMBERS ? " and "
                + (names.size() - LISTED_MEMBERS) + " more" : "");
    }
}
