package org.digitlab.data;

import java.util.Arrays;

/**
 * What a file looks like from its first bytes, for the message a reader gives when it meets something other than
 * its own format: a JPEG handed to {@code --images}, an .npz handed to {@code --npy}.
 */
public final class FileKinds {
    /** How many leading bytes {@link #describe(byte[])} needs at most. */
    public static final int HEAD_BYTES = 8;
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final String IMAGE_HINT = ": train on image files with --image-dir DIR (one subfolder per "
            + "class) or classify them with 'digitlab predict'";

    private FileKinds() {
    }

    /**
     * What the first bytes of a file look like when they are not what was expected, with the option that reads
     * it, e.g. " (a PNG image: …use --image-dir…)"; empty when they look like nothing known.
     */
    public static String describe(byte[] head) {
        if (startsWith(head, 'P', 'K', 3, 4) || startsWith(head, 'P', 'K', 5, 6)) {
            return " (a zip archive: an .npz file? read it with --npz)";
        }
        if (startsWith(head, NPY_MAGIC)) {
            return " (a NumPy .npy file: read it with --npy)";
        }
        if (startsWith(head, 0x89, 'P', 'N', 'G')) {
            return " (a PNG image" + IMAGE_HINT + ")";
        }
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
            return " (a JPEG image" + IMAGE_HINT + ")";
        }
        if (startsWith(head, 'G', 'I', 'F', '8')) {
            return " (a GIF image" + IMAGE_HINT + ")";
        }
        if (startsWith(head, 'B', 'M') && head.length >= 6) {
            return " (a BMP image" + IMAGE_HINT + ")";
        }
        if (startsWith(head, 0x1F, 0x8B)) {
            return " (gzip-compressed data: decompress it first)";
        }
        if (head.length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 8 && head[3] >= 1 && head[3] <= 4) {
            return " (an IDX file: read it with --images and --labels)";
        }
        for (byte b : head) {
            if ((b < 0x20 || b > 0x7E) && b != '\n' && b != '\r' && b != '\t') {
                return "";
            }
        }
        return head.length == 0 ? "" : " (text: a CSV file? read it with --csv)";
    }

    /** Whether the bytes start like a binary format {@link #describe} knows (an image, archive, IDX, .npy). */
    public static boolean isKnownBinary(byte[] head) {
        String kind = describe(head);
        return !kind.isEmpty() && !kind.startsWith(" (text");
    }

    /** The bytes as "93 4E 55", for messages. */
    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(sb.length() > 0 ? " " : "").append(String.format("%02X", b & 0xFF));
        }
        return sb.toString();
    }

    private static boolean startsWith(byte[] head, byte[] prefix) {
        return head.length >= prefix.length && Arrays.equals(head, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static boolean startsWith(byte[] head, int... prefix) {
        byte[] bytes = new byte[prefix.length];
        for (int i = 0; i < prefix.length; i++) {
            bytes[i] = (byte) prefix[i];
        }
        return startsWith(head, bytes);
    }
}
