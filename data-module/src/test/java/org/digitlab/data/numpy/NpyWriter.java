package org.digitlab.data.numpy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes .npy and .npz bytes as NumPy does (numpy.lib.format, {@code np.save}, {@code np.savez}): the magic, the
 * version, the header length, then the dict with sorted keys, the spare spaces NumPy leaves for growing the first
 * dimension, and padding so the data starts at a multiple of 64 bytes. {@code NumpyReaderTest} checks the output
 * against files NumPy wrote.
 */
final class NpyWriter {
    private static final int ARRAY_ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private NpyWriter() {
    }

    /** A version 1.0, C-order .npy file of {@code values} encoded as {@code descr}. */
    static byte[] npy(String descr, int[] shape, double... values) {
        return npy(1, descr, false, shape, values(descr, values));
    }

    /** A .npy file of raw {@code data} with the header NumPy writes for these fields. */
    static byte[] npy(int version, String descr, boolean fortranOrder, int[] shape, byte[] data) {
        StringBuilder dims = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            dims.append(i > 0 ? ", " : "").append(shape[i]);
        }
        dims.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                + ", 'shape': " + dims + ", }";
        if (shape.length > 0) {
            int growing = shape[fortranOrder ? shape.length - 1 : 0];
            dict += " ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(growing).length());
        }
        return withHeader(version, dict, data);
    }

    /** A .npy file with {@code dict} as its header text (padded and ended by a newline) and raw {@code data}. */
    static byte[] withHeader(int version, String dict, byte[] data) {
        byte[] text = dict.getBytes(version == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int lengthBytes = version == 1 ? 2 : 4;
        int unpadded = 8 + lengthBytes + text.length + 1;
        int padding = ARRAY_ALIGN - unpadded % ARRAY_ALIGN;
        int length = text.length + padding + 1;
        ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeader.MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) {
            b.putShort((short) length);
        } else {
            b.putInt(length);
        }
        b.put(text).put(" ".repeat(padding).getBytes(StandardCharsets.US_ASCII)).put((byte) '\n');
        return b.put(data).array();
    }

    /** {@code values} encoded as elements of {@code descr}, e.g. '|b1', '|u1', '&lt;u2', '&gt;i8', '&lt;f4'. */
    static byte[] values(String descr, double... values) {
        char kind = descr.charAt(1);
        int size = Integer.parseInt(descr.substring(2));
        ByteBuffer b = ByteBuffer.allocate(values.length * size)
                .order(descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (kind == 'f') {
                if (size == 4) {
                    b.putFloat((float) v);
                } else {
                    b.putDouble(v);
                }
                continue;
            }
            long n = (long) v;
            switch (size) {
                case 1 -> b.put((byte) n);
                case 2 -> b.putShort((short) n);
                case 4 -> b.putInt((int) n);
                default -> b.putLong(n);
            }
        }
        return b.array();
    }

    /** One-hot rows of {@code classes} columns, one per label, as {@code descr} values. */
    static byte[] oneHot(String descr, int classes, int... labels) {
        double[] values = new double[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            values[i * classes + labels[i]] = 1;
        }
        return npy(1, descr, false, new int[] {labels.length, classes}, values(descr, values));
    }

    /** An .npz archive of {@code members} (name to .npy bytes, in order), stored (np.savez) or deflated. */
    static byte[] npz(boolean deflate, Map<String, byte[]> members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> member : members.entrySet()) {
                ZipEntry entry = new ZipEntry(member.getKey());
                byte[] data = member.getValue();
                if (deflate) {
                    entry.setMethod(ZipEntry.DEFLATED);
                } else {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(data.length);
                    entry.setCompressedSize(data.length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(data);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
