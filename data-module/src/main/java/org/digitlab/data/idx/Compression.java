package org.digitlab.data.idx;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.GZIPInputStream;
import org.digitlab.data.UserFiles;

/**
 * Opens sources that may or may not be gzip-compressed. The decision is made from the first two bytes
 * (0x1f 0x8b), never from the file name: downloaded files are often renamed or decompressed by browsers.
 */
public final class Compression {
    private static final int GZIP_BUFFER = 1 << 16;

    private Compression() {
    }

    /** {@code in} itself, or a decompressing view of it when it starts with the gzip magic bytes. */
    public static InputStream decompressIfGzipped(InputStream in) throws IOException {
        PushbackInputStream pushback = new PushbackInputStream(in, 2);
        byte[] magic = pushback.readNBytes(2);
        pushback.unread(magic);
        boolean gzip = magic.length == 2 && (magic[0] & 0xFF) == 0x1f && (magic[1] & 0xFF) == 0x8b;
        if (!gzip) {
            return pushback;
        }
        try {
            return new GZIPInputStream(pushback, GZIP_BUFFER);
        } catch (IOException e) {
            // A header cut short ends in an EOFException without a message.
            throw new IOException("the gzip header is truncated or corrupt (" + UserFiles.reason(e) + ")", e);
        }
    }

    /** True when {@code in} has been wrapped by {@link #decompressIfGzipped} because it was gzip data. */
    public static boolean isDecompressing(InputStream in) {
        return in instanceof GZIPInputStream;
    }
}
